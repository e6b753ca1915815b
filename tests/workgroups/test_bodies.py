"""The bodies POGI Move and POGI Lab: their chair and vice-chair for a term that follows the body's rule (Move:
exactly two years; Lab: at least two), seats that make up the body (Move: one representative from every member;
Lab: the founding municipalities and the members taking part), the year wheel's recurring events, and the
public and secretariat pages that show and record them."""

import datetime
import html as html_text

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from members.models import Membership, Organisation, User
from tests.factories import MembershipFactory, OrganisationFactory, RepresentativeFactory, earlier_today, in_days
from workgroups import services
from workgroups.models import BodyOffice, BodySeat, Decision, Meeting, YearWheelEvent
from workgroups.services.bodies import term_last_day

pytestmark = pytest.mark.django_db

D = datetime.date
CHAIR, VICE = BodyOffice.Role.CHAIR, BodyOffice.Role.VICE_CHAIR


@pytest.fixture(autouse=True)
def in_english():
    """The services' messages are matched in English; the pages are read in the language of their address."""
    with translation.override("en"):
        yield


def text(response) -> str:
    """The page as a reader sees its text: entities decoded, runs of white space as one space."""
    return " ".join(html_text.unescape(response.content.decode()).split())


def member(name, kind=Organisation.Kind.MUNICIPALITY, position="primary", status=Membership.Status.ACTIVE):
    organisation = MembershipFactory(
        organisation=OrganisationFactory(name=name, kind=kind),
        status=status,
        joined_on=D(2015, 1, 1) if status == Membership.Status.ACTIVE else None,
    ).organisation
    return RepresentativeFactory(organisation=organisation, position=position, user__name=f"Rep of {name}")


@pytest.fixture
def reps(db):
    """Three municipalities and a region, each an active member with its primary representative."""
    return {
        "a": member("Aby Kommune"),
        "b": member("Bby Kommune"),
        "c": member("Cby Kommune"),
        "region": member("Region Test", kind=Organisation.Kind.REGION),
    }


@pytest.fixture
def move(reps, secretariat_user):
    """POGI Move with a seat for Aby, Bby and the region, each held by its primary representative."""
    body = services.body_for(kind="move")
    for key in ("a", "b", "region"):
        rep = reps[key]
        services.seat_set(body=body, organisation=rep.organisation, person=rep.user, by=secretariat_user)
    return body


@pytest.fixture
def lab(reps, secretariat_user):
    """POGI Lab: Aby and Bby founding municipalities, Cby taking part."""
    body = services.body_for(kind="lab")
    for key, founding in (("a", True), ("b", True), ("c", False)):
        services.seat_set(body=body, organisation=reps[key].organisation, founding=founding, by=secretariat_user)
    return body


JAN_2025, END_2026 = D(2025, 1, 1), D(2026, 12, 31)


def assign(body, rep, by, start=JAN_2025, end=END_2026, role=CHAIR, **fields):
    return services.office_assign(
        body=body,
        role=role,
        person=rep.user,
        organisation=rep.organisation,
        starts_on=start,
        ends_on=end,
        by=by,
        **fields,
    )


class TestTerms:
    def test_the_last_day_of_a_term_is_the_day_before_its_anniversary(self):
        assert term_last_day(D(2025, 1, 1), 2) == D(2026, 12, 31)
        assert term_last_day(D(2025, 3, 15), 2) == D(2027, 3, 14)
        assert term_last_day(D(2028, 2, 29), 2) == D(2030, 2, 28)

    def test_a_move_chair_serves_exactly_two_years(self, move, reps, secretariat_user):
        office = assign(move, reps["a"], secretariat_user)
        assert (office.starts_on, office.ends_on, office.organisation) == (
            D(2025, 1, 1),
            D(2026, 12, 31),
            reps["a"].organisation,
        )
        assert office.history.get().history_user == secretariat_user

    @pytest.mark.parametrize(
        "end",
        [D(2025, 12, 31), D(2026, 12, 30), D(2027, 1, 1), D(2027, 12, 31)],
        ids=["one year", "a day short", "a day over", "three years"],
    )
    def test_a_move_term_of_any_other_length_is_refused(self, move, reps, secretariat_user, end):
        with pytest.raises(ValidationError) as refused:
            assign(move, reps["a"], secretariat_user, end=end)
        # the message says the rule and the day the term must end
        assert "lasts exactly 2 years: from 01/01/2025 it ends on 31/12/2026." in str(refused.value)
        assert not BodyOffice.objects.exists()

    @pytest.mark.parametrize("end", [D(2026, 12, 31), D(2027, 12, 31), D(2030, 6, 30)], ids=["2", "3", "5.5"])
    def test_a_lab_chair_serves_at_least_two_years(self, lab, reps, secretariat_user, end):
        assert assign(lab, reps["a"], secretariat_user, end=end).ends_on == end

    @pytest.mark.parametrize("end", [D(2025, 12, 31), D(2026, 12, 30)], ids=["one year", "a day short"])
    def test_a_shorter_lab_term_is_refused(self, lab, reps, secretariat_user, end):
        with pytest.raises(ValidationError, match="lasts at least 2 years: from 01/01/2025 it ends on 31/12/2026"):
            assign(lab, reps["a"], secretariat_user, end=end)

    def test_a_term_ends_after_it_starts(self, lab, reps, secretariat_user):
        with pytest.raises(ValidationError, match="ends after the day it starts"):
            assign(lab, reps["a"], secretariat_user, start=D(2025, 1, 1), end=D(2025, 1, 1))

    def test_the_vice_chair_follows_the_same_rule(self, move, reps, secretariat_user):
        with pytest.raises(ValidationError, match="term as vice-chair of POGI Move lasts exactly 2 years"):
            assign(move, reps["b"], secretariat_user, role=VICE, end=D(2025, 12, 31))
        assert assign(move, reps["b"], secretariat_user, role=VICE).role == VICE


class TestOverlap:
    def test_two_chairs_cannot_serve_at_the_same_time(self, move, reps, secretariat_user):
        assign(move, reps["a"], secretariat_user)
        with pytest.raises(ValidationError, match="already has a chair from 01/01/2025 to 31/12/2026"):
            assign(move, reps["b"], secretariat_user, start=D(2026, 12, 31), end=D(2028, 12, 30))
        assert BodyOffice.objects.count() == 1

    def test_the_next_term_begins_the_day_after(self, move, reps, secretariat_user):
        assign(move, reps["a"], secretariat_user)
        nxt = assign(move, reps["b"], secretariat_user, start=D(2027, 1, 1), end=D(2028, 12, 31))
        assert nxt.starts_on == D(2027, 1, 1)

    def test_a_chair_and_a_vice_chair_serve_side_by_side(self, move, reps, secretariat_user):
        assign(move, reps["a"], secretariat_user)
        assert assign(move, reps["b"], secretariat_user, role=VICE).role == VICE

    def test_one_person_does_not_hold_both_offices(self, move, reps, secretariat_user):
        assign(move, reps["a"], secretariat_user)
        with pytest.raises(ValidationError, match="Rep of Aby Kommune is already chair of POGI Move"):
            assign(move, reps["a"], secretariat_user, role=VICE)

    def test_bodies_are_kept_apart(self, move, lab, reps, secretariat_user):
        assign(move, reps["a"], secretariat_user)
        assert assign(lab, reps["a"], secretariat_user).body == lab


class TestWhoMayHoldAnOffice:
    def test_the_person_represents_the_organisation(self, move, reps, secretariat_user):
        with pytest.raises(ValidationError, match="Rep of Bby Kommune does not represent Aby Kommune"):
            services.office_assign(
                body=move,
                role=CHAIR,
                person=reps["b"].user,
                organisation=reps["a"].organisation,
                starts_on=D(2025, 1, 1),
                ends_on=D(2026, 12, 31),
                by=secretariat_user,
            )

    def test_a_move_chair_holds_the_organisations_seat(self, move, reps, secretariat_user):
        deputy = RepresentativeFactory(organisation=reps["a"].organisation, position="deputy")
        with pytest.raises(ValidationError, match="does not hold the seat of Aby Kommune in POGI Move"):
            assign(move, deputy, secretariat_user)
        with pytest.raises(ValidationError, match="does not hold the seat of Cby Kommune"):
            assign(move, reps["c"], secretariat_user)  # Cby has no seat at all

    def test_a_lab_chair_comes_from_a_founding_municipality(self, lab, reps, secretariat_user):
        with pytest.raises(ValidationError, match="chosen by and from the founding municipalities; Cby Kommune is not"):
            assign(lab, reps["c"], secretariat_user)
        # any representative of a founding municipality may be chosen, not only the one seated
        specialist = RepresentativeFactory(organisation=reps["b"].organisation, position="specialist")
        assert assign(lab, specialist, secretariat_user).organisation == reps["b"].organisation

    def test_a_lab_vice_chair_sits_in_lab(self, lab, reps, secretariat_user):
        assert assign(lab, reps["c"], secretariat_user, role=VICE).role == VICE
        with pytest.raises(ValidationError, match="Region Test has no seat in POGI Lab"):
            assign(lab, reps["region"], secretariat_user, role=VICE, start=D(2027, 1, 1), end=D(2029, 1, 1))

    def test_a_withdrawn_members_representative_represents_nobody(self, move, reps, secretariat_user):
        Membership.objects.filter(organisation=reps["a"].organisation).update(status=Membership.Status.WITHDRAWN)
        reps["a"].user = User.objects.get(pk=reps["a"].user_id)  # as the next request reads the person
        with pytest.raises(ValidationError, match="does not represent Aby Kommune"):
            assign(move, reps["a"], secretariat_user)

    def test_only_the_secretariat_records_an_office(self, move, reps):
        with pytest.raises(ValidationError, match="Only the secretariat"):
            assign(move, reps["a"], reps["a"].user)

    def test_the_steering_group_has_no_offices_here(self, reps, secretariat_user):
        steering = services.body_for(kind="steering_group")
        with pytest.raises(ValidationError, match="kept for POGI Move and POGI Lab"):
            assign(steering, reps["a"], secretariat_user)


def decision_of(body_kind, reps, by, outcome="for"):
    meeting = services.meeting_create(kind=body_kind, title="Møde", starts_at=earlier_today(), place="Odense", by=by)
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=earlier_today())
    people = list(reps.values())
    services.attendance_record(meeting=meeting, users=[r.user for r in people], by=by)
    item = services.agenda_item_add(meeting=meeting, title="Valg af formand", kind="decision", by=by)
    return services.decision_record(
        item=item, proposal="Aby vælges som formand.", votes=[(r.organisation, outcome) for r in people], by=by
    )


class TestDecision:
    def test_a_carried_decision_of_the_body_records_the_choice(self, move, reps, secretariat_user):
        decision = decision_of("move", reps, secretariat_user)
        assert assign(move, reps["a"], secretariat_user, decision=decision).decision == decision

    def test_another_bodys_decision_is_refused(self, move, reps, secretariat_user):
        decision = decision_of("council", reps, secretariat_user)
        with pytest.raises(ValidationError, match="carried decision at a meeting of POGI Move"):
            assign(move, reps["a"], secretariat_user, decision=decision)

    def test_a_decision_not_carried_is_refused(self, move, reps, secretariat_user):
        decision = decision_of("move", reps, secretariat_user, outcome="against")
        assert decision.outcome == Decision.Outcome.NOT_CARRIED
        with pytest.raises(ValidationError, match="carried decision"):
            assign(move, reps["a"], secretariat_user, decision=decision)


class TestEndingATerm:
    def test_a_term_ends_early_with_its_reason(self, move, reps, secretariat_user):
        office = assign(move, reps["a"], secretariat_user)
        office = services.office_end(
            office=office, on=D(2026, 3, 31), reason="Fratrådt sin stilling", by=secretariat_user
        )
        assert office.ends_on == D(2026, 3, 31)
        assert office.history.first().history_change_reason == "Fratrådt sin stilling"
        # the office is free again from the next day
        assert assign(move, reps["b"], secretariat_user, start=D(2026, 4, 1), end=D(2028, 3, 31)).role == CHAIR

    @pytest.mark.parametrize(
        ("on", "message"),
        [
            (D(2026, 12, 31), "already ends on 31/12/2026"),
            (D(2027, 6, 1), "already ends on"),
            (D(2025, 1, 1), "began on 01/01/2025"),
            (D(2024, 6, 1), "began on"),
        ],
    )
    def test_the_new_last_day_lies_inside_the_term(self, move, reps, secretariat_user, on, message):
        office = assign(move, reps["a"], secretariat_user)
        with pytest.raises(ValidationError, match=message):
            services.office_end(office=office, on=on, reason="Fratrådt", by=secretariat_user)

    def test_an_early_end_needs_a_reason(self, move, reps, secretariat_user):
        office = assign(move, reps["a"], secretariat_user)
        with pytest.raises(ValidationError, match="Give the reason"):
            services.office_end(office=office, on=D(2026, 3, 31), reason="  ", by=secretariat_user)

    def test_only_a_term_not_begun_is_removed(self, move, reps, secretariat_user):
        today = timezone.localdate()
        begun = assign(move, reps["a"], secretariat_user, start=today, end=term_last_day(today, 2))
        with pytest.raises(ValidationError, match="has begun"):
            services.office_remove(office=begun, by=secretariat_user)
        later = today + datetime.timedelta(days=1)
        coming = assign(move, reps["b"], secretariat_user, role=VICE, start=later, end=term_last_day(later, 2))
        services.office_remove(office=coming, by=secretariat_user)
        assert list(BodyOffice.objects.all()) == [begun]


class TestSeats:
    def test_move_has_one_representative_from_every_member(self, move, reps, secretariat_user):
        # giving the seat to another person replaces the one before: still one seat for the organisation
        deputy = RepresentativeFactory(organisation=reps["a"].organisation, position="deputy")
        seat = services.seat_set(
            body=move, organisation=reps["a"].organisation, person=deputy.user, by=secretariat_user
        )
        assert seat.person == deputy.user
        assert BodySeat.objects.filter(body=move, organisation=reps["a"].organisation).count() == 1

    def test_a_move_seat_has_its_person(self, move, reps, secretariat_user):
        with pytest.raises(ValidationError, match="one representative from every member: choose who represents Cby"):
            services.seat_set(body=move, organisation=reps["c"].organisation, by=secretariat_user)

    def test_move_has_no_founding_members(self, move, reps, secretariat_user):
        with pytest.raises(ValidationError, match="POGI Move has no founding members"):
            services.seat_set(
                body=move,
                organisation=reps["c"].organisation,
                person=reps["c"].user,
                founding=True,
                by=secretariat_user,
            )

    @pytest.mark.parametrize("status", [Membership.Status.APPLIED, Membership.Status.WITHDRAWN])
    def test_only_active_members_sit_in_a_body(self, move, lab, secretariat_user, status):
        outsider = member("Udenfor Kommune", status=status)
        for body in (move, lab):
            with pytest.raises(ValidationError, match=r"Only active members sit in .*Udenfor Kommune is not one"):
                services.seat_set(
                    body=body, organisation=outsider.organisation, person=outsider.user, by=secretariat_user
                )

    def test_the_seats_person_represents_the_organisation(self, lab, reps, secretariat_user):
        with pytest.raises(ValidationError, match="Rep of Bby Kommune does not represent Cby Kommune"):
            services.seat_set(body=lab, organisation=reps["c"].organisation, person=reps["b"].user, by=secretariat_user)

    def test_only_a_municipality_founds_lab(self, lab, reps, secretariat_user):
        with pytest.raises(ValidationError, match="Only a municipality is a founding member of POGI Lab"):
            services.seat_set(body=lab, organisation=reps["region"].organisation, founding=True, by=secretariat_user)
        # a region takes part like any member
        seat = services.seat_set(body=lab, organisation=reps["region"].organisation, by=secretariat_user)
        assert not seat.founding and seat.person is None

    def test_the_move_chair_keeps_the_seat(self, move, reps, secretariat_user):
        today = timezone.localdate()
        assign(move, reps["a"], secretariat_user, start=today, end=term_last_day(today, 2))
        deputy = RepresentativeFactory(organisation=reps["a"].organisation, position="deputy")
        with pytest.raises(ValidationError, match="Rep of Aby Kommune is chair of POGI Move until"):
            services.seat_set(body=move, organisation=reps["a"].organisation, person=deputy.user, by=secretariat_user)
        seat = BodySeat.objects.get(body=move, organisation=reps["a"].organisation)
        with pytest.raises(ValidationError, match="end that term first"):
            services.seat_remove(seat=seat, by=secretariat_user)
        assert BodySeat.objects.get(pk=seat.pk).person == reps["a"].user

    def test_the_lab_chairs_municipality_stays_founding(self, lab, reps, secretariat_user):
        today = timezone.localdate()
        assign(lab, reps["a"], secretariat_user, start=today, end=term_last_day(today, 3))
        with pytest.raises(ValidationError, match="is chair of POGI Lab until"):
            services.seat_set(body=lab, organisation=reps["a"].organisation, founding=False, by=secretariat_user)
        # naming the person for the seat changes nothing about the office
        seat = services.seat_set(
            body=lab, organisation=reps["a"].organisation, person=reps["a"].user, founding=True, by=secretariat_user
        )
        assert seat.founding and seat.person == reps["a"].user

    def test_a_seat_without_an_office_is_removed(self, lab, reps, secretariat_user):
        seat = BodySeat.objects.get(body=lab, organisation=reps["c"].organisation)
        services.seat_remove(seat=seat, by=secretariat_user)
        assert not BodySeat.objects.filter(pk=seat.pk).exists()

    def test_a_past_office_does_not_hold_the_seat(self, move, reps, secretariat_user):
        assign(move, reps["a"], secretariat_user, start=D(2020, 1, 1), end=D(2021, 12, 31))
        seat = BodySeat.objects.get(body=move, organisation=reps["a"].organisation)
        services.seat_remove(seat=seat, by=secretariat_user)

    def test_only_the_secretariat_gives_seats(self, move, reps):
        with pytest.raises(ValidationError, match="Only the secretariat"):
            services.seat_set(body=move, organisation=reps["c"].organisation, person=reps["c"].user, by=reps["c"].user)


def event(by, **fields):
    values = {"kind": "conference", "title": "Årskonference", "month": 11, **fields}
    return services.year_wheel_event_save(by=by, **values)


class TestYearWheelEvents:
    def test_an_event_comes_back_in_its_month(self, secretariat_user):
        saved = event(secretariat_user, title_en="Annual conference", day=26)
        assert (saved.month, saved.day, saved.duration_days, saved.tr.title) == (11, 26, 1, "Annual conference")
        changed = event(secretariat_user, event=saved, month=10, day=None, title="Årskonferencen")
        assert changed.pk == saved.pk and changed.month == 10 and changed.day is None
        assert YearWheelEvent.objects.count() == 1 and saved.history.count() == 2

    @pytest.mark.parametrize(
        ("fields", "message"),
        [
            ({"month": 2, "day": 29}, "29 February is not there every year"),
            ({"month": 4, "day": 31}, "That month has 30 days"),
            ({"month": 2, "day": 30}, "That month has 28 days"),
            ({"month": 13}, "Choose the month"),
            ({"title": " "}, "Give the event a title"),
            ({"kind": "meeting"}, "Choose the body that meets"),
            ({"kind": "party"}, "Choose the kind of event"),
            ({"duration_days": 0}, "lasts from 1 to 365 days"),
            ({"duration_days": 366}, "lasts from 1 to 365 days"),
        ],
    )
    def test_an_event_that_cannot_come_every_year_is_refused(self, secretariat_user, fields, message):
        with pytest.raises(ValidationError, match=message):
            event(secretariat_user, **fields)
        assert not YearWheelEvent.objects.exists()

    def test_the_last_days_of_a_month_are_allowed(self, secretariat_user):
        assert event(secretariat_user, month=2, day=28).day == 28
        assert event(secretariat_user, month=12, day=31, duration_days=365).duration_days == 365

    def test_a_working_group_has_no_yearly_meetings(self, secretariat_user):
        with pytest.raises(ValidationError, match="Working groups meet as their work needs"):
            event(secretariat_user, kind="meeting", body=services.body_for(kind="working_group"))

    def test_only_the_secretariat_changes_the_year_wheel(self, secretariat_user, reps):
        with pytest.raises(ValidationError, match="Only the secretariat"):
            event(reps["a"].user)
        saved = event(secretariat_user)
        with pytest.raises(ValidationError, match="Only the secretariat"):
            services.year_wheel_event_remove(event=saved, by=reps["a"].user)
        services.year_wheel_event_remove(event=saved, by=secretariat_user)
        assert not YearWheelEvent.objects.exists()


# --- the pages -------------------------------------------------------------------------------------


@pytest.fixture
def move_world(move, reps, secretariat_user):
    """Move with its chair and vice-chair serving today, a coming chair, a former one, and meetings."""
    today = timezone.localdate()
    start = today - datetime.timedelta(days=100)
    if (start.month, start.day) == (2, 29):
        start -= datetime.timedelta(days=1)
    assign(move, reps["a"], secretariat_user, start=start, end=term_last_day(start, 2), note="Valgt på mødet i marts.")
    assign(move, reps["b"], secretariat_user, role=VICE, start=start, end=term_last_day(start, 2))
    coming = term_last_day(start, 2) + datetime.timedelta(days=1)
    assign(move, reps["region"], secretariat_user, start=coming, end=term_last_day(coming, 2))
    former = start.replace(year=start.year - 2)
    assign(move, reps["b"], secretariat_user, start=former, end=start - datetime.timedelta(days=1))
    services.meeting_create(
        kind="move", title="POGI Moves forårsmøde", starts_at=in_days(40), place="Vejle", by=secretariat_user
    )
    past = services.meeting_create(
        kind="move", title="Sidste møde", starts_at=in_days(2), place="Odense", by=secretariat_user
    )
    Meeting.objects.filter(pk=past.pk).update(starts_at=in_days(-10))
    event(
        secretariat_user, kind="meeting", body=move, title="POGI Moves efterårsmøde", title_en="Move's autumn meeting"
    )
    return move


class TestBodyPage:
    def test_move_shows_its_chair_rule_composition_and_meetings(self, client, move_world, reps):
        html = text(client.get("/en/projects/bodies/move/"))
        # the chair and vice-chair with their periods, and how the chair is chosen
        assert "Rep of Aby Kommune" in html and "Rep of Bby Kommune" in html
        assert "Valgt på mødet i marts." in html
        assert "Elected by the body's members: for 2 years at a time." in html
        assert "Coming terms" in html and "Region Test" in html
        # every member with a representative, and those still without one
        assert "3 of 4 members have named their representative." in html
        missing = html.split("Members still without a representative")[1].split("</ul>")[0]
        assert "Cby Kommune" in missing and "Aby Kommune" not in missing
        # the next meetings: the coming one, not the one held; never its place
        assert "POGI Moves forårsmøde" in html and "Sidste møde" not in html and "Vejle" not in html
        assert "Move's autumn meeting" in html
        assert 'href="/en/year-wheel/"' in html

    def test_the_representatives_names_are_for_signed_in_members(self, client, move_world, reps):
        html = client.get("/en/projects/bodies/move/").content.decode()
        table = html.split("Members with their representative")[1].split("</table>")[0]
        assert "Aby Kommune" in table and "Rep of Aby Kommune" not in table
        client.force_login(reps["c"].user)
        html = client.get("/en/projects/bodies/move/").content.decode()
        table = html.split("Members with their representative")[1].split("</table>")[0]
        assert "Rep of Aby Kommune" in table

    def test_lab_shows_the_founding_municipalities_first(self, client, lab, reps, secretariat_user):
        assign(lab, reps["b"], secretariat_user, end=D(2027, 6, 30))
        html = text(client.get("/en/projects/bodies/lab/"))
        assert "Chosen by the founding municipalities: for at least 2 years." in html
        founders = html.split("The founding municipalities</h3>")[1].split("</ul>")[0]
        others = html.split("Other members taking part</h3>")[1].split("</ul>")[0]
        assert "Aby Kommune" in founders and "Bby Kommune" in founders and "Cby Kommune" not in founders
        assert "Cby Kommune" in others

    def test_lab_before_anything_is_recorded(self, client, reps):
        html = text(client.get("/en/projects/bodies/lab/"))
        assert "Chosen by the founding municipalities: for at least 2 years." in html
        assert "Not recorded at present." in html

    def test_only_move_and_lab_have_pages(self, client):
        assert client.get("/projects/bodies/council/").status_code == 404
        assert client.get("/projects/bodies/working_group/").status_code == 404

    def test_a_danish_page_marks_nothing_and_an_english_one_marks_the_danish_note(self, client, move_world):
        english = client.get("/en/projects/bodies/move/").content.decode()
        assert '<span lang="da">Valgt på mødet i marts.</span>' in english
        danish = client.get("/projects/bodies/move/").content.decode()
        assert '<span lang="da">' not in danish

    def test_the_page_takes_the_same_queries_for_many_members(self, client, move_world, secretariat_user):
        def count(path):
            with CaptureQueriesContext(connection) as queries:
                assert client.get(path).status_code == 200
            return len(queries)

        # the body, its offices, seats, the active members, the next meetings, the year-wheel events
        assert count("/projects/bodies/move/") == 6
        for n in range(6):
            rep = member(f"Ny{n} Kommune")
            services.seat_set(body=move_world, organisation=rep.organisation, person=rep.user, by=secretariat_user)
            member(f"Uden{n} Kommune")
        assert count("/projects/bodies/move/") == 6
        lab = services.body_for(kind="lab")
        services.seat_set(
            body=lab, organisation=Organisation.objects.get(name="Ny1 Kommune"), founding=True, by=secretariat_user
        )
        assert count("/projects/bodies/lab/") == 5  # no list of all members: the seats say it


class TestSecretariatPages:
    def test_the_secretariat_records_a_chair(self, secretariat_client, move, reps):
        page = secretariat_client.get("/en/projects/bodies/move/manage/")
        assert page.status_code == 200
        choices = dict(page.context["office_form"].fields["representative"].choices)
        assert any(str(label) == "Rep of Aby Kommune (Aby Kommune)" for label in choices.values())
        assert not any("Cby" in str(label) for label in choices.values())  # no seat in Move: not offered
        rep = reps["a"]
        response = secretariat_client.post(
            "/en/projects/bodies/move/manage/offices/",
            {
                "office-role": "chair",
                "office-representative": rep.pk,
                "office-starts_on": "2025-01-01",
                "office-ends_on": "2026-12-31",
            },
            follow=True,
        )
        assert "Rep of Aby Kommune is chair of POGI Move from 01/01/2025 to 31/12/2026." in response.content.decode()
        assert BodyOffice.objects.get().person == reps["a"].user

    def test_a_refused_term_comes_back_with_the_reason(self, secretariat_client, move, reps):
        response = secretariat_client.post(
            "/en/projects/bodies/move/manage/offices/",
            {
                "office-role": "chair",
                "office-representative": reps["a"].pk,
                "office-starts_on": "2025-01-01",
                "office-ends_on": "2025-12-31",
            },
        )
        assert response.status_code == 400
        html = response.content.decode()
        assert "lasts exactly 2 years: from 01/01/2025 it ends on 31/12/2026" in html
        assert 'value="2025-12-31"' in html  # what was typed is kept
        assert not BodyOffice.objects.exists()

    def test_the_secretariat_gives_a_seat_and_ends_a_term(self, secretariat_client, lab, reps, secretariat_user):
        response = secretariat_client.post(
            "/en/projects/bodies/lab/manage/seats/",
            {"seat-organisation": reps["region"].organisation.pk, "seat-founding": "on"},
        )
        assert response.status_code == 400 and "Only a municipality is a founding member" in response.content.decode()
        response = secretariat_client.post(
            "/en/projects/bodies/lab/manage/seats/",
            {"seat-organisation": reps["region"].organisation.pk, "seat-representative": reps["region"].pk},
            follow=True,
        )
        assert "Region Test has its seat in POGI Lab." in response.content.decode()
        today = timezone.localdate()
        office = assign(
            lab, reps["a"], secretariat_user, start=today - datetime.timedelta(days=10), end=term_last_day(today, 3)
        )
        response = secretariat_client.post(
            f"/en/projects/bodies/lab/manage/offices/{office.pk}/end/",
            {
                f"end{office.pk}-on": (today + datetime.timedelta(days=5)).isoformat(),
                f"end{office.pk}-reason": "Ny stilling",
            },
            follow=True,
        )
        assert "now ends on" in response.content.decode()
        office.refresh_from_db()
        assert office.ends_on == today + datetime.timedelta(days=5)

    def test_the_secretariat_keeps_the_year_wheel(self, secretariat_client, move):
        response = secretariat_client.post(
            "/en/workgroups/manage/year-wheel/events/",
            {
                "event-kind": "meeting",
                "event-body": "",
                "event-title": "Møde",
                "event-month": "3",
                "event-duration_days": "1",
            },
        )
        assert response.status_code == 400 and "Choose the body that meets." in response.content.decode()
        response = secretariat_client.post(
            "/en/workgroups/manage/year-wheel/events/",
            {
                "event-kind": "meeting",
                "event-body": "lab",
                "event-title": "POGI Labs forårsmøde",
                "event-month": "4",
                "event-duration_days": "1",
            },
            follow=True,
        )
        saved = YearWheelEvent.objects.get()
        assert saved.body.kind == "lab"  # Lab's row is made with its rules the first time
        assert "is on the year wheel" in response.content.decode()
        page = secretariat_client.get(f"/en/workgroups/manage/year-wheel/?event={saved.pk}")
        assert page.context["editing"] == saved and page.context["form"].initial["title"] == "POGI Labs forårsmøde"
        secretariat_client.post(
            f"/en/workgroups/manage/year-wheel/events/{saved.pk}/",
            {
                "event-kind": "meeting",
                "event-body": "lab",
                "event-title": "POGI Labs forårsmøde",
                "event-month": "5",
                "event-day": "12",
                "event-duration_days": "2",
            },
        )
        saved.refresh_from_db()
        assert (saved.month, saved.day, saved.duration_days) == (5, 12, 2)
        secretariat_client.post(f"/en/workgroups/manage/year-wheel/events/{saved.pk}/remove/")
        assert not YearWheelEvent.objects.exists()

    def test_the_manage_page_takes_the_same_queries_for_many_seats(self, secretariat_client, move, secretariat_user):
        def count():
            with CaptureQueriesContext(connection) as queries:
                assert secretariat_client.get("/projects/bodies/move/manage/").status_code == 200
            return len(queries)

        few = count()
        for n in range(5):
            rep = member(f"Ny{n} Kommune")
            services.seat_set(body=move, organisation=rep.organisation, person=rep.user, by=secretariat_user)
        assert count() == few
