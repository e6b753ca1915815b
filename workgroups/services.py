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
from members import services as member_services
from members.models import Membership, Organisation, User
from members.services import DANISH_LETTERS
from pogi import history

from .models import (
    AgendaDocument,
    AgendaItem,
    Attendance,
    Body,
    Decision,
    DraftComment,
    Hearing,
    HearingResponse,
    Meeting,
    Milestone,
    Vote,
    WorkingGroup,
    WorkingGroupMember,
    WorkPlan,
    WorkPlanItem,
)


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


# --- meetings and decisions ---


def body_for(*, kind: str) -> Body:
    """The body of a kind with its quorum rule (created with the rules of procedure's defaults)."""
    if kind not in Body.Kind.values:
        raise ValidationError(_("Choose the body that meets."))
    body, _created = Body.objects.get_or_create(
        kind=kind, defaults={"min_present": Body.DEFAULT_MIN_PRESENT.get(kind, 2)}
    )
    return body


@transaction.atomic
def meeting_create(
    *,
    kind: str,
    title: str,
    starts_at: datetime,
    place: str = "",
    online_url: str = "",
    working_group: WorkingGroup | None = None,
    by: User | None,
) -> Meeting:
    """Plan a meeting of a body. A working-group meeting names its group; other bodies do not."""
    body = body_for(kind=kind)
    if kind == Body.Kind.WORKING_GROUP and working_group is None:
        raise ValidationError(_("Choose the working group that meets."))
    if kind != Body.Kind.WORKING_GROUP:
        working_group = None
    if not place.strip() and not online_url.strip():
        raise ValidationError(_("Give the place of the meeting or a link to the online meeting."))
    meeting = Meeting(
        body=body,
        working_group=working_group,
        title=title.strip(),
        starts_at=starts_at,
        place=place.strip(),
        online_url=online_url.strip(),
        created_by=by,
    )
    meeting.full_clean()
    history.by(meeting, by).save()
    return meeting


@transaction.atomic
def meeting_update(*, meeting: Meeting, by: User | None, **fields) -> Meeting:
    """Change a meeting's title, time or place; refused once its minutes are approved."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.minutes_approved_at:
        raise ValidationError(_("The minutes of this meeting are approved; the meeting can no longer be changed."))
    for name in ("title", "starts_at", "place", "online_url"):
        if name in fields:
            value = fields[name]
            setattr(meeting, name, value.strip() if isinstance(value, str) else value)
    if not meeting.place and not meeting.online_url:
        raise ValidationError(_("Give the place of the meeting or a link to the online meeting."))
    meeting.full_clean()
    history.by(meeting, by).save()
    return meeting


@transaction.atomic
def meeting_invite(*, meeting: Meeting, by: User | None) -> Meeting:
    """Email the invitation with the agenda to the body's participants (after commit, by a worker).

    Sending again after a change of agenda is allowed; each request is mailed once.
    """
    from .tasks import meeting_invitation_send

    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.is_past:
        raise ValidationError(_("The meeting has taken place; invitations can no longer be sent."))
    if not meeting.items.exists():
        raise ValidationError(_("Put at least one item on the agenda before sending the invitation."))
    meeting.invitation_requested_at = timezone.now()
    history.by(meeting, by).save()
    stamp = meeting.invitation_requested_at.isoformat()
    transaction.on_commit(lambda: meeting_invitation_send.delay(meeting.pk, stamp))
    return meeting


@transaction.atomic
def agenda_item_add(
    *,
    meeting: Meeting,
    title: str,
    kind: str = AgendaItem.Kind.INFORMATION,
    description: str = "",
    version: GoalVersion | None = None,
    effective_date: date | None = None,
    membership: Membership | None = None,
    work_plan: WorkPlan | None = None,
    by: User | None,
) -> AgendaItem:
    """Put an item on the agenda. Drafts, applications and the work plan are decided by the steering group."""
    meeting = Meeting.objects.select_for_update().select_related("body").get(pk=meeting.pk)
    if meeting.minutes_approved_at:
        raise ValidationError(_("The minutes of this meeting are approved; the agenda can no longer be changed."))
    subjects = [s for s in (version, membership, work_plan) if s is not None]
    if len(subjects) > 1:
        raise ValidationError(_("An agenda item concerns at most one draft, application or work plan."))
    if subjects:
        if meeting.body.kind != Body.Kind.STEERING_GROUP:
            raise ValidationError(
                _("Drafts, membership applications and the work plan are decided by the steering group.")
            )
        kind = AgendaItem.Kind.DECISION
    if version is not None:
        version = GoalVersion.objects.get(pk=version.pk)
        if version.status not in (GoalVersion.Status.SUBMITTED, GoalVersion.Status.INDUSTRY_HEARING):
            raise ValidationError(
                _("Only a draft that has been through the hearings can go to the steering group for adoption.")
            )
        if effective_date is None:
            raise ValidationError(_("Give the date from which the version will be in force if adopted."))
        if effective_date < timezone.localdate(meeting.starts_at):
            raise ValidationError(_("The version cannot be in force before the meeting."))
    else:
        effective_date = None
    if membership is not None and membership.status != Membership.Status.APPLIED:
        raise ValidationError(_("Only a pending application can be decided."))
    position = (meeting.items.aggregate(p=Max("position"))["p"] or 0) + 1
    item = AgendaItem(
        meeting=meeting,
        position=position,
        title=title.strip(),
        kind=kind,
        description=description.strip(),
        version=version,
        effective_date=effective_date,
        membership=membership,
        work_plan=work_plan,
    )
    item.full_clean()
    history.by(item, by).save()
    return item


@transaction.atomic
def agenda_document_add(*, item: AgendaItem, title: str, upload, by: User | None) -> AgendaDocument:
    """Attach a PDF to an agenda item (checked by content and size like every upload)."""
    from members.uploads import validate_pdf

    validate_pdf(upload, signed_form=False)
    document = AgendaDocument(item=item, title=title.strip() or upload.name, uploaded_by=by)
    document.file.save(upload.name, upload, save=False)
    document.full_clean()
    document.save()
    return document


@transaction.atomic
def attendance_record(*, meeting: Meeting, users: list[User], by: User | None) -> list[Attendance]:
    """Record who attended: the body's participants, each for their organisation.

    Refused before the meeting day, and for an organisation that has already voted
    on a decision (its attendance is part of that decision's record).
    """
    from . import selectors

    meeting = Meeting.objects.select_for_update().select_related("body").get(pk=meeting.pk)
    if timezone.localdate(meeting.starts_at) > timezone.localdate():
        raise ValidationError(_("Attendance is recorded on the day of the meeting or after it."))
    participants = {p.user_id: p for p in selectors.meeting_participants(meeting=meeting)}
    strangers = [u for u in users if u.pk not in participants]
    if strangers:
        raise ValidationError(
            _("%(name)s is not a participant of this body.") % {"name": strangers[0].name or strangers[0].email}
        )
    chosen = {u.pk for u in users}
    voted = set(Vote.objects.filter(decision__item__meeting=meeting).values_list("organisation_id", flat=True))
    leaving = [a for a in meeting.attendance.select_related("organisation") if a.user_id not in chosen]
    for attendance in leaving:
        if attendance.organisation_id in voted and not any(
            participants[uid].organisation_id == attendance.organisation_id for uid in chosen
        ):
            raise ValidationError(
                _("%(organisation)s has voted at this meeting and cannot be removed from the attendance.")
                % {"organisation": attendance.organisation.name}
            )
    for attendance in leaving:
        attendance.delete()
    present = set(meeting.attendance.values_list("user_id", flat=True))
    for uid in chosen - present:
        attendance = Attendance(meeting=meeting, user_id=uid, organisation_id=participants[uid].organisation_id)
        history.by(attendance, by).save()
    return list(meeting.attendance.select_related("user", "organisation"))


@transaction.atomic
def decision_record(
    *,
    item: AgendaItem,
    proposal: str,
    votes: list[tuple[Organisation, str]],
    by: User,
) -> Decision:
    """Record the decision on an agenda item: check quorum, count one vote per organisation present, apply it.

    A carried proposal to adopt a draft adopts it (published on its effective
    date by the beat task, at once if that date has come); an application is
    approved or rejected; a work plan is marked as decided. Refused without
    quorum, for a second vote by the same organisation, for an organisation not
    present, and for an item already decided.
    """
    from goals.tasks import goal_versions_publish_due

    from . import selectors

    item = (
        AgendaItem.objects.select_for_update(of=("self",))
        .select_related("meeting", "meeting__body", "version", "membership", "membership__organisation")
        .get(pk=item.pk)
    )
    meeting = item.meeting
    if item.kind != AgendaItem.Kind.DECISION:
        raise ValidationError(_("This agenda item is not for decision."))
    if Decision.objects.filter(item=item).exists():
        raise ValidationError(_("This item has already been decided; a decision is recorded once."))
    if timezone.localdate(meeting.starts_at) > timezone.localdate():
        raise ValidationError(_("A decision is recorded at the meeting or after it, not before."))
    if not proposal.strip():
        raise ValidationError(_("Write the proposal that was voted on."))
    eligible = selectors.meeting_eligible_count(meeting=meeting)
    present_orgs = set(meeting.attendance.values_list("organisation_id", flat=True))
    quorum = meeting.body.quorum_needed(eligible)
    if len(present_orgs) < quorum:
        raise ValidationError(
            _(
                "The meeting does not have a quorum: %(present)s of %(eligible)s member organisations are present, "
                "and at least %(quorum)s are needed. The decision cannot be recorded."
            )
            % {"present": len(present_orgs), "eligible": eligible, "quorum": quorum}
        )
    seen: set[int] = set()
    counts = dict.fromkeys(Vote.Choice.values, 0)
    for organisation, choice in votes:
        if organisation.pk in seen:
            raise ValidationError(
                _("%(organisation)s has already voted; each member organisation has one vote.")
                % {"organisation": organisation.name}
            )
        if organisation.pk not in present_orgs:
            raise ValidationError(
                _("%(organisation)s is not present at the meeting and cannot vote.")
                % {"organisation": organisation.name}
            )
        if choice not in Vote.Choice.values:
            raise ValidationError(_("A vote is for, against or abstain."))
        seen.add(organisation.pk)
        counts[choice] += 1
    if not seen:
        raise ValidationError(_("Record the votes of the organisations present."))
    carried = counts[Vote.Choice.FOR] > counts[Vote.Choice.AGAINST]
    decision = Decision(
        item=item,
        proposal=proposal.strip(),
        outcome=Decision.Outcome.CARRIED if carried else Decision.Outcome.NOT_CARRIED,
        eligible=eligible,
        present=len(present_orgs),
        quorum=quorum,
        votes_for=counts[Vote.Choice.FOR],
        votes_against=counts[Vote.Choice.AGAINST],
        abstentions=counts[Vote.Choice.ABSTAIN],
        recorded_by=by,
    )
    decision.full_clean()
    history.by(decision, by).save()
    Vote.objects.bulk_create(
        [Vote(decision=decision, organisation=organisation, choice=choice) for organisation, choice in votes]
    )
    meeting_day = timezone.localdate(meeting.starts_at)
    if carried and item.version_id:
        goal_services.goal_version_adopt(
            version=item.version, by=by, effective_date=item.effective_date, adopted_on=meeting_day
        )
        if item.effective_date <= timezone.localdate():
            transaction.on_commit(goal_versions_publish_due.delay)
    if item.membership_id:
        if carried:
            member_services.membership_approve(
                membership=item.membership, decided_by=by, reason=_("Approved by the steering group.")
            )
        else:
            member_services.membership_reject(
                membership=item.membership,
                decided_by=by,
                reason=_("The steering group did not approve the application at its meeting on %(date)s.")
                % {"date": meeting_day.strftime("%d.%m.%Y")},
            )
    if carried and item.work_plan_id:
        plan = WorkPlan.objects.select_for_update().get(pk=item.work_plan_id)
        plan.decided_on = meeting_day
        history.by(plan, by).save()
    return decision


@transaction.atomic
def minutes_save(*, meeting: Meeting, text: str, by: User | None) -> Meeting:
    """Write or correct the minutes; they are fixed once approved at the next meeting."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.minutes_approved_at:
        raise ValidationError(_("These minutes were approved and can no longer be changed."))
    if not meeting.is_past:
        raise ValidationError(_("Minutes are written after the meeting."))
    meeting.minutes = text.strip()
    meeting.full_clean()
    history.by(meeting, by).save()
    return meeting


@transaction.atomic
def minutes_approve(*, meeting: Meeting, at: Meeting, by: User | None) -> Meeting:
    """Approve a meeting's minutes at a later meeting of the same body."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.minutes_approved_at:
        raise ValidationError(_("These minutes are already approved."))
    if not meeting.minutes:
        raise ValidationError(_("There are no minutes to approve yet."))
    if (at.body_id, at.working_group_id) != (meeting.body_id, meeting.working_group_id) or (
        at.starts_at <= meeting.starts_at
    ):
        raise ValidationError(_("Minutes are approved at a later meeting of the same body."))
    if timezone.localdate(at.starts_at) > timezone.localdate():
        raise ValidationError(_("Minutes are approved at the meeting, not before it."))
    meeting.minutes_approved_at = timezone.now()
    meeting.minutes_approved_in = at
    history.by(meeting, by).save()
    return meeting


@transaction.atomic
def draft_comment_add(*, version: GoalVersion, text: str, by: User, criterion: Criterion | None = None) -> DraftComment:
    """A steering-group member's comment on a draft before the meeting that decides it."""
    from . import selectors

    if not selectors.draft_open_for_comments(version=version):
        raise ValidationError(
            _("Comments are given before the steering-group meeting that decides the draft; that time has passed.")
        )
    if criterion is not None and criterion.version_id != version.pk:
        raise ValidationError(_("The criterion does not belong to this draft."))
    if not text.strip():
        raise ValidationError(_("Write your comment."))
    rep = by.representative_or_none
    comment = DraftComment(
        version=version,
        criterion=criterion,
        author=by,
        organisation=rep.organisation if rep else None,
        text=text.strip(),
    )
    comment.full_clean()
    history.by(comment, by).save()
    return comment


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


# --- secretariat desk ---


@transaction.atomic
def working_group_terms_pdf_set(*, group: WorkingGroup, upload, by: User | None) -> WorkingGroup:
    """Attach the signed terms of reference as PDF (checked by content, at most the upload limit)."""
    from members.uploads import validate_pdf

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
