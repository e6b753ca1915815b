"""Reads for working groups: the public status page, the secretariat's view, members and milestones, what a group lacks."""

from typing import TYPE_CHECKING, Any

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from goals.models import GoalVersion
from members.models import Membership

from ..models import (
    Hearing,
    Milestone,
    WorkingGroup,
    WorkingGroupMember,
)
from .hearings import with_response_counts

if TYPE_CHECKING:
    from members.models import Representative


def group_public_get(*, slug: str) -> WorkingGroup:
    group = (
        WorkingGroup.objects.select_related("goal", "draft", "item", "item__plan", "facilitator")
        .prefetch_related(
            Prefetch("milestones", queryset=Milestone.objects.order_by("planned_on")),
            Prefetch("members", queryset=WorkingGroupMember.objects.select_related("organisation", "user")),
            Prefetch("draft__hearings", queryset=Hearing.objects.order_by("opened_at")),
        )
        .filter(slug=slug)
        .first()
    )
    if group is None:
        raise Http404
    return group


def group_for_secretariat(*, slug: str) -> WorkingGroup:
    """A working group with everything its secretariat page shows, internal documents included."""
    hearings = with_response_counts(Hearing.objects.all()).order_by("opened_at")
    group = (
        WorkingGroup.objects.select_related("goal", "draft", "item", "item__plan", "item__product_area", "facilitator")
        .prefetch_related(
            Prefetch("milestones", queryset=Milestone.objects.order_by("planned_on", "pk")),
            Prefetch(
                "members",
                queryset=WorkingGroupMember.objects.select_related("organisation", "user", "user__representative"),
            ),
            Prefetch("draft__hearings", queryset=hearings),
        )
        .filter(slug=slug)
        .first()
    )
    if group is None:
        raise Http404
    return group


def group_member_candidates(*, group: WorkingGroup) -> "QuerySet[Representative]":
    """Representatives of active member organisations who are not yet in the group."""
    from members.models import Representative

    active = Membership.objects.filter(status=Membership.Status.ACTIVE).values("organisation_id")
    return (
        Representative.objects.filter(organisation_id__in=active)
        .exclude(user__working_groups__group=group)
        .select_related("user", "organisation")
        .order_by("organisation__name", "user__name")
    )


def group_audit_trail(*, group: WorkingGroup, limit: int = 50) -> list[dict[str, Any]]:
    """Who changed the group, its members and milestones, and what."""
    from core import history

    return history.entries(
        [
            (group.history.select_related("history_user"), lambda r: r.name),
            (
                WorkingGroupMember.history.filter(group_id=group.pk).select_related(
                    "history_user", "user", "organisation"
                ),
                lambda r: f"{r.user} ({r.organisation})",
            ),
            (Milestone.history.filter(group_id=group.pk).select_related("history_user"), lambda r: r.title),
        ],
        limit=limit,
    )


def group_member_get(*, group: WorkingGroup, pk: int) -> WorkingGroupMember:
    member = group.members.select_related("user", "organisation").filter(pk=pk).first()
    if member is None:
        raise Http404
    return member


def group_milestone_get(*, group: WorkingGroup, pk: int) -> Milestone:
    milestone = group.milestones.filter(pk=pk).first()
    if milestone is None:
        raise Http404
    return milestone


def group_drafting(*, version: GoalVersion) -> WorkingGroup | None:
    """The working group drafting a version, if any."""
    return WorkingGroup.objects.filter(draft=version).first()


def working_group_warnings(*, group: WorkingGroup, members: list[WorkingGroupMember] | None = None) -> list[str]:
    """What the group lacks: at least five members, one of them from the steering group, and a chair."""
    members = members if members is not None else list(group.members.select_related("user__representative"))
    warnings = []
    if len(members) < WorkingGroup.MIN_MEMBERS:
        warnings.append(
            _("The group has %(count)s members; it needs at least %(min)s.")
            % {"count": len(members), "min": WorkingGroup.MIN_MEMBERS}
        )
    # The seat as recorded, read from the representative fetched with the members (no query per member).
    if not any(getattr(m.user, "representative", None) and m.user.representative.steering_group for m in members):
        warnings.append(_("No member of the group sits in the steering group."))
    if not any(m.is_chair for m in members):
        warnings.append(_("The group has no chair."))
    return warnings
