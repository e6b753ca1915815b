"""Writes for the bodies POGI Move and POGI Lab: their chair and vice-chair with the period they serve, the seats
that make up each body, and the recurring events of the partnership's year wheel.

The rules come from the partnership's organisation: POGI Move has one
representative from every member and elects its chair for exactly two years;
POGI Lab is carried by its founding municipalities, which choose its chair for
at least two years, and any member may take part beside them. Each body's rule
is on its row (``Body.chair_rule``, ``chair_term_years``, ``chair_term_is_minimum``,
``composition``). Only the secretariat records them.
"""

import calendar
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core import history
from core.dates import add_years
from core.formats import date_text
from members.models import Membership, Organisation, User

from ..models import Body, BodyOffice, BodySeat, Decision, YearWheelEvent
from ..offices import role_in_sentence
from .projects import _secretariat_only

# The bodies whose chair and seats are kept here.
BODIES_WITH_OFFICES = (Body.Kind.MOVE, Body.Kind.LAB)
# A yearly event cannot last longer than the year it repeats in.
LONGEST_EVENT_DAYS = 365


def _locked_body(body: Body) -> Body:
    if body.kind not in BODIES_WITH_OFFICES:
        raise ValidationError(_("Chairs and seats are kept for POGI Move and POGI Lab."))
    return Body.objects.select_for_update().get(pk=body.pk)


def _is_active_member(organisation: Organisation) -> bool:
    return Membership.objects.filter(organisation=organisation, status=Membership.Status.ACTIVE).exists()


def _represents(person: User, organisation: Organisation) -> bool:
    rep = person.representative_or_none
    return rep is not None and rep.organisation_id == organisation.pk


def _who(person: User) -> str:
    return person.name or person.email


def term_last_day(starts_on: date, years: int) -> date:
    """The last day of a term of whole years: the day before the anniversary (a term from 29 February ends on
    28 February)."""
    return add_years(starts_on - timedelta(days=1), years)


def _term_check(body: Body, role: str, starts_on: date, ends_on: date) -> None:
    if ends_on <= starts_on:
        raise ValidationError(_("The term ends after the day it starts."))
    years = body.chair_term_years
    last_day = term_last_day(starts_on, years)
    values = {
        "body": str(body),
        "office": role_in_sentence(role),
        "years": years,
        "start": date_text(starts_on),
        "end": date_text(last_day),
    }
    if body.chair_term_is_minimum and ends_on < last_day:
        raise ValidationError(
            ngettext(
                "A term as %(office)s of %(body)s lasts at least %(years)s year: from %(start)s it ends on %(end)s "
                "or later.",
                "A term as %(office)s of %(body)s lasts at least %(years)s years: from %(start)s it ends on %(end)s "
                "or later.",
                years,
            )
            % values
        )
    if not body.chair_term_is_minimum and ends_on != last_day:
        raise ValidationError(
            ngettext(
                "A term as %(office)s of %(body)s lasts exactly %(years)s year: from %(start)s it ends on %(end)s.",
                "A term as %(office)s of %(body)s lasts exactly %(years)s years: from %(start)s it ends on %(end)s.",
                years,
            )
            % values
        )


def _seat_check(body: Body, role: str, person: User, organisation: Organisation) -> None:
    """The office holder sits in the body for the organisation, as the body's composition has it."""
    seat = BodySeat.objects.filter(body=body, organisation=organisation).first()
    names = {"person": _who(person), "organisation": organisation.name, "body": str(body)}
    if body.composition == Body.Composition.FOUNDERS_AND_OPEN:
        if role == BodyOffice.Role.CHAIR and (seat is None or not seat.founding):
            raise ValidationError(
                _(
                    "The chair of %(body)s is chosen by and from the founding municipalities; %(organisation)s is "
                    "not one of them."
                )
                % names
            )
        if seat is None:
            raise ValidationError(_("%(organisation)s has no seat in %(body)s; give it a seat first.") % names)
        return
    if seat is None or seat.person_id != person.pk:
        raise ValidationError(
            _("%(person)s does not hold the seat of %(organisation)s in %(body)s; give them the seat first.") % names
        )


def _overlapping(body: Body, starts_on: date, ends_on: date) -> "list[BodyOffice]":
    return list(
        BodyOffice.objects.filter(body=body, starts_on__lte=ends_on, ends_on__gte=starts_on).select_related("person")
    )


@transaction.atomic
def office_assign(
    *,
    body: Body,
    role: str,
    person: User,
    organisation: Organisation,
    starts_on: date,
    ends_on: date,
    by: User | None,
    decision: Decision | None = None,
    note: str = "",
) -> BodyOffice:
    """Record the body's chair or vice-chair for a term (the last day included).

    Guarantees: the term follows the body's rule (exactly, or at least, its
    number of years); no other term of the same office in the body overlaps it,
    and the person holds no other office of the body in that period; the person
    represents the organisation, which sits in the body as its composition
    requires (Move: the person holds the organisation's seat; Lab: the chair's
    organisation is a founding municipality); a decision, when given, is a
    carried decision at a meeting of this body.
    """
    _secretariat_only(by)
    body = _locked_body(body)
    if role not in BodyOffice.Role.values:
        raise ValidationError(_("Choose the office: chair or vice-chair."))
    _term_check(body, role, starts_on, ends_on)
    if not _represents(person, organisation):
        raise ValidationError(
            _("%(person)s does not represent %(organisation)s.")
            % {"person": _who(person), "organisation": organisation.name}
        )
    _seat_check(body, role, person, organisation)
    for other in _overlapping(body, starts_on, ends_on):
        values = {
            "body": str(body),
            "office": role_in_sentence(other.role),
            "person": _who(other.person),
            "start": date_text(other.starts_on),
            "end": date_text(other.ends_on),
        }
        if other.role == role:
            raise ValidationError(
                _("%(body)s already has a %(office)s from %(start)s to %(end)s (%(person)s); the terms would overlap.")
                % values
            )
        if other.person_id == person.pk:
            raise ValidationError(_("%(person)s is already %(office)s of %(body)s from %(start)s to %(end)s.") % values)
    if decision is not None:
        decision = Decision.objects.select_related("item__meeting").get(pk=decision.pk)
        if decision.outcome != Decision.Outcome.CARRIED or decision.item.meeting.body_id != body.pk:
            raise ValidationError(
                _("Only a carried decision at a meeting of %(body)s records the choice.") % {"body": str(body)}
            )
    office = BodyOffice(
        body=body,
        role=role,
        person=person,
        organisation=organisation,
        starts_on=starts_on,
        ends_on=ends_on,
        decision=decision,
        note=note.strip(),
    )
    office.full_clean()
    history.by(office, by).save()
    return office


@transaction.atomic
def office_end(*, office: BodyOffice, on: date, reason: str, by: User | None) -> BodyOffice:
    """End a term early: ``on`` is its new last day, after the first and before the planned last one.

    The reason is kept in the office's history.
    """
    _secretariat_only(by)
    reason = history.reason_checked(reason)
    office = BodyOffice.objects.select_for_update().select_related("body").get(pk=office.pk)
    if on >= office.ends_on:
        raise ValidationError(
            _("The term already ends on %(end)s; an early end comes before that.") % {"end": date_text(office.ends_on)}
        )
    if on <= office.starts_on:
        raise ValidationError(
            _("The term began on %(start)s; it ends on a later day. A term that has not begun is removed instead.")
            % {"start": date_text(office.starts_on)}
        )
    office.ends_on = on
    office._change_reason = reason  # type: ignore[attr-defined]  # read by django-simple-history
    office.full_clean()
    history.by(office, by).save()
    return office


@transaction.atomic
def office_remove(*, office: BodyOffice, by: User | None) -> None:
    """Take back an office entered by mistake, as long as its term has not begun (a term that has is ended)."""
    _secretariat_only(by)
    office = BodyOffice.objects.select_for_update().get(pk=office.pk)
    if office.starts_on <= timezone.localdate():
        raise ValidationError(_("The term has begun; end it early instead of removing it."))
    history.by(office, by).delete()


def _offices_held_for(seat: BodySeat) -> "list[BodyOffice]":
    """The current and coming offices that rest on the seat: held for its organisation in its body."""
    return list(
        BodyOffice.objects.filter(
            body_id=seat.body_id, organisation_id=seat.organisation_id, ends_on__gte=timezone.localdate()
        ).select_related("person")
    )


def _office_in_the_way(office: BodyOffice, body: Body) -> ValidationError:
    return ValidationError(
        _("%(person)s is %(office)s of %(body)s until %(end)s for this organisation; end that term first.")
        % {
            "person": _who(office.person),
            "office": role_in_sentence(office.role),
            "body": str(body),
            "end": date_text(office.ends_on),
        }
    )


@transaction.atomic
def seat_set(
    *,
    body: Body,
    organisation: Organisation,
    by: User | None,
    person: User | None = None,
    founding: bool = False,
    since: date | None = None,
) -> BodySeat:
    """Give an organisation its seat in the body, or change who holds it.

    Guarantees: only active members sit in a body; the person represents the
    organisation. POGI Move: one representative from every member, so a seat has
    its person, and no member is founding. POGI Lab: only a municipality is a
    founding member; a seat may wait for its person. A seat whose office holder
    (chair or vice-chair) would lose it is not changed.
    """
    _secretariat_only(by)
    body = _locked_body(body)
    names = {"organisation": organisation.name, "body": str(body)}
    if not _is_active_member(organisation):
        raise ValidationError(_("Only active members sit in %(body)s; %(organisation)s is not one.") % names)
    if person is not None and not _represents(person, organisation):
        raise ValidationError(_("%(person)s does not represent %(organisation)s.") % {**names, "person": _who(person)})
    if body.composition == Body.Composition.ONE_PER_MEMBER:
        if person is None:
            raise ValidationError(
                _("%(body)s has one representative from every member: choose who represents %(organisation)s.") % names
            )
        if founding:
            raise ValidationError(_("%(body)s has no founding members.") % names)
    if founding and organisation.kind != Organisation.Kind.MUNICIPALITY:
        raise ValidationError(
            _("Only a municipality is a founding member of %(body)s; %(organisation)s is not a municipality.") % names
        )
    seat = BodySeat.objects.select_for_update().filter(body=body, organisation=organisation).first()
    if seat is None:
        seat = BodySeat(body=body, organisation=organisation)
    else:
        for office in _offices_held_for(seat):
            # Move: the office holder holds the seat; Lab: the chair's organisation stays a founding one.
            if body.composition == Body.Composition.ONE_PER_MEMBER and (
                person is None or office.person_id != person.pk
            ):
                raise _office_in_the_way(office, body)
            if (
                body.composition == Body.Composition.FOUNDERS_AND_OPEN
                and office.role == BodyOffice.Role.CHAIR
                and not founding
            ):
                raise _office_in_the_way(office, body)
    seat.person = person
    seat.founding = founding
    if since is not None:
        seat.since = since
    seat.full_clean()
    history.by(seat, by).save()
    return seat


@transaction.atomic
def seat_remove(*, seat: BodySeat, by: User | None) -> None:
    """Take an organisation's seat away, unless its chair or vice-chair of the body rests on it."""
    _secretariat_only(by)
    seat = BodySeat.objects.select_for_update().select_related("body").get(pk=seat.pk)
    offices = _offices_held_for(seat)
    if offices:
        raise _office_in_the_way(offices[0], seat.body)
    history.by(seat, by).delete()


MONTH_DAYS_IN_COMMON_YEAR = {month: calendar.monthrange(2023, month)[1] for month in range(1, 13)}


@transaction.atomic
def year_wheel_event_save(
    *,
    by: User | None,
    kind: str,
    title: str,
    month: int,
    event: YearWheelEvent | None = None,
    body: Body | None = None,
    day: int | None = None,
    duration_days: int = 1,
    title_en: str = "",
    description: str = "",
    description_en: str = "",
) -> YearWheelEvent:
    """Add a recurring event to the year wheel, or change one.

    Guarantees: a title and a month; a day, when given, exists in that month every
    year (no 29 February); a body's meeting names the body (not a working group,
    which has no yearly rhythm); the event lasts from one day to a year.
    """
    _secretariat_only(by)
    if kind not in YearWheelEvent.Kind.values:
        raise ValidationError(_("Choose the kind of event."))
    if not title.strip():
        raise ValidationError(_("Give the event a title."))
    if not 1 <= month <= 12:
        raise ValidationError(_("Choose the month of the event."))
    if day is not None:
        if month == 2 and day == 29:
            raise ValidationError(_("29 February is not there every year; choose 28 February or 1 March."))
        if not 1 <= day <= MONTH_DAYS_IN_COMMON_YEAR[month]:
            raise ValidationError(
                _("That month has %(days)s days; choose a day from 1 to %(days)s.")
                % {"days": MONTH_DAYS_IN_COMMON_YEAR[month]}
            )
    if kind == YearWheelEvent.Kind.MEETING and body is None:
        raise ValidationError(_("Choose the body that meets."))
    if body is not None and body.kind == Body.Kind.WORKING_GROUP:
        raise ValidationError(_("Working groups meet as their work needs; their meetings are not on the year wheel."))
    if not 1 <= duration_days <= LONGEST_EVENT_DAYS:
        raise ValidationError(
            _("An event on the year wheel lasts from 1 to %(days)s days.") % {"days": LONGEST_EVENT_DAYS}
        )
    event = YearWheelEvent() if event is None else YearWheelEvent.objects.select_for_update().get(pk=event.pk)
    event.kind = kind
    event.body = body
    event.title = title.strip()
    event.title_en = title_en.strip()
    event.description = description.strip()
    event.description_en = description_en.strip()
    event.month = month
    event.day = day
    event.duration_days = duration_days
    event.full_clean()
    history.by(event, by).save()
    return event


@transaction.atomic
def year_wheel_event_remove(*, event: YearWheelEvent, by: User | None) -> None:
    """Take an event off the year wheel (its history keeps it)."""
    _secretariat_only(by)
    event = YearWheelEvent.objects.select_for_update().get(pk=event.pk)
    history.by(event, by).delete()
