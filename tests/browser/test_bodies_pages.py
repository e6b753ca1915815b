"""The year wheel and the bodies' pages in a browser: a visitor reads the year wheel and finds how to subscribe to
it, reads POGI Move's and POGI Lab's pages, and the secretariat records a vice-chair and adds a recurring event.
Every page checked with axe-core in Danish and English, at 1280 px and at 320 px, without sideways scrolling."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.factories import MembershipFactory, OrganisationFactory, RepresentativeFactory, in_days
from workgroups import services
from workgroups.models import BodyOffice, YearWheelEvent
from workgroups.services.bodies import term_last_day

from .pages import assert_no_sideways_scroll, check_page, sign_in_with_two_factor, visit

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 320, "height": 640}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}


@pytest.fixture
def world(transactional_db, secretariat_user):
    """Move with three seats and its chair, Lab with two founding municipalities, a meeting and the year wheel."""
    reps = [
        RepresentativeFactory(
            organisation=MembershipFactory(organisation=OrganisationFactory(name=f"{name} Kommune")).organisation,
            position="primary",
            user__name=f"Repræsentant for {name}",
        )
        for name in ("Aby", "Bby", "Cby", "Dby")
    ]
    by = secretariat_user
    move, lab = services.body_for(kind="move"), services.body_for(kind="lab")
    for rep in reps[:3]:
        services.seat_set(body=move, organisation=rep.organisation, person=rep.user, by=by)
    for rep in reps[:2]:
        services.seat_set(body=lab, organisation=rep.organisation, person=rep.user, founding=True, by=by)
    services.seat_set(body=lab, organisation=reps[3].organisation, by=by)
    start = timezone.localdate() - datetime.timedelta(days=30)
    services.office_assign(
        body=move,
        role="chair",
        person=reps[0].user,
        organisation=reps[0].organisation,
        starts_on=start,
        ends_on=term_last_day(start, 2),
        note="Valgt på forårsmødet.",
        by=by,
    )
    services.office_assign(
        body=lab,
        role="chair",
        person=reps[1].user,
        organisation=reps[1].organisation,
        starts_on=start,
        ends_on=term_last_day(start, 3),
        by=by,
    )
    services.meeting_create(kind="move", title="POGI Moves forårsmøde", starts_at=in_days(30), place="Odense", by=by)
    today = timezone.localdate()
    for kind, body, title, title_en, month, day in (
        ("meeting", move, "POGI Moves efterårsmøde", "POGI Move's autumn meeting", today.month, None),
        ("followup", None, "Målopfølgningen", "The annual follow-up", 9, 1),
        ("conference", None, "Årskonference om grønne indkøb", "Annual conference on green procurement", 11, None),
    ):
        services.year_wheel_event_save(
            kind=kind, body=body, title=title, title_en=title_en, month=month, day=day, duration_days=1, by=by
        )
    return {"reps": reps, "move": move}


def message(page):
    return page.locator(".alert-success").first


@pytest.mark.parametrize("device", [{}, PHONE], ids=["1280px", "320px"])
def test_a_visitor_reads_the_year_wheel_and_the_bodies(new_page, world, device):
    page = new_page(**device)
    page.goto("/")
    page.locator("footer").get_by_role("link", name="The year wheel").or_(
        page.locator("footer").get_by_role("link", name="Årshjulet")
    ).first.click()
    expect(page).to_have_url(re.compile(r"/year-wheel/$"))
    visit(page, "/en/year-wheel/", "the year wheel")
    assert_no_sideways_scroll(page, "the year wheel")
    expect(page.get_by_role("heading", level=1)).to_have_text("The year wheel")
    expect(page.get_by_text("POGI Move's autumn meeting")).to_be_visible()
    expect(page.get_by_role("link", name="Subscribe to the calendar")).to_have_attribute(
        "href", f"webcal://{page.url.split('://')[1].split('/')[0]}/en/year-wheel.ics"
    )
    page.get_by_text("How to subscribe").click()
    expect(page.get_by_text("From URL")).to_be_visible()
    feed = page.request.get("/en/year-wheel.ics")
    assert feed.ok and feed.headers["content-type"] == "text/calendar; charset=utf-8"
    assert "SUMMARY:POGI Move's autumn meeting" in feed.text()

    page.get_by_role("link", name="POGI Move").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("POGI Move")
    check_page(page, "POGI Move's page")
    assert_no_sideways_scroll(page, "POGI Move's page")
    expect(page.get_by_text("Repræsentant for Aby")).to_be_visible()  # the chair, named in public
    expect(page.get_by_text("Elected by the body's members: for 2 years at a time.")).to_be_visible()
    expect(page.get_by_text("3 of 4 members have named their representative.")).to_be_visible()

    visit(page, "/en/projects/bodies/lab/", "POGI Lab's page")
    assert_no_sideways_scroll(page, "POGI Lab's page")
    expect(page.get_by_text("Chosen by the founding municipalities: for at least 2 years.")).to_be_visible()


@pytest.mark.parametrize("device", [{}, PHONE], ids=["1280px", "320px"])
def test_the_secretariat_records_a_vice_chair_and_an_event(new_page, world, secretariat_user, device):
    page = new_page(**device)
    sign_in_with_two_factor(page, secretariat_user, "/en/projects/bodies/move/manage/")
    check_page(page, "Move's offices and seats")
    assert_no_sideways_scroll(page, "Move's offices and seats")
    start = timezone.localdate()
    page.get_by_label("Office", exact=True).select_option(label="Vice-chair")
    page.get_by_label("Person", exact=True).select_option(label="Repræsentant for Bby (Bby Kommune)")
    page.get_by_label("First day of the term", exact=True).fill(start.isoformat())
    # a year is refused: Move's vice-chair serves exactly two years
    page.get_by_label("Last day of the term", exact=True).fill(term_last_day(start, 1).isoformat())
    page.get_by_role("button", name="Record the term").click()
    expect(page.locator(".alert-error").first).to_contain_text("lasts exactly 2 years")
    expect(page.get_by_label("First day of the term", exact=True)).to_have_value(start.isoformat())
    page.get_by_label("Last day of the term", exact=True).fill(term_last_day(start, 2).isoformat())
    page.get_by_role("button", name="Record the term").click()
    expect(message(page)).to_contain_text("is vice-chair of POGI Move")
    assert BodyOffice.objects.filter(role="vice_chair", person=world["reps"][1].user).exists()

    page.get_by_role("link", name="The year wheel's events").first.click()
    check_page(page, "the year wheel's events")
    assert_no_sideways_scroll(page, "the year wheel's events")
    page.get_by_label("Kind of event").select_option(label="Hearing")
    page.get_by_label("Title", exact=True).fill("Høring af reviderede mål")
    page.get_by_label("Title (English)").fill("Hearing on revised goals")
    page.get_by_label("Month").select_option(label="May")
    page.locator("#id_event-day").fill("1")
    page.get_by_label("Duration (days)").fill("42")
    page.get_by_role("button", name="Add to the year wheel").click()
    expect(message(page)).to_contain_text("is on the year wheel")
    assert YearWheelEvent.objects.get(title="Høring af reviderede mål").duration_days == 42
