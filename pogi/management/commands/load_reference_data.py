from django.core.management.base import BaseCommand

from members import reference as member_reference


class Command(BaseCommand):
    help = "Load the reference data (Danish regions and municipalities with official codes). Idempotent."

    def handle(self, *args, **options):
        counts = member_reference.load()
        self.stdout.write(
            self.style.SUCCESS(
                f"Reference data: {counts['regions']} regions, {counts['municipalities']} municipalities."
            )
        )
