from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GoalsConfig(AppConfig):
    name = "goals"
    verbose_name = _("Purchasing goals")

    def ready(self):
        from core import pagecache

        from . import models

        # The public catalogue shows goals, their versions and criteria, and the areas, labels and targets they name.
        pagecache.invalidate_on_change(
            "catalogue",
            models.ProductArea,
            models.CpvCode,
            models.Ecolabel,
            models.SdgTarget,
            models.Goal,
            models.GoalVersion,
            models.Criterion,
        )
