"""Writes for meetings of the bodies: agenda, documents, invitations, attendance, decisions with votes checked against the quorum, minutes, and the steering group's comments on drafts.

Adopting a draft goes through goals.services, which owns the goal version's status.
"""

from datetime import date, datetime
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core import history
from core.enqueue import enqueue
from core.formats import date_text
from goals import services as goal_services
from goals.models import Criterion, GoalVersion
from members import services as member_services
from members.models import Membership, Organisation, User

from ..models import (
    AgendaDocument,
    AgendaItem,
    Attendance,
    Body,
    Decision,
    DraftComment,
    Hearing,
    Meeting,
    Project,
    Vote,
    WorkingGroup,
    WorkPlan,
)


def body_for(*, kind: str) -> Body:
    """The body of a kind with its quorum rule (created with the rules of procedure's defaults)."""
    if kind not in Body.Kind.values:
        raise ValidationError(_("Choose the body that meets."))
    body, _created = Body.objects.get_or_create(
        kind=kind,
        defaults={"min_present": Body.DEFAULT_MIN_PRESENT.get(kind, 2), **Body.DEFAULT_RULES.get(kind, {})},
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
def meeting_update(*, meeting: Meeting, by: User | None, **fields: Any) -> Meeting:
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
    from ..tasks import meeting_invitation_send

    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.is_past:
        raise ValidationError(_("The meeting has taken place; invitations can no longer be sent."))
    if not meeting.items.exists():
        raise ValidationError(_("Put at least one item on the agenda before sending the invitation."))
    meeting.invitation_requested_at = timezone.now()
    history.by(meeting, by).save()
    stamp = meeting.invitation_requested_at.isoformat()
    transaction.on_commit(lambda: enqueue(meeting_invitation_send, meeting.pk, stamp))
    return meeting


def meeting_invitation_deliver(*, meeting_id: int, requested_at: str) -> int:
    """Email a meeting's invitation and agenda to its participants, once per request.

    The meeting row is stamped before sending, so a retried or repeated task does
    not send the same invitation twice; a newer request supersedes an older one.
    """
    from ..emails import meeting_invitation_email_send
    from ..selectors import meeting_participants

    requested = datetime.fromisoformat(requested_at)
    updated = (
        Meeting.objects.filter(pk=meeting_id, invitation_requested_at=requested)
        .filter(Q(invitation_sent_at=None) | Q(invitation_sent_at__lt=requested))
        .update(invitation_sent_at=timezone.now())
    )
    if not updated:
        return 0
    meeting = Meeting.objects.select_related("body", "working_group").get(pk=meeting_id)
    items = list(meeting.items.order_by("position"))
    participants = [p for p in meeting_participants(meeting=meeting) if p.user.email]
    recipients = sorted({p.user.email for p in participants})
    languages = {p.user.email: p.user.language for p in participants}
    return meeting_invitation_email_send(meeting=meeting, items=items, recipients=recipients, languages=languages)


# The statuses in which a draft can be put on a steering-group agenda; goals.services.goal_version_submit checks
# the industry hearing is over, and only a submitted version can be adopted (goals.services.TRANSITIONS).
SUBMITTABLE = (GoalVersion.Status.INDUSTRY_HEARING, GoalVersion.Status.DRAFT, GoalVersion.Status.SUBMITTED)


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
    project: Project | None = None,
    by: User | None,
) -> AgendaItem:
    """Put an item on the agenda. Drafts, applications and the work plan are decided by the steering group;
    a prioritised Lab project by the Council, a prioritised Move project by POGI Move."""
    from .projects import APPROVING_BODY

    meeting = Meeting.objects.select_for_update().select_related("body").get(pk=meeting.pk)
    if meeting.minutes_approved_at:
        raise ValidationError(_("The minutes of this meeting are approved; the agenda can no longer be changed."))
    subjects = [s for s in (version, membership, work_plan, project) if s is not None]
    if len(subjects) > 1:
        raise ValidationError(_("An agenda item concerns at most one draft, application, work plan or project."))
    if project is not None:
        project = Project.objects.get(pk=project.pk)
        if meeting.body.kind != APPROVING_BODY[project.track]:
            raise ValidationError(
                _("A Lab project is started by the Council, a Move project by POGI Move: put it on their meeting.")
            )
        if project.status != Project.Status.PRIORITISED:
            raise ValidationError(_("Only a prioritised project goes on the agenda for approval."))
        if AgendaItem.objects.filter(project=project, decision__isnull=True).exists():
            raise ValidationError(_("This project is already on an agenda, waiting for its decision."))
        kind = AgendaItem.Kind.DECISION
    elif subjects:
        if meeting.body.kind != Body.Kind.STEERING_GROUP:
            raise ValidationError(
                _("Drafts, membership applications and the work plan are decided by the steering group.")
            )
        kind = AgendaItem.Kind.DECISION
    if version is not None:
        version = GoalVersion.objects.get(pk=version.pk)
        if version.status not in SUBMITTABLE:
            raise ValidationError(
                _("Only a draft that has been through the hearings can go to the steering group for adoption.")
            )
        if effective_date is None:
            raise ValidationError(_("Give the date from which the version will be in force if adopted."))
        if effective_date < timezone.localdate(meeting.starts_at):
            raise ValidationError(_("The version cannot be in force before the meeting."))
        pending = (
            AgendaItem.objects.filter(version=version, decision__isnull=True)
            .select_related("meeting")
            .order_by("meeting__starts_at")
            .first()
        )
        if pending is not None:
            raise ValidationError(
                _("This draft is already on the agenda of the meeting on %(date)s, waiting for its decision.")
                % {"date": date_text(timezone.localdate(pending.meeting.starts_at))}
            )
        # Putting the draft on the agenda is what submits it; the industry hearing must be over.
        version = goal_services.goal_version_submit(
            version=version, industry_hearing=version.hearings.filter(kind=Hearing.Kind.INDUSTRY).first(), by=by
        )
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
        project=project,
    )
    item.full_clean()
    history.by(item, by).save()
    return item


@transaction.atomic
def agenda_item_remove(*, item: AgendaItem, by: User | None) -> None:
    """Take an item off the agenda before it is decided. A draft taken off stays submitted: it can go on another
    meeting's agenda, or back to the working group."""
    item = AgendaItem.objects.select_for_update(of=("self",)).select_related("meeting").get(pk=item.pk)
    if item.meeting.minutes_approved_at:
        raise ValidationError(_("The minutes of this meeting are approved; the agenda can no longer be changed."))
    if Decision.objects.filter(item=item).exists():
        raise ValidationError(_("This item has been decided; a decided item stays on the agenda."))
    meeting = item.meeting
    history.by(item, by).delete()
    for position, remaining in enumerate(meeting.items.order_by("position", "pk"), start=1):
        if remaining.position != position:
            remaining.position = position
            history.by(remaining, by).save(update_fields=["position"])


@transaction.atomic
def agenda_document_add(
    *, item: AgendaItem, title: str, upload: "UploadedFile[bytes]", by: User | None
) -> AgendaDocument:
    """Attach a PDF to an agenda item (checked by content and size like every upload)."""
    from core.uploads import validate_pdf

    validate_pdf(upload, signed_form=False)
    # An uploaded file always has a name; the stubs allow None.
    document = AgendaDocument(item=item, title=title.strip() or upload.name, uploaded_by=by)  # type: ignore[misc]
    document.file.save(upload.name, upload, save=False)  # type: ignore[arg-type]
    document.full_clean()
    document.save()
    return document


@transaction.atomic
def attendance_record(*, meeting: Meeting, users: list[User], by: User | None) -> list[Attendance]:
    """Record who attended: the body's participants, each for their organisation.

    Refused before the meeting day, and for an organisation that has already voted
    on a decision (its attendance is part of that decision's record).
    """
    from .. import selectors

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
    proposal_en: str = "",
) -> Decision:
    """Record the decision on an agenda item: check quorum, count one vote per organisation present, apply it.

    A carried proposal to adopt a draft adopts it (published on its effective
    date by the beat task, at once if that date has come); an application is
    approved or rejected; a work plan is marked as decided. Refused without
    quorum, for a second vote by the same organisation, for an organisation not
    present, and for an item already decided. ``proposal_en`` is the proposal in
    English for the English pages (optional; the Danish proposal is the one voted on).
    """
    from goals.tasks import goal_versions_publish_due

    from .. import selectors

    item = (
        AgendaItem.objects.select_for_update(of=("self",))
        .select_related("meeting", "meeting__body", "version", "membership", "membership__organisation", "project")
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
    if item.project_id and cast(Project, item.project).status != Project.Status.PRIORITISED:
        raise ValidationError(_("The project on this item is no longer waiting for approval."))
    if item.version_id:
        version = GoalVersion.objects.get(pk=item.version_id)
        if version.status != GoalVersion.Status.SUBMITTED:
            raise ValidationError(
                _("The draft on this item is no longer before the steering group: it is %(status)s.")
                % {"status": str(version.get_status_display()).lower()}
            )
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
        proposal_en=proposal_en.strip(),
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
        # A draft's item always has its version and, by a check constraint, an effective date.
        goal_services.goal_version_adopt(
            version=cast(GoalVersion, item.version),
            by=by,
            effective_date=cast(date, item.effective_date),
            adopted_on=meeting_day,
            decision_id=decision.pk,
        )
        if cast(date, item.effective_date) <= timezone.localdate():
            transaction.on_commit(goal_versions_publish_due.delay)
    if item.membership_id:
        if carried:
            member_services.membership_approve(
                membership=cast(Membership, item.membership), decided_by=by, reason=_("Approved by the steering group.")
            )
        else:
            member_services.membership_reject(
                membership=cast(Membership, item.membership),
                decided_by=by,
                reason=_("The steering group did not approve the application at its meeting on %(date)s.")
                % {"date": date_text(meeting_day)},
            )
    if carried and item.project_id:
        from .projects import project_approve

        project_approve(project=cast(Project, item.project), decision=decision, by=by)
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
    from .. import selectors

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
