"""Writes for projects (POGI Move and POGI Lab): proposal, prioritisation, approval by decision, start,
completion with the measured effect, stop with a reason, the hand-over from Lab to Move, and the plan's phases.

A project's status moves only along PROJECT_TRANSITIONS, each move through the
one service named there. Approval is not a service a page calls: it is what a
carried decision on the project's agenda item does (meetings.decision_record),
at a meeting of the Council for a Lab project and of POGI Move for a Move project.
"""

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from core import history
from core.text import ascii_slug, unique_slug
from goals.models import Goal, ProductArea
from members.models import Membership, Organisation, User

from ..models import (
    Decision,
    Project,
    ProjectFunding,
    ProjectParticipant,
    ProjectPartner,
    ProjectPhase,
    ProjectReportReminder,
    ProjectStatusReport,
)
from ..quarters import quarter_end, quarter_of, quarter_start

P = Project.Status

# (from, to) → the one service that makes the move.
PROJECT_TRANSITIONS: dict[tuple[str, str], str] = {
    (P.PROPOSED, P.PRIORITISED): "project_prioritise",
    (P.PRIORITISED, P.APPROVED): "project_approve",
    (P.APPROVED, P.RUNNING): "project_start",
    (P.RUNNING, P.COMPLETED): "project_complete",
    (P.PROPOSED, P.STOPPED): "project_stop",
    (P.PRIORITISED, P.STOPPED): "project_stop",
    (P.APPROVED, P.STOPPED): "project_stop",
    (P.RUNNING, P.STOPPED): "project_stop",
}

# The body whose carried decision approves a project of each track.
APPROVING_BODY: dict[str, str] = {Project.Track.LAB: "council", Project.Track.MOVE: "move"}


def _acts_for(by: User | None, organisation: Organisation) -> bool:
    """Whether the person may act for the organisation: the secretariat, or its own active representative."""
    if by is None:
        return True  # the portal itself (demo data, imports run by the secretariat's commands)
    if by.is_secretariat:
        return True
    rep = by.representative_or_none
    return rep is not None and rep.organisation_id == organisation.pk


def _secretariat_only(by: User | None) -> None:
    if by is not None and not by.is_secretariat:
        raise ValidationError(_("Only the secretariat can do this."))


def _owner_or_secretariat(by: User | None, project: Project) -> None:
    if not _acts_for(by, project.owner):
        raise ValidationError(_("Only the project's owner organisation and the secretariat can do this."))


# Addresses under /projects/ that are pages of their own, never a project's.
RESERVED_SLUGS = frozenset(
    {
        "propose",
        "phases",
        "reports",
        "financing",
        "bodies",
        "prioritisation",
        "export",
        "import",
        "dialogues",
        "interest",
    }
)


def _project_slug(title: str) -> str:
    base = ascii_slug(title)[:70] or "projekt"
    return unique_slug(base, taken=lambda slug: slug in RESERVED_SLUGS or Project.objects.filter(slug=slug).exists())


def _active_members(candidates: Iterable[Organisation]) -> list[Organisation]:
    organisations: list[Organisation] = list(candidates)
    active = set(
        Membership.objects.filter(organisation__in=organisations, status=Membership.Status.ACTIVE).values_list(
            "organisation_id", flat=True
        )
    )
    inactive = [o.name for o in organisations if o.pk not in active]
    if inactive:
        raise ValidationError(
            _("Only member organisations take part in a project: %(names)s is not a member.")
            % {"names": ", ".join(sorted(inactive))}
        )
    return organisations


@transaction.atomic
def project_propose(
    *,
    owner: Organisation,
    kind: str,
    title: str,
    purpose: str,
    by: User | None,
    lead: User | None = None,
    goals: list[Goal] | None = None,
    product_areas: list[ProductArea] | None = None,
    participants: list[Organisation] | None = None,
    partners: list[tuple[str, str]] | None = None,
    co2_potential_tonnes: Decimal | None = None,
    co2_assumption: str = "",
    handed_over_from: Project | None = None,
) -> Project:
    """A member (or the secretariat for one) proposes a project; it starts as proposed.

    The owner must be an active member the proposer acts for; the lead, when
    given, is one of the owner's representatives or the secretariat.
    """
    if kind not in Project.Kind.values:
        raise ValidationError(_("Choose the kind of project."))
    if not _acts_for(by, owner):
        raise ValidationError(_("You can only propose a project for the organisation you represent."))
    _active_members([owner])
    if lead is not None and not lead.is_secretariat:
        rep = lead.representative_or_none
        if rep is None or rep.organisation_id != owner.pk:
            raise ValidationError(_("The project lead must represent the owner organisation."))
    if not title.strip() or not purpose.strip():
        raise ValidationError(_("A project needs a title and a purpose."))
    if co2_potential_tonnes is not None and co2_potential_tonnes < 0:
        raise ValidationError(_("The CO2 reduction potential cannot be negative."))
    if co2_potential_tonnes is not None and not co2_assumption.strip():
        raise ValidationError(_("Write out the assumption behind the CO2 reduction potential."))
    project = Project(
        slug=_project_slug(title),
        title=title.strip(),
        purpose=purpose.strip(),
        kind=kind,
        track=Project.TRACK_OF_KIND[kind],
        owner=owner,
        lead=lead,
        co2_potential_tonnes=co2_potential_tonnes,
        co2_assumption=co2_assumption.strip(),
        handed_over_from=handed_over_from,
        created_by=by,
    )
    project.full_clean()
    history.by(project, by).save()
    if goals:
        project.goals.set(goals)
    if product_areas:
        project.product_areas.set(product_areas)
    history.by(ProjectParticipant(project=project, organisation=owner, role=ProjectParticipant.Role.OWNER), by).save()
    for organisation in _active_members(o for o in (participants or []) if o.pk != owner.pk):
        project_participant_add(project=project, organisation=organisation, by=by)
    for name, contribution in partners or []:
        project_partner_add(project=project, name=name, contribution=contribution, by=by)
    return project


def _project_move(project: Project, to: str, service: str) -> Project:
    project = Project.objects.select_for_update().get(pk=project.pk)
    if PROJECT_TRANSITIONS.get((project.status, to)) != service:
        raise ValidationError(
            _("A project that is %(from)s cannot become %(to)s.")
            % {"from": str(P(project.status).label).lower(), "to": str(P(to).label).lower()}
        )
    project.status = to
    return project


@transaction.atomic
def project_prioritise(*, project: Project, by: User | None) -> Project:
    """The secretariat takes a proposal forward to the body that decides on it."""
    _secretariat_only(by)
    project = _project_move(project, P.PRIORITISED, "project_prioritise")
    project.full_clean()
    history.by(project, by).save()
    return project


@transaction.atomic
def project_approve(*, project: Project, decision: Decision, by: User | None) -> Project:
    """Approve a project by a carried decision of the body for its track (called by decision_record only)."""
    project = _project_move(project, P.APPROVED, "project_approve")
    decision = Decision.objects.select_related("item__meeting__body").get(pk=decision.pk)
    body = decision.item.meeting.body.kind
    if body != APPROVING_BODY[project.track]:
        raise ValidationError(
            _("A Lab project is started by the Council, a Move project by POGI Move; this decision is not theirs.")
        )
    if decision.outcome != Decision.Outcome.CARRIED or decision.item.project_id != project.pk:
        raise ValidationError(_("Only a carried decision on this project's agenda item approves it."))
    project.decision = decision
    project.approved_on = timezone.localdate(decision.item.meeting.starts_at)
    project.full_clean()
    history.by(project, by).save()
    return project


@transaction.atomic
def project_start(*, project: Project, by: User | None, started_on: date | None = None) -> Project:
    """An approved project begins its work; it needs a plan of at least one phase."""
    project = _project_move(project, P.RUNNING, "project_start")
    _owner_or_secretariat(by, project)
    if not project.phases.exists():
        raise ValidationError(_("Plan at least one phase with its milestone before the project starts."))
    project.started_on = started_on or timezone.localdate()
    if project.approved_on and project.started_on < project.approved_on:
        raise ValidationError(_("A project cannot start before it was approved."))
    project.full_clean()
    history.by(project, by).save()
    return project


@transaction.atomic
def project_complete(
    *,
    project: Project,
    by: User | None,
    measured_effect_tonnes: Decimal | None,
    effect_note: str,
    ended_on: date | None = None,
) -> Project:
    """A running project is completed; the measured effect is recorded beside the potential (or why none was)."""
    project = _project_move(project, P.COMPLETED, "project_complete")
    _owner_or_secretariat(by, project)
    if not effect_note.strip():
        raise ValidationError(_("Say how the effect was measured, or why it could not be."))
    if measured_effect_tonnes is not None and measured_effect_tonnes < 0:
        raise ValidationError(_("Write a reduction as a positive number of tonnes."))
    open_phases = project.phases.filter(status__in=[ProjectPhase.Status.PLANNED, ProjectPhase.Status.IN_PROGRESS])
    if open_phases.exists():
        raise ValidationError(_("Every phase must have reached its milestone or be cancelled before completion."))
    project.measured_effect_tonnes = measured_effect_tonnes
    project.effect_note = effect_note.strip()
    project.ended_on = ended_on or timezone.localdate()
    project.full_clean()
    history.by(project, by).save()
    return project


@transaction.atomic
def project_stop(*, project: Project, by: User | None, reason: str) -> Project:
    """Stop a project before it is completed, with the reason (shown on its page)."""
    if not reason.strip():
        raise ValidationError(_("Give the reason the project is stopped."))
    _secretariat_only(by)
    project = _project_move(project, P.STOPPED, "project_stop")
    project.stop_reason = reason.strip()
    project.ended_on = timezone.localdate()
    project.full_clean()
    history.by(project, by).save()
    return project


@transaction.atomic
def project_hand_over(*, project: Project, kind: str, by: User | None, title: str = "") -> Project:
    """Hand a completed Lab project over to POGI Move for scaling: a linked Move project is proposed.

    The Move project keeps the owner, goals, product areas and partners; the Lab
    project's participants support the hand-over. Both keep their history.
    """
    _secretariat_only(by)
    project = Project.objects.select_for_update().get(pk=project.pk)
    if project.track != Project.Track.LAB or project.status != P.COMPLETED:
        raise ValidationError(_("Only a completed Lab project is handed over to POGI Move."))
    if Project.objects.filter(handed_over_from=project).exists():
        raise ValidationError(_("This Lab project has already been handed over to POGI Move."))
    if Project.TRACK_OF_KIND.get(kind) != Project.Track.MOVE:
        raise ValidationError(_("Choose the kind of Move project that scales the solution."))
    move = project_propose(
        owner=project.owner,
        kind=kind,
        title=title.strip() or project.title,
        purpose=project.purpose,
        by=by,
        lead=project.lead,
        goals=list(project.goals.all()),
        product_areas=list(project.product_areas.all()),
        partners=[(p.name, p.contribution) for p in project.partners.all()],
        co2_potential_tonnes=project.measured_effect_tonnes
        if project.measured_effect_tonnes is not None
        else project.co2_potential_tonnes,
        co2_assumption=project.effect_note or project.co2_assumption,
        handed_over_from=project,
    )
    for participant in project.participants.exclude(organisation=project.owner).select_related("organisation"):
        history.by(
            ProjectParticipant(
                project=move, organisation=participant.organisation, role=ProjectParticipant.Role.SUPPORT
            ),
            by,
        ).save()
    history.by(project, by).save(update_fields=["updated_at"])  # the Lab project's history records the hand-over
    return move


@transaction.atomic
def project_participant_add(
    *, project: Project, organisation: Organisation, by: User | None, role: str = ProjectParticipant.Role.PARTICIPANT
) -> ProjectParticipant:
    """A member organisation joins a project (itself, or added by the secretariat or the owner)."""
    project = Project.objects.select_for_update().get(pk=project.pk)
    if project.status in (P.COMPLETED, P.STOPPED):
        raise ValidationError(_("The project has ended; no one joins it any more."))
    if not (_acts_for(by, organisation) or _acts_for(by, project.owner)):
        raise ValidationError(_("You can only add the organisation you represent."))
    if role == ProjectParticipant.Role.OWNER:
        raise ValidationError(_("A project has one owner, set when it is proposed."))
    _active_members([organisation])
    if project.participants.filter(organisation=organisation).exists():
        raise ValidationError(
            _("%(organisation)s already takes part in the project.") % {"organisation": organisation.name}
        )
    participant = ProjectParticipant(project=project, organisation=organisation, role=role)
    participant.full_clean()
    history.by(participant, by).save()
    return participant


@transaction.atomic
def project_partner_add(*, project: Project, name: str, by: User | None, contribution: str = "") -> ProjectPartner:
    if not name.strip():
        raise ValidationError(_("Give the partner's name."))
    if project.partners.filter(name__iexact=name.strip()).exists():
        raise ValidationError(_("%(name)s is already a partner of the project.") % {"name": name.strip()})
    partner = ProjectPartner(project=project, name=name.strip(), contribution=contribution.strip())
    partner.full_clean()
    history.by(partner, by).save()
    return partner


PHASE_FIELDS = ("title", "milestone", "weight", "planned_start", "planned_end", "budget_dkk", "spent_dkk")


@transaction.atomic
def project_phase_add(*, project: Project, by: User | None, **fields: Any) -> ProjectPhase:
    """Add a phase with its milestone to the plan of a project that has not ended."""
    project = Project.objects.select_for_update().get(pk=project.pk)
    _owner_or_secretariat(by, project)
    if project.status in (P.COMPLETED, P.STOPPED):
        raise ValidationError(_("The project has ended; its plan is closed."))
    unknown = set(fields) - set(PHASE_FIELDS)
    if unknown:
        raise ValidationError(_("These fields cannot be changed here: %s") % ", ".join(sorted(unknown)))
    position = (project.phases.order_by("-position").values_list("position", flat=True).first() or 0) + 1
    phase = ProjectPhase(project=project, position=position, **fields)
    _phase_check(phase)
    history.by(phase, by).save()
    return phase


def _phase_check(phase: ProjectPhase) -> None:
    if phase.planned_start and phase.planned_end and phase.planned_end < phase.planned_start:
        raise ValidationError(_("A phase ends on or after the day it starts."))
    if phase.actual_end and phase.actual_start and phase.actual_end < phase.actual_start:
        raise ValidationError(_("A milestone is reached on or after the day its phase started."))
    if phase.actual_end and phase.actual_end > timezone.localdate():
        raise ValidationError(_("A milestone cannot be reached in the future."))
    phase.full_clean()


@transaction.atomic
def project_phase_update(
    *,
    phase: ProjectPhase,
    by: User | None,
    status: str,
    actual_start: date | None = None,
    actual_end: date | None = None,
    **fields: Any,
) -> ProjectPhase:
    """Record how a phase goes: its status and actual dates (a reached milestone needs its date)."""
    phase = ProjectPhase.objects.select_for_update().select_related("project").get(pk=phase.pk)
    _owner_or_secretariat(by, phase.project)
    if phase.project.status in (P.COMPLETED, P.STOPPED):
        raise ValidationError(_("The project has ended; its plan is closed."))
    if status not in ProjectPhase.Status.values:
        raise ValidationError(_("Choose the phase's status."))
    unknown = set(fields) - set(PHASE_FIELDS)
    if unknown:
        raise ValidationError(_("These fields cannot be changed here: %s") % ", ".join(sorted(unknown)))
    if status == ProjectPhase.Status.DONE and actual_end is None:
        raise ValidationError(_("Give the date the milestone was reached."))
    if status != ProjectPhase.Status.DONE:
        actual_end = None
    for name, value in fields.items():
        setattr(phase, name, value)
    phase.status = status
    phase.actual_start = actual_start
    phase.actual_end = actual_end
    _phase_check(phase)
    history.by(phase, by).save()
    return phase


REPORT_FIELDS = ("activities", "results", "deviations", "next_activities", "cost", "time", "quality")
# A quarter's report is asked for from this many days before the quarter ends.
REPORT_REMINDER_DAYS = 14


@transaction.atomic
def status_report_file(
    *, project: Project, by: User | None, year: int, quarter: int, **fields: Any
) -> ProjectStatusReport:
    """File (or correct) a running project's status report for a quarter that has begun.

    The owner's representatives and the secretariat file it; a quarter before the
    project started, or one not yet begun, is refused. Filing again corrects the
    quarter's report; its history keeps what it said before.
    """
    project = Project.objects.select_for_update().get(pk=project.pk)
    _owner_or_secretariat(by, project)
    if project.status != P.RUNNING:
        raise ValidationError(_("Status reports are filed while the project is running."))
    unknown = set(fields) - set(REPORT_FIELDS)
    if unknown:
        raise ValidationError(_("These fields cannot be changed here: %s") % ", ".join(sorted(unknown)))
    if quarter not in (1, 2, 3, 4):
        raise ValidationError(_("Choose a quarter from 1 to 4."))
    today = timezone.localdate()
    if quarter_start(year, quarter) > today:
        raise ValidationError(_("A quarter is reported on once it has begun."))
    if project.started_on and quarter_end(year, quarter) < project.started_on:
        raise ValidationError(_("The project had not started in that quarter."))
    report = ProjectStatusReport.objects.filter(project=project, year=year, quarter=quarter).first()
    if report is None:
        report = ProjectStatusReport(project=project, year=year, quarter=quarter)
    for name, value in fields.items():
        setattr(report, name, value.strip() if isinstance(value, str) else value)
    for name in ("activities", "results", "next_activities"):
        if not getattr(report, name, ""):
            raise ValidationError(_("Write the activities, the results and the next period's activities."))
    if ProjectStatusReport.Light.RED in (report.cost, report.time, report.quality) and not report.deviations:
        raise ValidationError(_("A red light needs its deviation and the corrective action."))
    report.filed_by = by
    report.filed_at = timezone.now()
    report.full_clean()
    history.by(report, by).save()
    return report


def _report_recipients(project: Project) -> list[User]:
    """Who is reminded: the project lead, or else the owner's primary representative and deputy."""
    from members.models import Representative

    if project.lead is not None and project.lead.is_active:
        return [project.lead]
    reps = Representative.objects.filter(
        organisation_id=project.owner_id,
        position__in=[Representative.Position.PRIMARY, Representative.Position.DEPUTY],
        user__is_active=True,
    ).select_related("user")
    return [rep.user for rep in reps]


def status_report_reminders_send_due(*, today: date | None = None) -> int:
    """Remind each running project's lead of the quarter's status report, from 14 days before the quarter ends,
    unless it has been filed; once per project, quarter and person, however often this runs.

    Not one transaction: each reminder's row is committed before its e-mail goes,
    so a worker that stops half-way and starts again sends the rest, never twice.
    """
    from ..emails import status_report_reminder_send

    today = today or timezone.localdate()
    year, quarter = quarter_of(today)
    if (quarter_end(year, quarter) - today).days >= REPORT_REMINDER_DAYS:
        return 0
    due = (
        Project.objects.filter(status=P.RUNNING)
        # one report with both the year and the quarter (an exclude across a relation would also drop a project
        # that has another quarter of this year and this quarter of another year)
        .exclude(Exists(ProjectStatusReport.objects.filter(project=OuterRef("pk"), year=year, quarter=quarter)))
        .select_related("lead", "owner")
    )
    sent = 0
    for project in due:
        for user in _report_recipients(project):
            try:
                with transaction.atomic():
                    ProjectReportReminder.objects.create(
                        project=project, year=year, quarter=quarter, user=user, email=user.email
                    )
            except IntegrityError:
                continue
            status_report_reminder_send(project=project, user=user, year=year, quarter=quarter)
            sent += 1
    return sent


@transaction.atomic
def project_funding_add(
    *, project: Project, by: User | None, source: str, kind: str, amount_dkk: int, status: str
) -> ProjectFunding:
    """Add a source to the project's financing plan (the owner's representatives and the secretariat)."""
    project = Project.objects.select_for_update().get(pk=project.pk)
    _owner_or_secretariat(by, project)
    if project.status in (P.COMPLETED, P.STOPPED):
        raise ValidationError(_("The project has ended; its financing plan is closed."))
    if project.funding.filter(source__iexact=source.strip()).exists():
        raise ValidationError(_("%(source)s is already in the financing plan.") % {"source": source.strip()})
    funding = ProjectFunding(project=project, source=source.strip(), kind=kind, amount_dkk=amount_dkk, status=status)
    funding.full_clean()
    history.by(funding, by).save()
    return funding


@transaction.atomic
def project_funding_update(*, funding: ProjectFunding, by: User | None, status: str, amount_dkk: int) -> ProjectFunding:
    """Record that a source was granted or refused, or its amount changed."""
    funding = ProjectFunding.objects.select_for_update().select_related("project").get(pk=funding.pk)
    _owner_or_secretariat(by, funding.project)
    if funding.project.status in (P.COMPLETED, P.STOPPED):
        raise ValidationError(_("The project has ended; its financing plan is closed."))
    funding.status = status
    funding.amount_dkk = amount_dkk
    funding.full_clean()
    history.by(funding, by).save()
    return funding
