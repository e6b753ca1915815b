"""Writes for working groups: creation with terms of reference, members and chair, milestones, the signed terms as PDF."""

from datetime import date
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from core import history
from core.text import ascii_slug, unique_slug
from goals import services as goal_services
from goals.models import Goal, GoalVersion
from members.models import Membership, User

from ..models import (
    Milestone,
    WorkingGroup,
    WorkingGroupMember,
    WorkPlanItem,
)


def _group_slug(year: int, title: str) -> str:
    base = f"{year}-{ascii_slug(title)}"[:70]
    return unique_slug(base, taken=lambda slug: WorkingGroup.objects.filter(slug=slug).exists())


@transaction.atomic
def working_group_create(
    *,
    item: WorkPlanItem,
    facilitator: User | None,
    terms_of_reference: str = "",
    goal_number: int | None = None,
    statement: str = "",
    by: User | None,
) -> WorkingGroup:
    """Set up the working group for a plan item, with the draft it works on.

    A revision starts a new draft of the goal (or takes over the one in progress);
    a new goal is created with its first draft (goal_number and statement are then required).
    """
    item = WorkPlanItem.objects.select_for_update(of=("self",)).select_related("plan", "goal").get(pk=item.pk)
    if WorkingGroup.objects.filter(item=item).exists():
        raise ValidationError(_("This plan item already has a working group."))
    if facilitator is not None and not facilitator.is_secretariat:
        raise ValidationError(_("The facilitator must be from the secretariat."))
    if item.kind == WorkPlanItem.Kind.REVISION:
        goal = cast(Goal, item.goal)  # a revision item always names its goal
        draft = goal.versions.filter(
            status__in=GoalVersion.IN_PROGRESS
        ).first() or goal_services.goal_version_draft_start(goal=goal, by=by)
    else:
        if goal_number is None or not statement.strip():
            raise ValidationError(_("A new goal needs a number and a goal statement."))
        draft = goal_services.goal_create(
            number=goal_number, title=item.title, product_area=item.product_area, statement=statement, by=by
        )
        goal = draft.goal
        item.goal = goal
        history.by(item, by).save(update_fields=["goal"])
    group = WorkingGroup(
        item=item,
        slug=_group_slug(item.plan.year, item.title),
        name=item.title,
        goal=goal,
        draft=draft,
        terms_of_reference=terms_of_reference,
        facilitator=facilitator,
    )
    group.full_clean()
    history.by(group, by).save()
    return group


@transaction.atomic
def working_group_update(*, group: WorkingGroup, by: User | None, **fields: Any) -> WorkingGroup:
    """Change the group's name, terms of reference or facilitator. The status has its own services below."""
    allowed = {"name", "terms_of_reference", "facilitator"}
    unknown = set(fields) - allowed
    if unknown:
        raise ValidationError(_("These fields cannot be changed here: %s") % ", ".join(sorted(unknown)))
    if fields.get("facilitator") is not None and not fields["facilitator"].is_secretariat:
        raise ValidationError(_("The facilitator must be from the secretariat."))
    group = WorkingGroup.objects.select_for_update().get(pk=group.pk)
    for name, value in fields.items():
        setattr(group, name, value)
    group.full_clean()
    history.by(group, by).save()
    return group


G = WorkingGroup.Status

# Every status change of a working group and the one service that makes it (docs/architecture.md lists the
# conditions; tests/workgroups/test_group_status.py holds the code to this table, forbidden moves included).
GROUP_TRANSITIONS: dict[tuple[str, str], str] = {
    (G.PLANNED, G.ACTIVE): "working_group_start",
    (G.ACTIVE, G.COMPLETED): "working_group_complete",
    (G.PLANNED, G.CANCELLED): "working_group_cancel",
    (G.ACTIVE, G.CANCELLED): "working_group_cancel",
}


def _group_move(group: WorkingGroup, to: str, service: str) -> WorkingGroup:
    group = WorkingGroup.objects.select_for_update(of=("self",)).select_related("draft").get(pk=group.pk)
    if GROUP_TRANSITIONS.get((group.status, to)) != service:
        raise ValidationError(
            _("A working group that is %(from)s cannot become %(to)s.")
            % {"from": str(G(group.status).label).lower(), "to": str(G(to).label).lower()}
        )
    group.status = to
    return group


@transaction.atomic
def working_group_start(*, group: WorkingGroup, by: User | None) -> WorkingGroup:
    """The group begins its work: it has a chair from its members."""
    group = _group_move(group, G.ACTIVE, "working_group_start")
    if not group.members.filter(is_chair=True).exists():
        raise ValidationError(_("Choose a chair among the members before the group starts its work."))
    group.full_clean()
    history.by(group, by).save()
    return group


@transaction.atomic
def working_group_complete(*, group: WorkingGroup, by: User | None) -> WorkingGroup:
    """The group has finished: the steering group has decided on its draft (adopted, in force or withdrawn)."""
    group = _group_move(group, G.COMPLETED, "working_group_complete")
    draft = group.draft
    if draft is not None and draft.status in GoalVersion.IN_PROGRESS and draft.status != GoalVersion.Status.ADOPTED:
        raise ValidationError(
            _("The group's draft is %(status)s; the group completes when the steering group has adopted it.")
            % {"status": str(draft.get_status_display()).lower()}
        )
    group.full_clean()
    history.by(group, by).save()
    return group


@transaction.atomic
def working_group_cancel(*, group: WorkingGroup, by: User | None, reason: str) -> WorkingGroup:
    """Stop the group before it finished. Its draft is left as it is: withdraw it on the goal's page if need be."""
    reason = history.reason_checked(reason)
    group = _group_move(group, G.CANCELLED, "working_group_cancel")
    group.full_clean()
    group._change_reason = reason  # type: ignore[attr-defined]  # read by django-simple-history
    history.by(group, by).save()
    return group


@transaction.atomic
def working_group_member_add(
    *, group: WorkingGroup, user: User, is_chair: bool = False, by: User | None
) -> WorkingGroupMember:
    """Appoint a representative of an active member organisation; at most one chair."""
    rep = user.representative_or_none
    if rep is None:
        raise ValidationError(_("%(who)s does not represent a member organisation.") % {"who": user})
    if not Membership.objects.filter(organisation=rep.organisation, status=Membership.Status.ACTIVE).exists():
        raise ValidationError(_("%(org)s is not an active member.") % {"org": rep.organisation})
    if group.members.filter(user=user).exists():
        raise ValidationError(_("%(who)s is already in the working group.") % {"who": user})
    if is_chair and group.members.filter(is_chair=True).exists():
        raise ValidationError(_("The working group already has a chair."))
    member = WorkingGroupMember(group=group, user=user, organisation=rep.organisation, is_chair=is_chair)
    member.full_clean()
    history.by(member, by).save()
    return member


@transaction.atomic
def working_group_member_remove(*, member: WorkingGroupMember, by: User | None) -> None:
    history.by(member, by).delete()


@transaction.atomic
def milestone_add(*, group: WorkingGroup, title: str, planned_on: date, by: User | None) -> Milestone:
    milestone = Milestone(group=group, title=title, planned_on=planned_on)
    milestone.full_clean()
    history.by(milestone, by).save()
    return milestone


@transaction.atomic
def milestone_done(*, milestone: Milestone, on: date, by: User | None) -> Milestone:
    milestone.done_on = on
    milestone.full_clean()
    history.by(milestone, by).save()
    return milestone


@transaction.atomic
def working_group_terms_pdf_set(
    *, group: WorkingGroup, upload: "UploadedFile[bytes] | None", by: User | None
) -> WorkingGroup:
    """Attach the signed terms of reference as PDF (checked by content, at most the upload limit)."""
    from core.uploads import validate_pdf

    if upload is None:
        raise ValidationError(_("Attach the terms of reference as a PDF file."))
    validate_pdf(upload, signed_form=False)
    group = WorkingGroup.objects.select_for_update().get(pk=group.pk)
    old = group.terms_pdf.name if group.terms_pdf else ""
    group.terms_pdf.save("terms.pdf", upload, save=False)
    history.by(group, by).save(update_fields=["terms_pdf"])
    if old:
        storage = group.terms_pdf.storage
        transaction.on_commit(lambda: storage.delete(old))
    return group
