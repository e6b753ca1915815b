from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _drafted_by_working_group(user):
    """A working group's members draft its goal's next version."""
    from django.db.models import Q

    return Q(working_groups__members__user=user)


class WorkgroupsConfig(AppConfig):
    name = "workgroups"
    verbose_name = _("Working groups")

    def ready(self):
        from goals.editors import draft_editor_rule_register

        draft_editor_rule_register(_drafted_by_working_group)
