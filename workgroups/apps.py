from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _drafted_by_working_group(user):
    """A working group's members draft its goal's next version."""
    from django.db.models import Q

    return Q(working_groups__members__user=user)


def _project_commitment():
    """Members take part in a project every second year; the member pages show how each stands."""
    from members.commitments import Commitment

    from .selectors import commitments

    return Commitment(
        key="projects",
        label=_("Project participation"),
        statuses=commitments.STATUSES,
        standings=lambda memberships, today: commitments.project_commitments(memberships=memberships, today=today),
        in_status=commitments.membership_in_status,
        template="workgroups/_project_commitment.html",
    )


class WorkgroupsConfig(AppConfig):
    name = "workgroups"
    verbose_name = _("Working groups")

    def ready(self):
        from goals.editors import draft_editor_rule_register

        draft_editor_rule_register(_drafted_by_working_group)

        from members.commitments import commitment_register

        commitment_register(_project_commitment())
