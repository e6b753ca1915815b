"""Reads for the bodies POGI Move and POGI Lab and for the year wheel: a body's public page (chair and vice-chair,
the rule for choosing the chair, the composition, the next meetings, its recurring events), the secretariat's
page for a body, and the dated records of meetings and hearings that the year wheel shows beside its recurring
events. A constant number of queries each, whatever the number of members."""

import calendar
from datetime import date, datetime
from typing import Any

from django.db.models import DateTimeField, OuterRef, Prefetch, QuerySet, Subquery
from django.http import Http404

from members.models import Membership, Organisation, Representative

from ..models import Body, BodyOffice, BodySeat, Decision, Hearing, Meeting, WorkingGroup, YearWheelEvent
from ..offices import role_label

# The bodies with a page of their own.
BODY_PAGES = (Body.Kind.MOVE, Body.Kind.LAB)
FORMER_OFFICES_SHOWN = 10
NEXT_MEETINGS_SHOWN = 5


def _changed_at(model: Any) -> Subquery:
    """The moment of the record's last change, from its history (the feed's DTSTAMP and LAST-MODIFIED)."""
    changes = model.history.model.objects.filter(id=OuterRef("pk")).order_by("-history_date").values("history_date")
    return Subquery(changes[:1], output_field=DateTimeField())


def body_get(*, kind: str) -> Body:
    """The body of a kind that has a page; before its first meeting or seat it has no row yet, and the
    partnership's rules for it are shown all the same."""
    if kind not in BODY_PAGES:
        raise Http404
    body = Body.objects.filter(kind=kind).first()
    if body is None:
        body = Body(kind=kind, min_present=Body.DEFAULT_MIN_PRESENT.get(kind, 2), **Body.DEFAULT_RULES.get(kind, {}))
    return body


def _active_seats(body: Body) -> QuerySet[BodySeat]:
    return (
        BodySeat.objects.filter(body=body, organisation__memberships__status=Membership.Status.ACTIVE)
        .select_related("organisation", "person")
        .order_by("-founding", "organisation__name")
    )


def _offices(body: Body) -> list[BodyOffice]:
    """The body's terms, newest first, each with ``role_label``, the office's name on the bodies' pages."""
    offices = list(
        BodyOffice.objects.filter(body=body)
        .select_related("person", "organisation", "decision__item__meeting")
        .order_by("-starts_on", "role")
    )
    for office in offices:
        office.role_label = role_label(office.role)  # type: ignore[attr-defined]
    return offices


def body_page(*, body: Body, today: date, now: datetime) -> dict[str, Any]:
    """What a body's public page shows.

    ``current``: each office (chair, vice-chair) with its label and who serves today, or None; ``coming``: terms that
    have not begun; ``former``: the last terms that have ended. The composition
    follows the body's rule: one representative from every member (each active
    member with its seat, and those still without one), or the founding
    municipalities and then the other members taking part.
    """
    saved = body.pk is not None  # a body without its row yet has no offices, seats, meetings or events
    offices = _offices(body) if saved else []
    serving = {o.role: o for o in offices if o.starts_on <= today <= o.ends_on}
    current = [(role, role_label(role), serving.get(role)) for role in BodyOffice.Role.values]
    coming = sorted((o for o in offices if o.starts_on > today), key=lambda o: (o.starts_on, o.role))
    former = [o for o in offices if o.ends_on < today][:FORMER_OFFICES_SHOWN]
    seats = list(_active_seats(body)) if saved else []
    members: list[tuple[Organisation, BodySeat]] = []
    missing: list[Organisation] = []
    if body.composition == Body.Composition.ONE_PER_MEMBER:
        by_organisation = {s.organisation_id: s for s in seats if s.person_id is not None}
        active = Organisation.objects.filter(memberships__status=Membership.Status.ACTIVE).order_by("name")
        for organisation in active:
            seat = by_organisation.get(organisation.pk)
            if seat is None:
                missing.append(organisation)
            else:
                members.append((organisation, seat))
    meetings: list[Meeting] = []
    events: list[YearWheelEvent] = []
    if saved:
        upcoming = Meeting.objects.filter(body=body, starts_at__gt=now).only("pk", "title", "starts_at")
        meetings = list(upcoming.order_by("starts_at")[:NEXT_MEETINGS_SHOWN])
        events = list(YearWheelEvent.objects.filter(body=body).order_by("month", "day", "title"))
    return {
        "current": current,
        "coming": coming,
        "former": former,
        "seats": seats,
        "founders": [s for s in seats if s.founding],
        "participants": [s for s in seats if not s.founding],
        "members": members,
        "missing": missing,
        "meetings": meetings,
        "member_count": len(members) + len(missing),
        "wheel": [_with_day(e) for e in events],
    }


def _with_day(event: YearWheelEvent) -> YearWheelEvent:
    """The event with ``on``, a day of its month and day in a common year (for the month's and the day's names)."""
    last = calendar.monthrange(2001, event.month)[1]
    event.on = date(2001, event.month, min(event.day or 1, last))  # type: ignore[attr-defined]
    return event


# --- the secretariat's page for a body -------------------------------------------------------------


def body_for_secretariat(*, body: Body) -> dict[str, Any]:
    """Every office and seat of the body (members that left included, so the secretariat sees them)."""
    if body.pk is None:
        return {"offices": [], "seats": []}
    seats = list(
        BodySeat.objects.filter(body=body)
        .select_related("organisation", "person")
        .prefetch_related(
            Prefetch(
                "organisation__memberships",
                queryset=Membership.objects.filter(status=Membership.Status.ACTIVE),
                to_attr="active_memberships",
            )
        )
        .order_by("-founding", "organisation__name")
    )
    return {"offices": _offices(body), "seats": seats}


def office_candidates(*, body: Body) -> QuerySet[Representative]:
    """Who may hold an office: in POGI Move the holders of its seats, in POGI Lab the representatives of the
    organisations seated in it (the service checks the rest)."""
    reps = Representative.objects.filter(
        organisation__memberships__status=Membership.Status.ACTIVE, user__is_active=True
    ).select_related("user", "organisation")
    if body.pk is None:
        return reps.none()
    if body.composition == Body.Composition.ONE_PER_MEMBER:
        reps = reps.filter(user_id__in=BodySeat.objects.filter(body=body).values("person_id"))
    else:
        reps = reps.filter(organisation_id__in=BodySeat.objects.filter(body=body).values("organisation_id"))
    return reps.order_by("organisation__name", "user__name")


def seat_candidates() -> tuple[QuerySet[Organisation], QuerySet[Representative]]:
    """The active members and their representatives, for the seat form."""
    members = Organisation.objects.filter(memberships__status=Membership.Status.ACTIVE).order_by("name")
    reps = (
        Representative.objects.filter(organisation__memberships__status=Membership.Status.ACTIVE, user__is_active=True)
        .select_related("user", "organisation")
        .order_by("organisation__name", "position", "user__name")
    )
    return members, reps


def carried_decisions(*, body: Body) -> QuerySet[Decision]:
    """The carried decisions at the body's meetings, newest first: the choices an office may refer to."""
    if body.pk is None:
        return Decision.objects.none()
    return (
        Decision.objects.filter(item__meeting__body=body, outcome=Decision.Outcome.CARRIED)
        .select_related("item__meeting")
        .order_by("-decided_at")
    )


def office_get(*, body: Body, pk: int) -> BodyOffice:
    office = BodyOffice.objects.filter(body_id=body.pk, pk=pk).select_related("person").first()
    if office is None:
        raise Http404
    return office


def seat_get(*, body: Body, pk: int) -> BodySeat:
    seat = BodySeat.objects.filter(body_id=body.pk, pk=pk).select_related("organisation").first()
    if seat is None:
        raise Http404
    return seat


# --- the year wheel ---------------------------------------------------------------------------------


def year_wheel_events() -> list[YearWheelEvent]:
    """Every recurring event of the year wheel, with its body and the moment it last changed."""
    events = (
        YearWheelEvent.objects.select_related("body")
        .annotate(changed_at=_changed_at(YearWheelEvent))
        .order_by("month", "day", "title")
    )
    return [_with_day(e) for e in events]


def year_wheel_event_get(*, pk: int) -> YearWheelEvent:
    event = YearWheelEvent.objects.select_related("body").filter(pk=pk).first()
    if event is None:
        raise Http404
    return event


def meetings_between(*, start: datetime, end: datetime) -> list[Meeting]:
    """The meetings of every body from ``start`` until ``end``: only what is public (title, moment, body, the
    working group's name), never the place, the link or the agenda."""
    return list(
        Meeting.objects.filter(starts_at__gte=start, starts_at__lt=end)
        .select_related("body", "working_group")
        .only("pk", "title", "starts_at", "body__kind", "working_group__name", "working_group__slug")
        .annotate(changed_at=_changed_at(Meeting))
        .order_by("starts_at", "pk")
    )


def hearings_between(*, start: datetime, end: datetime) -> list[Hearing]:
    """The hearings running at some time from ``start`` until ``end`` and not closed, with the goal version they
    are about and the working group drafting it (for the link to its public page)."""
    return list(
        Hearing.objects.filter(closed_at__isnull=True, closes_at__gte=start, opened_at__lt=end)
        .select_related("version", "version__goal")
        .prefetch_related(
            Prefetch("version__working_groups", queryset=WorkingGroup.objects.only("pk", "slug", "draft"))
        )
        .annotate(changed_at=_changed_at(Hearing))
        .order_by("opened_at", "pk")
    )
