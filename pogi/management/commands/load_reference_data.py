from django.core.management.base import BaseCommand

from goals import reference as goal_reference
from members import reference as member_reference


class Command(BaseCommand):
    help = "Load the reference data: regions and municipalities, product areas, ecolabels, SDG targets. Idempotent."

    def handle(self, *args, **options):
        members = member_reference.load()
        goals = goal_reference.load()
        self.stdout.write(
            self.style.SUCCESS(
                f"Reference data: {members['regions']} regions, {members['municipalities']} municipalities, "
                f"{goals['product_areas']} product areas, {goals['ecolabels']} ecolabels, "
                f"{goals['sdg_targets']} SDG targets."
            )
        )
