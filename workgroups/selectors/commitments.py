"""The commitment to take part in a POGI project every second year: who has, who soon must, who is overdue.

The rule
--------
* A participation counts when the organisation is, or was, one of a project's
  participants in any role (owner, participant, supporting a hand-over) and
  the project was approved: it is approved, running or completed, or it was
  stopped after it had started. A proposal (proposed or prioritised) and a
  project stopped before it started do not count.
* A participation is active from the day the organisation joined the project
  until the day the project ended (completed or stopped); while the project is
  approved or running it is ongoing. A participation dated after today does
  not count yet; one recorded after the project ended counts until that end.
* A member has taken part within the last two years when one of its counted
  participations is ongoing, or ended no more than two years ago (its active
  period overlaps the two years up to today).
* The two years run out two years after the end of the latest participation,
  but never earlier than two years after the member joined the partnership
  (``Membership.joined_on``); the run-out day itself is still inside. An
  ongoing participation never runs out. Two years after 29 February is
  28 February.
* Each member is in one of four states:
  ``current``: taken part, more than ``POGI_PROJECT_COMMITMENT_WARNING_DAYS``
  days before the two years run out (or ongoing);
  ``due_soon``: the two years run out today or within that many days;
  ``overdue``: the two years have run out;
  ``not_yet_due``: joined less than two years ago, not yet taken part, and
  more than that many days left.

``project_commitments`` answers for many members in one query;
``membership_in_status`` gives the same states as a ``Q`` on Membership for the
overview's filter (tests check that the two agree at every edge).
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Exists, F, Max, OuterRef, Q, Subquery
from django.utils.translation import gettext_lazy as _

from core.dates import add_years
from members.models import Membership, Organisation

from ..models import Project, ProjectParticipant

P = Project.Status

CURRENT = "current"
DUE_SOON = "due_soon"
OVERDUE = "overdue"
NOT_YET_DUE = "not_yet_due"
STATUSES = [
    (CURRENT, _("Taken part")),
    (DUE_SOON, _("Runs out soon")),
    (OVERDUE, _("Overdue")),
    (NOT_YET_DUE, _("Not yet due")),
]
ONGOING_STATUSES = (P.APPROVED, P.RUNNING)


def warning_days() -> int:
    """How many days before the two years run out a member is warned."""
    return int(settings.POGI_PROJECT_COMMITMENT_WARNING_DAYS)


def two_years_after(day: datetime.date) -> datetime.date:
    """The same day two years later; 29 February becomes 28 February."""
    return add_years(day, 2)


def _earliest_reaching(day: datetime.date) -> datetime.date:
    """The earliest date whose two years last until ``day``: two_years_after(d) >= day exactly when d >= this."""
    earliest = add_years(day, -2)
    if two_years_after(earliest) < day:
        earliest += datetime.timedelta(days=1)
    return earliest


@dataclass(frozen=True)
class ProjectCommitment:
    """How one member stands: its state, the participations behind it and when the two years run out."""

    status: str
    joined_on: datetime.date | None
    runs_out_on: datetime.date | None
    days_left: int | None
    counted: tuple[ProjectParticipant, ...]
    latest: tuple[ProjectParticipant, ...]

    @property
    def ongoing(self) -> bool:
        return any(p.project.status in ONGOING_STATUSES for p in self.counted)

    @property
    def taken_part(self) -> bool:
        return bool(self.counted)

    @property
    def label(self) -> str:
        return str(dict(STATUSES)[self.status])


def commitment_status(
    *,
    joined_on: datetime.date | None,
    ongoing: bool,
    last_ended_on: datetime.date | None,
    today: datetime.date,
    warn_days: int,
) -> tuple[str, datetime.date | None]:
    """The rule itself, on the three facts it needs: the state and the day the two years run out (None: never)."""
    if ongoing:
        return CURRENT, None
    deadlines = [two_years_after(day) for day in (last_ended_on, joined_on) if day is not None]
    runs_out = max(deadlines) if deadlines else None
    if runs_out is None or runs_out < today:
        return OVERDUE, runs_out
    if runs_out <= today + datetime.timedelta(days=warn_days):
        return DUE_SOON, runs_out
    taken_part = last_ended_on is not None and two_years_after(last_ended_on) >= today
    return (CURRENT if taken_part else NOT_YET_DUE), runs_out


def _counting(today: datetime.date) -> Q:
    """The participations that count, on ProjectParticipant."""
    closed = Q(project__status=P.COMPLETED) | Q(project__status=P.STOPPED, project__started_on__isnull=False)
    return Q(joined_on__lte=today) & (
        Q(project__status__in=ONGOING_STATUSES) | (closed & Q(project__ended_on__isnull=False))
    )


def _closed(today: datetime.date) -> Q:
    return _counting(today) & Q(project__ended_on__isnull=False) & ~Q(project__status__in=ONGOING_STATUSES)


def project_commitments(
    *, memberships: Sequence[Membership], today: datetime.date, warn_days: int | None = None
) -> dict[int, ProjectCommitment]:
    """Each membership's organisation (by id) with how it stands, in one query whatever the number of members.

    The query fetches only the participations that show: those counted in the
    last two years and, per organisation, the ones that ended last.
    """
    warn_days = warning_days() if warn_days is None else warn_days
    ids = [m.organisation_id for m in memberships]
    if not ids:
        return {}
    since = _earliest_reaching(today)
    last_end = (
        ProjectParticipant.objects.filter(_closed(today), organisation=OuterRef("organisation"))
        .order_by()
        .values("organisation")
        .annotate(last=Max("project__ended_on"))
        .values("last")
    )
    rows = (
        ProjectParticipant.objects.filter(_counting(today), organisation_id__in=ids)
        .filter(
            Q(project__status__in=ONGOING_STATUSES)
            | Q(project__ended_on__gte=since)
            | Q(project__ended_on=Subquery(last_end))
        )
        .select_related("project")
        .order_by("organisation_id", F("project__ended_on").desc(nulls_first=True), "project__title")
    )
    by_organisation: dict[int, list[ProjectParticipant]] = {}
    for row in rows:
        by_organisation.setdefault(row.organisation_id, []).append(row)
    found = {}
    for membership in memberships:
        participations = by_organisation.get(membership.organisation_id, [])
        ongoing = [p for p in participations if p.project.status in ONGOING_STATUSES]
        ended = [p.project.ended_on for p in participations if p.project.ended_on and p not in ongoing]
        last_ended_on = max(ended) if ended else None
        status, runs_out = commitment_status(
            joined_on=membership.joined_on,
            ongoing=bool(ongoing),
            last_ended_on=last_ended_on,
            today=today,
            warn_days=warn_days,
        )
        counted = tuple(
            p for p in participations if p in ongoing or (p.project.ended_on and p.project.ended_on >= since)
        )
        latest = () if counted else tuple(p for p in participations if p.project.ended_on == last_ended_on)
        found[membership.organisation_id] = ProjectCommitment(
            status=status,
            joined_on=membership.joined_on,
            runs_out_on=runs_out,
            days_left=(runs_out - today).days if runs_out else None,
            counted=counted,
            latest=latest,
        )
    return found


def project_commitment_of(*, organisation: Organisation, today: datetime.date) -> ProjectCommitment | None:
    """One member's standing (None unless it is an active member): two queries."""
    membership = organisation.memberships.filter(status=Membership.Status.ACTIVE).first()
    if membership is None:
        return None
    return project_commitments(memberships=[membership], today=today)[organisation.pk]


def membership_in_status(status: str, today: datetime.date, warn_days: int | None = None) -> Q:
    """The memberships whose organisation is in ``status`` today, as a Q on Membership (the same rule in SQL).

    "The two years last until day t" is "a counted participation ended on or
    after _earliest_reaching(t), or the member joined on or after it".
    """
    warn_days = warning_days() if warn_days is None else warn_days
    counted = ProjectParticipant.objects.filter(_counting(today), organisation=OuterRef("organisation"))
    ongoing = Exists(counted.filter(project__status__in=ONGOING_STATUSES))

    def lasts_until(day: datetime.date) -> Q:
        since = _earliest_reaching(day)
        return Q(Exists(counted.filter(_closed(today), project__ended_on__gte=since))) | Q(joined_on__gte=since)

    taken_part = Q(Exists(counted.filter(_closed(today), project__ended_on__gte=_earliest_reaching(today))))
    after_warning = today + datetime.timedelta(days=warn_days + 1)
    if status == CURRENT:
        return Q(ongoing) | (taken_part & lasts_until(after_warning))
    if status == DUE_SOON:
        return ~Q(ongoing) & lasts_until(today) & ~lasts_until(after_warning)
    if status == NOT_YET_DUE:
        return ~Q(ongoing) & ~taken_part & lasts_until(after_warning)
    if status == OVERDUE:
        return ~Q(ongoing) & ~lasts_until(today)
    return Q(pk__in=[])
