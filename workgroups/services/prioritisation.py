"""Writes for the prioritisation of POGI Lab proposals: the secretariat's scores for each proposal, the weights of
the three scores, and the ranked proposals put on the agenda of the next POGI Lab or Council meeting.

The ranking itself is a read (selectors.prioritisation.ranking); nothing here stores a total.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from core import history
from core.formats import date_text
from members.models import User

from ..models import AgendaItem, Body, Meeting, PrioritisationWeights, Project
from ..selectors.prioritisation import CANDIDATE_STATUSES, RankedProposal, ranking
from .meetings import agenda_item_add
from .projects import _secretariat_only

SCORE_RANGE = range(1, 6)
WEIGHT_RANGE = range(0, 11)
# The bodies whose meetings the ranked proposals go to: Lab discusses them, the Council decides on them.
AGENDA_BODIES = (Body.Kind.LAB, Body.Kind.COUNCIL)


def _check_score(value: int | None, message: str) -> None:
    if value is not None and value not in SCORE_RANGE:
        raise ValidationError(message)


@transaction.atomic
def project_score_set(
    *,
    project: Project,
    by: User | None,
    scalability: int | None,
    relevance: int | None,
    co2_potential_tonnes: Decimal | None,
    co2_assumption: str = "",
) -> Project:
    """The secretariat scores a Lab proposal: scalability and relevance from 1 to 5, and the CO2 reduction potential
    in t CO2e per year with the assumption behind it written out. Only a Lab project that is proposed or
    prioritised is scored; a score left empty leaves the proposal among those missing scores."""
    _secretariat_only(by)
    project = Project.objects.select_for_update().get(pk=project.pk)
    if project.track != Project.Track.LAB:
        raise ValidationError(_("Only POGI Lab proposals are scored for the prioritisation."))
    if project.status not in CANDIDATE_STATUSES:
        raise ValidationError(
            _("A Lab project is scored while it is proposed or prioritised; this one is %(status)s.")
            % {"status": str(Project.Status(project.status).label).lower()}
        )
    _check_score(scalability, _("Give the scalability as a whole number from 1 to 5."))
    _check_score(relevance, _("Give the relevance as a whole number from 1 to 5."))
    if co2_potential_tonnes is not None and co2_potential_tonnes < 0:
        raise ValidationError(_("The CO2 reduction potential cannot be negative."))
    if co2_potential_tonnes is not None and not co2_assumption.strip():
        raise ValidationError(_("Write out the assumption behind the CO2 reduction potential."))
    project.scalability = scalability
    project.relevance = relevance
    project.co2_potential_tonnes = co2_potential_tonnes
    project.co2_assumption = co2_assumption.strip() if co2_potential_tonnes is not None else ""
    project.full_clean()
    history.by(project, by).save()
    return project


@transaction.atomic
def prioritisation_weights_set(*, co2: int, scalability: int, relevance: int, by: User | None) -> PrioritisationWeights:
    """The secretariat sets how much each score counts in the total: whole numbers from 0 to 10, not all zero."""
    _secretariat_only(by)
    weights = (co2, scalability, relevance)
    if any(isinstance(w, bool) or not isinstance(w, int) or w not in WEIGHT_RANGE for w in weights):
        raise ValidationError(_("Give each weight as a whole number from 0 to 10."))
    if not any(weights):
        raise ValidationError(_("At least one weight must be above 0, or no proposal can be ranked."))
    row = PrioritisationWeights.objects.select_for_update().order_by("pk").first() or PrioritisationWeights()
    row.co2, row.scalability, row.relevance = weights
    row.updated_by = by
    row.full_clean()
    history.by(row, by).save()
    return row


@dataclass
class AgendaFeed:
    """What putting proposals on a meeting's agenda did: the items added, and the proposals left as they were."""

    meeting: Meeting
    added: list[AgendaItem] = field(default_factory=list)
    skipped: list[tuple[Project, str]] = field(default_factory=list)


def _number(value: Decimal | None, places: int) -> str:
    return "–" if value is None else formats.number_format(value, decimal_pos=places)


def _description(row: RankedProposal) -> str:
    """Where the proposal stands on the ranked list when it is put on the agenda (kept with the item)."""
    if row.rank is None or row.total is None:
        return _("The proposal is not yet scored on the ranked list of Lab proposals.")
    return _(
        "No. %(rank)s on the ranked list of Lab proposals, with a total score of %(total)s out of 5 "
        "(CO2 %(co2)s, scalability %(scalability)s, relevance %(relevance)s)."
    ) % {
        "rank": row.rank,
        "total": _number(row.total, 2),
        "co2": _number(row.co2_score, 2),
        "scalability": row.project.scalability or "–",
        "relevance": row.project.relevance or "–",
    }


@transaction.atomic
def prioritisation_agenda_feed(*, meeting: Meeting, projects: list[Project], by: User | None) -> AgendaFeed:
    """Put ranked Lab proposals on the agenda of a POGI Lab or Council meeting that has not yet taken place, through
    meetings.agenda_item_add: at the Council as an item for decision (only prioritised proposals, which its carried
    decision approves), at POGI Lab as an item for discussion. A proposal already on that agenda, or waiting for a
    decision on another, is left as it is, so sending the same proposals twice adds nothing the second time.

    The items' titles and descriptions are written in the portal's language (Danish), like the rest of an agenda.
    """
    _secretariat_only(by)
    meeting = Meeting.objects.select_for_update().select_related("body").get(pk=meeting.pk)
    if meeting.body.kind not in AGENDA_BODIES:
        raise ValidationError(_("The ranked proposals go to a meeting of POGI Lab or the Council."))
    if meeting.starts_at <= timezone.now():
        raise ValidationError(_("Choose a meeting that has not yet taken place."))
    if not projects:
        raise ValidationError(_("No proposal has been ranked yet: score the proposals first."))
    rows = {row.project.pk: row for row in ranking().rows}
    council = meeting.body.kind == Body.Kind.COUNCIL
    for project in projects:
        row = rows.get(project.pk)
        if row is None:
            raise ValidationError(
                _("%(title)s is not a Lab proposal waiting to be prioritised.") % {"title": project.title}
            )
        if council and row.project.status != Project.Status.PRIORITISED:
            raise ValidationError(
                _("%(title)s must be prioritised before the Council can decide on it.") % {"title": project.title}
            )
    feed = AgendaFeed(meeting=meeting)
    titles = set(meeting.items.values_list("title", flat=True))
    pending = {
        item.project_id: item
        for item in AgendaItem.objects.filter(project__in=projects, decision__isnull=True).select_related("meeting")
    }
    for project in projects:
        row = rows[project.pk]
        waiting = pending.get(project.pk)
        if waiting is not None and waiting.meeting_id == meeting.pk:
            feed.skipped.append((row.project, _("already on this meeting's agenda")))
            continue
        if council and waiting is not None:
            feed.skipped.append(
                (
                    row.project,
                    _("already on the agenda of the meeting on %(date)s, waiting for its decision")
                    % {"date": date_text(waiting.meeting.starts_at)},
                )
            )
            continue
        if not council and row.project.title in titles:
            feed.skipped.append((row.project, _("already on this meeting's agenda")))
            continue
        with translation.override(settings.LANGUAGE_CODE):
            description = _description(row)
            title = (
                _("Approval of the project: %(title)s") % {"title": row.project.title} if council else row.project.title
            )
        item = agenda_item_add(
            meeting=meeting,
            title=title[:200],
            kind=AgendaItem.Kind.DECISION if council else AgendaItem.Kind.DISCUSSION,
            description=description,
            project=row.project if council else None,
            by=by,
        )
        titles.add(item.title)
        feed.added.append(item)
    return feed
