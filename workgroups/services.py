"""Writes for the revision cycle: work plans, working groups and hearings.

Every function validates, runs in a transaction and refuses what the rules do
not allow with a ValidationError whose message is shown to the user. The goal
version's own status moves through goals.services.
"""

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from goals import services as goal_services
from goals.models import Criterion, Goal, GoalVersion, ProductArea
from members.models import Membership, User
from members.services import DANISH_LETTERS
from pogi import history

from .models import Hearing, HearingResponse, Milestone, WorkingGroup, WorkingGroupMember, WorkPlan, WorkPlanItem


@transaction.atomic
def work_plan_create(*, year: int, decided_on: date | None = None, note: str = "", by: User | None) -> WorkPlan:
    if WorkPlan.objects.filter(year=year).exists():
        raise ValidationError(_("There is already a work plan for %(year)s.") % {"year": year})
    plan = WorkPlan(year=year, decided_on=decided_on, note=note)
    plan.full_clean()
    history.by(plan, by).save()
    return plan


@transaction.atomic
def work_plan_item_add(
    *,
    plan: WorkPlan,
    kind: str,
    title: str,
    product_area: ProductArea,
    goal: Goal | None = None,
    rationale: str = "",
    by: User | None,
) -> WorkPlanItem:
    """Put a new goal or the revision of a goal on a year's plan."""
    if kind == WorkPlanItem.Kind.REVISION and goal is None:
        raise ValidationError(_("Choose the goal to revise."))
    if kind == WorkPlanItem.Kind.NEW:
        goal = None
    if goal is not None and plan.items.filter(goal=goal).exists():
        raise ValidationError(
            _("Goal %(number)s is already on the %(year)s plan.") % {"number": goal.number, "year": plan.year}
        )
    position = (plan.items.aggregate(p=Max("position"))["p"] or 0) + 1
    item = WorkPlanItem(
        plan=plan, kind=kind, goal=goal, product_area=product_area, title=title, rationale=rationale, position=position
    )
    item.full_clean()
    history.by(item, by).save()
    return item


def _group_slug(year: int, title: str) -> str:
    base = f"{year}-{slugify(title.translate(DANISH_LETTERS))}"[:70]
    slug, n = base, 2
    while WorkingGroup.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


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
        goal = item.goal
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
def working_group_update(*, group: WorkingGroup, by: User | None, **fields) -> WorkingGroup:
    allowed = {"name", "terms_of_reference", "facilitator", "status"}
    unknown = set(fields) - allowed
    if unknown:
        raise ValidationError(_("These fields cannot be changed here: %s") % ", ".join(sorted(unknown)))
    if fields.get("facilitator") is not None and not fields["facilitator"].is_secretariat:
        raise ValidationError(_("The facilitator must be from the secretariat."))
    for name, value in fields.items():
        setattr(group, name, value)
    group.full_clean()
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


def working_group_warnings(*, group: WorkingGroup, members: list[WorkingGroupMember] | None = None) -> list[str]:
    """What the group lacks: at least five members, one of them from the steering group, and a chair."""
    members = members if members is not None else list(group.members.select_related("user__representative"))
    warnings = []
    if len(members) < WorkingGroup.MIN_MEMBERS:
        warnings.append(
            _("The group has %(count)s members; it needs at least %(min)s.")
            % {"count": len(members), "min": WorkingGroup.MIN_MEMBERS}
        )
    if not any(m.user.representative_or_none and m.user.representative.steering_group for m in members):
        warnings.append(_("No member of the group sits in the steering group."))
    if not any(m.is_chair for m in members):
        warnings.append(_("The group has no chair."))
    return warnings


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


# --- hearings -------------------------------------------------------------------------------------


@transaction.atomic
def hearing_open(*, version: GoalVersion, kind: str, closes_at: datetime, by: User | None) -> Hearing:
    """Open the internal hearing on a draft, or the industry hearing after the internal one.

    Members are told about an internal hearing by email (after commit).
    """
    from .tasks import hearing_notify_members

    version = GoalVersion.objects.select_for_update().get(pk=version.pk)
    if closes_at <= timezone.now():
        raise ValidationError(_("The deadline must be in the future."))
    if kind == Hearing.Kind.INTERNAL:
        goal_services.goal_version_transition(version=version, to=GoalVersion.Status.INTERNAL_HEARING, by=by)
    else:
        internal = version.hearings.filter(kind=Hearing.Kind.INTERNAL).first()
        if internal is None:
            raise ValidationError(_("The industry hearing follows the internal hearing."))
        if internal.closed_at is None:
            hearing_close(hearing=internal, by=by)
        goal_services.goal_version_transition(version=version, to=GoalVersion.Status.INDUSTRY_HEARING, by=by)
    if version.hearings.filter(kind=kind).exists():
        raise ValidationError(_("This version has already had that hearing."))
    hearing = Hearing(version=version, kind=kind, closes_at=closes_at, opened_by=by)
    hearing.full_clean()
    history.by(hearing, by).save()
    if kind == Hearing.Kind.INTERNAL:
        transaction.on_commit(lambda: hearing_notify_members.delay(hearing.pk))
    return hearing


@transaction.atomic
def hearing_close(*, hearing: Hearing, by: User | None) -> Hearing:
    hearing = Hearing.objects.select_for_update().get(pk=hearing.pk)
    if hearing.closed_at is None:
        hearing.closed_at = timezone.now()
        history.by(hearing, by).save()
    return hearing


@transaction.atomic
def hearing_respond(
    *,
    hearing: Hearing,
    text: str,
    respondent_name: str,
    respondent_organisation: str,
    respondent_email: str = "",
    criterion: Criterion | None = None,
    keep_private: bool = False,
    user: User | None = None,
    channel: str = HearingResponse.Channel.PORTAL,
    received_at: datetime | None = None,
) -> HearingResponse:
    """Record a response. An internal hearing takes responses from member representatives only.

    After the deadline only the secretariat may register a response that arrived
    by email in time (received_at before the deadline).
    """
    hearing = Hearing.objects.select_for_update().select_related("version").get(pk=hearing.pk)
    received_at = received_at or timezone.now()
    by_secretariat = channel == HearingResponse.Channel.EMAIL
    if by_secretariat:
        if user is None or not user.is_secretariat:
            raise ValidationError(_("Only the secretariat registers responses received by email."))
        if received_at > hearing.closes_at:
            raise ValidationError(_("The response was received after the deadline."))
    elif not hearing.is_open:
        raise ValidationError(
            _("The hearing closed on %(date)s; responses can no longer be given.")
            % {"date": timezone.localtime(hearing.closes_at).strftime("%d.%m.%Y %H:%M")}
        )
    member = None
    if hearing.kind == Hearing.Kind.INTERNAL and not by_secretariat:
        rep = user.representative_or_none if user else None
        if rep is None:
            raise ValidationError(_("The internal hearing is for the representatives of member organisations."))
        member = rep.organisation
        respondent_organisation = rep.organisation.name
        respondent_name = respondent_name or user.name or user.email
        respondent_email = respondent_email or user.email
    if criterion is not None and criterion.version_id != hearing.version_id:
        raise ValidationError(_("The criterion does not belong to the version in hearing."))
    if not text.strip():
        raise ValidationError(_("Write your response."))
    response = HearingResponse(
        hearing=hearing,
        criterion=criterion,
        respondent_name=respondent_name.strip(),
        respondent_organisation=respondent_organisation.strip(),
        respondent_email=respondent_email.strip(),
        member=member,
        submitted_by=user,
        channel=channel,
        text=text.strip(),
        keep_private=keep_private,
        received_at=received_at,
    )
    response.full_clean()
    history.by(response, user).save()
    return response


@transaction.atomic
def hearing_response_answer(*, response: HearingResponse, answer: str, text: str, by: User) -> HearingResponse:
    """The secretariat's assessment of a response and what it did about it (the hearing memo)."""
    if answer not in HearingResponse.Answer.values:
        raise ValidationError(_("Choose accepted, partly accepted or not accepted."))
    if not text.strip():
        raise ValidationError(_("Give the answer and what was done, with the reason."))
    response = HearingResponse.objects.select_for_update().get(pk=response.pk)
    response.answer = answer
    response.answer_text = text.strip()
    response.answered_by = by
    response.answered_at = timezone.now()
    response.full_clean()
    history.by(response, by).save()
    return response


def member_recipients() -> list[str]:
    """Email addresses of the primary representatives and deputies of active members."""
    from members.models import Representative

    return list(
        Representative.objects.filter(
            position__in=[Representative.Position.PRIMARY, Representative.Position.DEPUTY],
            organisation__memberships__status=Membership.Status.ACTIVE,
        )
        .values_list("user__email", flat=True)
        .distinct()
        .order_by("user__email")
    )
