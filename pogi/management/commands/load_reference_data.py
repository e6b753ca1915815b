from django.core.management.base import BaseCommand

from followup import reference as climate_reference
from goals import reference as goal_reference
from members import reference as member_reference


class Command(BaseCommand):
    help = "Load the reference data: regions and municipalities, product areas, ecolabels, SDG targets, climate reference data. Idempotent."

    def handle(self, *args, **options):
        members = member_reference.load()
        goals = goal_reference.load()
        climate = climate_reference.load()
        self.stdout.write(
            self.style.SUCCESS(
                f"Reference data: {members['regions']} regions, {members['municipalities']} municipalities, "
                f"{goals['product_areas']} product areas, {goals['ecolabels']} ecolabels, "
                f"{goals['sdg_targets']} SDG targets, {climate['emission_factors']} emission factors, "
                f"{climate['price_indices']} price indices, {climate['exchange_rates']} exchange rates, "
                f"{climate['populations']} population counts."
            )
        )
