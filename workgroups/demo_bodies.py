"""Demo data for the bodies and the year wheel, written through the services as the secretariat would record it.

- POGI Move: a seat for every member with a primary representative (the others show as still missing one),
  the chair and vice-chair for this year and last (exactly two years), and next term's chair elected by a
  carried decision at Move's latest meeting;
- POGI Lab: the four founding municipalities (Odense, Aalborg, Aarhus, København; Aalborg registered as a
  member from the secretariat's records if the members demo has not made it one) and two other members
  taking part, with a chair and vice-chair from the founders for two and a half years;
- the year wheel: Move's and Lab's two meetings a year, the Council's meetings, the follow-up round, the
  hearing period and the annual conference; and the next spring meetings of Move and Lab with their dates.

Builds on the members, revision-cycle and projects demos (load them first). Idempotent: nothing is added when
an office or a year-wheel event exists.
"""

from datetime import date, datetime, time

from django.db import transaction
from django.utils import timezone

from members import services as member_services
from members.models import Membership, Organisation, Representative, User

from . import services
from .models import AgendaItem, Body, BodyOffice, BodySeat, Meeting, Vote, YearWheelEvent

SECRETARIAT_EMAIL = "sekretariat@pogi.example"
PLACE = "Miljøstyrelsen, Tolderlundsvej 5, Odense"
K = YearWheelEvent.Kind

# Lab's founding municipalities (official codes), each with the person who sits for it (None: not yet named).
LAB_FOUNDERS = [
    ("461", "arbejdsgruppe@odense.example"),
    ("851", None),
    ("751", "byggeri@aarhus.example"),
    ("101", "styregruppe@kk.example"),
]
LAB_PARTICIPANTS = [("147", "maaltider@frederiksberg.example"), ("630", None)]

# kind, body, title, English title, description, English description, month, day, duration (days)
EVENTS = [
    (
        K.MEETING,
        "move",
        "POGI Moves forårsmøde",
        "POGI Move's spring meeting",
        "Status på projekterne, nye indsatser sættes i gang og forslag til kommende områder prioriteres.",
        "Status of the projects; new efforts are started and proposals for coming areas prioritised.",
        3,
        None,
        1,
    ),
    (
        K.MEETING,
        "move",
        "POGI Moves efterårsmøde",
        "POGI Move's autumn meeting",
        "Status på projekterne og prioritering af næste års indsatser.",
        "Status of the projects and priorities for next year's efforts.",
        11,
        None,
        1,
    ),
    (
        K.MEETING,
        "lab",
        "POGI Labs forårsmøde",
        "POGI Lab's spring meeting",
        "Nye udviklingsprojekter drøftes, og status på de igangværende gøres op.",
        "New development projects are discussed and the running ones reviewed.",
        4,
        None,
        1,
    ),
    (
        K.MEETING,
        "lab",
        "POGI Labs efterårsmøde",
        "POGI Lab's autumn meeting",
        "Forslag til nye udviklingsprojekter prioriteres til Rådet.",
        "Proposals for new development projects are prioritised for the Council.",
        10,
        None,
        1,
    ),
    (
        K.MEETING,
        "council",
        "Rådets sommermøde",
        "The Council's summer meeting",
        "Rådet igangsætter formelt nye Lab-projekter.",
        "The Council formally starts new Lab projects.",
        6,
        None,
        1,
    ),
    (
        K.MEETING,
        "council",
        "Rådets vintermøde",
        "The Council's winter meeting",
        "Rådet igangsætter formelt nye Lab-projekter og ser tilbage på året.",
        "The Council formally starts new Lab projects and looks back on the year.",
        12,
        None,
        1,
    ),
    (
        K.FOLLOWUP,
        None,
        "Målopfølgningen",
        "The annual follow-up",
        "Medlemmerne svarer på, hvordan de har fulgt målene i det forløbne år. Svarfristen er 15. oktober.",
        "The members report how they followed the goals in the past year. The deadline is 15 October.",
        9,
        1,
        45,
    ),
    (
        K.HEARING,
        None,
        "Høring af reviderede mål",
        "Hearing on revised goals",
        "Udkast til nye og reviderede mål sendes i intern høring hos medlemmerne og derefter i branchehøring.",
        "Drafts of new and revised goals go to the members' internal hearing and then to the industry hearing.",
        5,
        None,
        1,
    ),
    (
        K.CONFERENCE,
        None,
        "Årskonference om grønne indkøb",
        "Annual conference on green procurement",
        "Partnerskabets årlige konference med årsrapporten, gode eksempler og netværk.",
        "The partnership's yearly conference: the annual report, good examples and networking.",
        11,
        None,
        1,
    ),
]


def _user(email: str | None) -> User | None:
    return User.objects.filter(email=email).first() if email else None


def _organisation(code: str) -> Organisation | None:
    return Organisation.objects.filter(country="DK", official_code=code).first()


def _member(code: str, by: User) -> Organisation | None:
    """The organisation as an active member; Aalborg, a founder of Lab, is registered from the records."""
    organisation = _organisation(code)
    if organisation is None:
        return None
    if not organisation.memberships.filter(status=Membership.Status.ACTIVE).exists():
        if organisation.memberships.filter(status__in=[Membership.Status.RECEIVED, Membership.Status.APPLIED]).exists():
            return None
        member_services.membership_register_existing(organisation=organisation, joined_on=date(2024, 1, 1), by=by)
    return organisation


def _next(today: date, month: int, day: int) -> date:
    """The next time the day comes, after today."""
    this_year = date(today.year, month, day)
    return this_year if this_year > today else date(today.year + 1, month, day)


def _move(by: User, today: date) -> None:
    move = services.body_for(kind=Body.Kind.MOVE)
    primaries = Representative.objects.filter(
        position=Representative.Position.PRIMARY, organisation__memberships__status=Membership.Status.ACTIVE
    ).select_related("user", "organisation")
    for rep in primaries:
        services.seat_set(
            body=move, organisation=rep.organisation, person=rep.user, since=date(today.year - 1, 1, 1), by=by
        )
    term_start, term_end = date(today.year - 1, 1, 1), date(today.year, 12, 31)
    for role, email in (
        (BodyOffice.Role.CHAIR, "styregruppe@odense.example"),
        (BodyOffice.Role.VICE_CHAIR, "indkoeb@kk.example"),
    ):
        _office(move, role, email, term_start, term_end, by, note="Valgt af POGI Moves medlemmer.")
    # next term's chair, elected at Move's latest meeting
    meeting = Meeting.objects.filter(body=move, starts_at__lt=timezone.now()).order_by("-starts_at").first()
    person = _user("styregruppe@frederiksberg.example")
    if meeting is None or person is None or not BodySeat.objects.filter(body=move, person=person).exists():
        return
    years = f"{today.year + 1}–{today.year + 2}"
    item = services.agenda_item_add(
        meeting=meeting, title=f"Valg af formand for {years}", kind=AgendaItem.Kind.DECISION, by=by
    )
    present = {a.organisation for a in meeting.attendance.select_related("organisation")}
    decision = services.decision_record(
        item=item,
        proposal=f"{person.name} vælges som formand for POGI Move for {years}.",
        proposal_en=f"{person.name} is elected chair of POGI Move for {years}.",
        votes=[(organisation, Vote.Choice.FOR) for organisation in present],
        by=by,
    )
    _office(
        move,
        BodyOffice.Role.CHAIR,
        person.email,
        date(today.year + 1, 1, 1),
        date(today.year + 2, 12, 31),
        by,
        decision=decision,
        note=f"Valgt på mødet {timezone.localdate(meeting.starts_at):%d.%m.%Y}.",
    )


def _office(body, role, email, starts_on, ends_on, by, **fields) -> None:
    person = _user(email)
    rep = person.representative_or_none if person is not None else None
    if person is None or rep is None:
        return
    services.office_assign(
        body=body,
        role=role,
        person=person,
        organisation=rep.organisation,
        starts_on=starts_on,
        ends_on=ends_on,
        by=by,
        **fields,
    )


def _lab(by: User, today: date) -> None:
    lab = services.body_for(kind=Body.Kind.LAB)
    since = date(today.year - 1, 7, 1)
    for founding, seats in ((True, LAB_FOUNDERS), (False, LAB_PARTICIPANTS)):
        for code, email in seats:
            organisation = _member(code, by)
            if organisation is None:
                continue
            services.seat_set(
                body=lab, organisation=organisation, person=_user(email), founding=founding, since=since, by=by
            )
    note = "Udpeget af de fire stiftende kommuner."
    end = date(today.year + 1, 12, 31)  # two and a half years: at least the two the rule asks for
    _office(lab, BodyOffice.Role.CHAIR, "byggeri@aarhus.example", since, end, by, note=note)
    _office(lab, BodyOffice.Role.VICE_CHAIR, "arbejdsgruppe@odense.example", since, end, by, note=note)


def _year_wheel(by: User, today: date) -> None:
    for kind, body, title, title_en, text, text_en, month, day, days in EVENTS:
        services.year_wheel_event_save(
            kind=kind,
            body=services.body_for(kind=body) if body else None,
            title=title,
            title_en=title_en,
            description=text,
            description_en=text_en,
            month=month,
            day=day,
            duration_days=days,
            by=by,
        )
    # the next spring meetings, with their dates
    for body_kind, meeting_title, meeting_month, meeting_day, hour in (
        ("move", "POGI Moves forårsmøde", 3, 18, 13),
        ("lab", "POGI Labs forårsmøde", 4, 22, 10),
    ):
        day_of = _next(today, meeting_month, meeting_day)
        starts_at = timezone.make_aware(datetime.combine(day_of, time(hour, 0)))
        if not Meeting.objects.filter(body__kind=body_kind, starts_at=starts_at).exists():
            services.meeting_create(kind=body_kind, title=meeting_title, starts_at=starts_at, place=PLACE, by=by)


def summary() -> dict[str, int]:
    return {
        "offices": BodyOffice.objects.count(),
        "seats": BodySeat.objects.count(),
        "events": YearWheelEvent.objects.count(),
    }


@transaction.atomic
def load() -> dict[str, int]:
    """Create the bodies' demo data unless an office or a year-wheel event exists; return the totals."""
    by = User.objects.filter(email=SECRETARIAT_EMAIL).first()
    if by is None or BodyOffice.objects.exists() or YearWheelEvent.objects.exists():
        return summary()
    today = timezone.localdate()
    _move(by, today)
    _lab(by, today)
    _year_wheel(by, today)
    return summary()
