"""Reads for meetings, scoped to the body's participants: agenda, documents, attendance, drafts up for review and decision."""

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, cast

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from goals.models import GoalVersion
from members.models import Membership, Organisation, User

from ..models import (
    AgendaDocument,
    AgendaItem,
    Attendance,
    Body,
    DraftComment,
    Hearing,
    Meeting,
    Vote,
    WorkingGroupMember,
)
from .hearings import memo_counts, memo_sections, version_redline

if TYPE_CHECKING:
    from members.models import Representative


def meeting_participants(*, meeting: Meeting) -> "list[WorkingGroupMember] | list[Representative]":
    """Who is invited to and may attend a meeting, each with `.user` and `.organisation`.

    Steering group: each active member's steering-group representative. Working
    group: its members. Move, Lab and the Council: the primary representatives of active members.
    """
    from members.models import Representative

    kind = meeting.body.kind
    if kind == Body.Kind.WORKING_GROUP:
        return list(
            WorkingGroupMember.objects.filter(group_id=meeting.working_group_id)
            .select_related("user", "organisation")
            .order_by("organisation__name", "user__name")
        )
    reps = Representative.objects.filter(organisation__memberships__status=Membership.Status.ACTIVE)
    if kind == Body.Kind.STEERING_GROUP:
        reps = reps.filter(steering_group=True)
    else:
        reps = reps.filter(position=Representative.Position.PRIMARY)
    return list(reps.select_related("user", "organisation").distinct().order_by("organisation__name", "user__name"))


def meeting_eligible_count(*, meeting: Meeting) -> int:
    """The number of member organisations of the body (the basis of its quorum)."""
    return len({p.organisation_id for p in meeting_participants(meeting=meeting)})


def _meeting_scope(user: User) -> Q:
    """Meetings a person may see: the secretariat all; the steering group its own; a working group its own."""
    if user.is_secretariat:
        return Q()
    rep = user.representative_or_none
    scope = Q(working_group__members__user=user)
    if rep is not None and rep.steering_group:
        scope |= Q(body__kind=Body.Kind.STEERING_GROUP)
    if rep is not None and rep.position == rep.Position.PRIMARY:
        scope |= Q(body__kind__in=[Body.Kind.MOVE, Body.Kind.LAB, Body.Kind.COUNCIL])
    return scope


def meetings_for(*, user: User) -> tuple[list[Meeting], list[Meeting]]:
    """Upcoming and past meetings a person may see, with their agenda sizes."""
    qs = (
        Meeting.objects.filter(_meeting_scope(user))
        .select_related("body", "working_group")
        .annotate(item_count=Count("items", distinct=True))
        .distinct()
    )
    now = timezone.now()
    upcoming: list[Meeting] = list(qs.filter(starts_at__gt=now).order_by("starts_at"))
    past: list[Meeting] = list(qs.filter(starts_at__lte=now).order_by("-starts_at")[:50])
    return upcoming, past


def meeting_for(*, pk: int, user: User) -> Meeting:
    """A meeting with its agenda, documents, decisions and votes, for those who may see it (404 otherwise)."""
    meeting = (
        Meeting.objects.filter(_meeting_scope(user), pk=pk)
        .select_related("body", "working_group", "minutes_approved_in")
        .prefetch_related(
            Prefetch(
                "items",
                queryset=AgendaItem.objects.select_related(
                    "version",
                    "version__goal",
                    "membership",
                    "membership__organisation",
                    "work_plan",
                    "project",
                    "decision",
                ).prefetch_related(
                    "documents", Prefetch("decision__votes", queryset=Vote.objects.select_related("organisation"))
                ),
            ),
            Prefetch("attendance", queryset=Attendance.objects.select_related("user", "organisation")),
            Prefetch("approved_minutes", queryset=Meeting.objects.order_by("starts_at")),
        )
        .distinct()
        .first()
    )
    if meeting is None:
        raise Http404
    return meeting


def minutes_awaiting_approval(*, meeting: Meeting) -> list[Meeting]:
    """Earlier meetings of the same body whose minutes are written but not yet approved."""
    return list(
        Meeting.objects.filter(
            body_id=meeting.body_id,
            working_group_id=meeting.working_group_id,
            starts_at__lt=meeting.starts_at,
            minutes_approved_at=None,
        )
        .exclude(minutes="")
        .order_by("starts_at")
    )


def document_for(*, pk: int, user: User) -> AgendaDocument:
    document = (
        AgendaDocument.objects.filter(pk=pk, item__meeting__in=Meeting.objects.filter(_meeting_scope(user)))
        .select_related("item")
        .first()
    )
    if document is None:
        raise Http404
    return document


def _steering_agenda_items(version_ids: Iterable[int]) -> QuerySet[AgendaItem]:
    return AgendaItem.objects.filter(
        version_id__in=version_ids, meeting__body__kind=Body.Kind.STEERING_GROUP, decision__isnull=True
    )


def draft_open_for_comments(*, version: GoalVersion) -> bool:
    """A draft takes steering-group comments while it is before the steering group (submitted) and on the agenda
    of a meeting that has not yet begun."""
    return (
        _steering_agenda_items([version.pk])
        .filter(meeting__starts_at__gt=timezone.now(), version__status=GoalVersion.Status.SUBMITTED)
        .exists()
    )


def drafts_for_review(*, user: User) -> list[AgendaItem]:
    """Drafts waiting for their decision on the agenda of coming steering-group meetings, for its members and the
    secretariat (a draft decided meanwhile, at another meeting, is no longer listed)."""
    rep = user.representative_or_none
    if not (user.is_secretariat or (rep is not None and rep.steering_group)):
        return []
    return list(
        AgendaItem.objects.filter(
            version__status=GoalVersion.Status.SUBMITTED,
            decision__isnull=True,
            meeting__body__kind=Body.Kind.STEERING_GROUP,
            meeting__starts_at__gt=timezone.now(),
        )
        .select_related("meeting", "version", "version__goal")
        .order_by("meeting__starts_at", "position")
    )


def version_for_review(*, pk: int, user: User) -> tuple[GoalVersion, AgendaItem]:
    """A draft on a steering-group agenda, for the steering group and the secretariat (404 otherwise)."""
    rep = user.representative_or_none
    if not (user.is_secretariat or (rep is not None and rep.steering_group)):
        raise Http404
    item = (
        AgendaItem.objects.filter(version_id=pk, meeting__body__kind=Body.Kind.STEERING_GROUP)
        .select_related("meeting", "version", "version__goal", "version__goal__product_area")
        .order_by("-meeting__starts_at")
        .first()
    )
    if item is None:
        raise Http404
    return cast(GoalVersion, item.version), item  # version_id=pk: never None here


def review_comments(*, version: GoalVersion) -> dict[int | None, list[DraftComment]]:
    """Steering-group comments on a draft, by criterion id (None for general comments)."""
    grouped: dict[int | None, list[DraftComment]] = {}
    for comment in (
        DraftComment.objects.filter(version=version).select_related("author", "organisation").order_by("created_at")
    ):
        grouped.setdefault(comment.criterion_id, []).append(comment)
    return grouped


def agenda_item_for_secretariat(*, pk: int) -> AgendaItem:
    """Any agenda item with its meeting (the secretariat's agenda; 404 when there is none)."""
    item = AgendaItem.objects.filter(pk=pk).select_related("meeting").first()
    if item is None:
        raise Http404
    return item


def agenda_item_for_decision(*, pk: int) -> AgendaItem:
    """A decision item with what it concerns (the secretariat records decisions; 404 for other items)."""
    item = (
        AgendaItem.objects.filter(pk=pk, kind=AgendaItem.Kind.DECISION)
        .select_related(
            "meeting",
            "meeting__body",
            "meeting__working_group",
            "version",
            "version__goal",
            "membership",
            "membership__organisation",
            "work_plan",
            "project",
            "decision",
        )
        .first()
    )
    if item is None:
        raise Http404
    return item


def present_organisations(*, meeting: Meeting) -> list[Organisation]:
    """The organisations present at a meeting (one vote each), by name."""
    return list(Organisation.objects.filter(pk__in=meeting.attendance.values("organisation_id")).order_by("name"))


def review(*, version: GoalVersion) -> dict[str, Any]:
    """What the steering group reads before deciding a draft: redline against the version in force, memo, comments."""
    from goals import selectors as goal_selectors

    draft = goal_selectors.version_for_review(pk=version.pk)
    compared = version_redline(version=draft)
    counts = memo_counts(version=version)
    counts["unanswered"] = counts["total"] - counts["answered"]
    comments = review_comments(version=version)
    for criterion in draft.criteria.all():
        criterion.review_comments = comments.get(criterion.pk, [])  # type: ignore[attr-defined]  # for the template
    return {
        "draft": draft,
        "in_force": compared["in_force"],
        "result": compared["redline"],
        "sections": memo_sections(version=version),
        "counts": counts,
        "general_comments": comments.get(None, []),
    }


def versions_for_agenda() -> QuerySet[GoalVersion]:
    """The drafts that can be put on a steering-group agenda for adoption: past their industry hearing (closed, or
    its deadline passed) or submitted already, and not waiting for a decision on another agenda."""
    now = timezone.now()
    hearing_over = Hearing.objects.filter(version=OuterRef("pk"), kind=Hearing.Kind.INDUSTRY).filter(
        Q(closed_at__isnull=False) | Q(closes_at__lte=now)
    )
    pending = AgendaItem.objects.filter(version=OuterRef("pk"), decision__isnull=True)
    return (
        GoalVersion.objects.filter(
            status__in=[GoalVersion.Status.INDUSTRY_HEARING, GoalVersion.Status.DRAFT, GoalVersion.Status.SUBMITTED]
        )
        .filter(Exists(hearing_over))
        .exclude(Exists(pending))
        .select_related("goal")
        .order_by("goal__number")
    )
