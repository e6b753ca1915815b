"""Flow 3 of the design, up to the submitted responses, in a real browser.

The secretariat opens the follow-up round; the invitation email reaches the
member's representative, who fills in the questionnaire over two logins; a
second browser saving stale answers is told instead of overwriting them; the
response is submitted and receipted; the reminder goes only to the member that
has not submitted; the round is closed, the report rendered and published, and
anyone downloads it from the public list. Every page visited is checked with axe-core in Danish and
English; forms are filled in English, where the labels are the source strings.
"""

import datetime
import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from followup import services
from followup.models import GoalAnswer, Response, Round
from goals import reference
from tests.factories import RepresentativeFactory, goal_in_force

from .pages import check_a11y, check_page, sign_in, sign_in_with_two_factor, visit

pytestmark = pytest.mark.browser

RESPONSE_LINK = re.compile(r"https?://[^\s/]+(/(?:en/)?followup/responses/\d+/)")


def message(page, kind: str = "success"):
    return page.locator(f".messages .alert-{kind}")


def fill_goal(page, *, completed: str, with_criteria: str, volume: str, status: str, reason: str = "") -> None:
    page.get_by_label("Number of tenders completed in the year within the goal's area").fill(completed)
    page.get_by_label("How many of them used the POGI criteria").fill(with_criteria)
    page.get_by_label("Purchasing volume in the area (DKK)").fill(volume)
    page.get_by_label(status, exact=True).check()
    if reason:
        page.get_by_label("Reason", exact=True).fill(reason)


@pytest.fixture
def partnership(transactional_db, secretariat_user, org_a, org_b, rep_a, rep_b):
    reference.load()
    goals = [
        goal_in_force(secretariat_user, number=5, title="Rengøring", criteria=["Svanemærket eller EU-Blomsten."]),
        goal_in_force(
            secretariat_user, number=7, title="IT-udstyr", area="it-udstyr", criteria=["Svanemærket eller EU-Blomsten."]
        ),
    ]
    deputy = RepresentativeFactory(organisation=org_a, position="deputy").user
    return {"goals": goals, "deputy": deputy}


def test_flow_3_open_answer_over_two_logins_conflict_submit_and_remind(
    page, new_page, partnership, secretariat_user, org_a, rep_a, rep_b
):
    today = timezone.localdate()
    deadline = today + datetime.timedelta(days=14)

    # --- the secretariat creates and opens the round -------------------------------------
    sign_in_with_two_factor(page, secretariat_user, "/en/followup/rounds/")
    check_page(page, "follow-up rounds")
    page.get_by_role("link", name="Create a round").click()
    check_page(page, "create a round")
    page.get_by_label("Year", exact=True).fill(str(today.year))
    page.get_by_label("Opens on", exact=True).fill(today.isoformat())
    page.get_by_label("Deadline", exact=True).fill(deadline.isoformat())
    page.get_by_label(re.compile(r"^Introduction(?! \(English\))")).fill("Tell us how you used the goals this year.")
    page.get_by_role("button", name="Save the round").click()
    expect(message(page)).to_contain_text("round has been created")
    check_page(page, "round overview, being prepared")
    page.get_by_role("link", name="Open the round and invite the members").click()
    expect(page.locator(".confirm-count")).to_contain_text("This sends an invitation to 2 members")
    check_page(page, "confirm opening the round")
    page.get_by_role("button", name="Open the round and invite the members").click()  # not ticked: nothing happens
    assert Round.objects.get(year=today.year).status == "draft"
    page.get_by_label("Yes, open the round and email the invitations").check()
    page.get_by_role("button", name="Open the round and invite the members").click()
    expect(message(page)).to_contain_text("The round is open")
    check_page(page, "round overview, open")
    round_ = Round.objects.get(year=today.year)
    assert round_.status == "open" and round_.responses.count() == 2

    # --- the invitation email reaches A's representative -----------------------------------
    invitation = next(m for m in mail.outbox if m.to == [rep_a.email])
    path = RESPONSE_LINK.search(invitation.body).group(1)
    assert {tuple(m.to) for m in mail.outbox} == {(rep_a.email,), (rep_b.email,), (partnership["deputy"].email,)}
    english_path = path if path.startswith("/en/") else "/en" + path

    # --- first login: the organisation part ----------------------------------------------------
    rep = new_page()
    sign_in(rep, rep_a, english_path)
    expect(rep.get_by_role("heading", level=1)).to_have_text(f"Follow-up {today.year}")
    check_page(rep, "task list")
    rep.get_by_role("link", name="About your organisation").click()
    check_page(rep, "organisation section")
    rep.get_by_label("Estimated total purchasing volume of the year (DKK)").fill("1.250.000")
    rep.get_by_label("Yes", exact=True).check()
    rep.get_by_label("Contact person for the follow-up").fill("Kim Indkøb")
    rep.get_by_label("Contact person's email address").fill("kim@testby.example")
    rep.get_by_role("button", name="Save and continue").click()
    expect(message(rep)).to_have_text("Your answers have been saved as a draft.")
    expect(rep).to_have_url(re.compile(r"/goals/5/$"))
    check_page(rep, "goal 5 section")
    # a wrong answer is explained at the top, with a link to the field, and kept
    fill_goal(rep, completed="2", with_criteria="3", volume="-5", status="Partly meets the goal")
    rep.get_by_role("button", name="Save draft").click()
    summary = rep.locator(".error-summary")
    expect(summary).to_be_visible()
    expect(summary.locator("a[href='#id_tenders_with_criteria']")).to_contain_text("Cannot be more than")
    expect(summary.locator("a[href='#id_volume_dkk']")).to_contain_text("cannot be negative")
    check_a11y(rep, "goal 5 section with errors")
    fill_goal(
        rep,
        completed="4",
        with_criteria="3",
        volume="800.000",
        status="Partly meets the goal",
        reason="One old contract.",
    )
    rep.get_by_role("button", name="Save and continue").click()
    expect(message(rep)).to_be_visible()
    rep.context.clear_cookies()  # signed out

    # --- second login, in another browser: goal 7 --------------------------------------------
    rep = new_page()
    sign_in(rep, rep_a, english_path)
    tasks = rep.locator(".task-list")
    expect(tasks.locator("li").filter(has_text="About your organisation")).to_contain_text("Completed")
    expect(tasks.locator("li").filter(has_text="Rengøring")).to_contain_text("Completed")
    expect(tasks.locator("li").filter(has_text="IT-udstyr")).to_contain_text("Not started")
    rep.get_by_role("link", name=re.compile("IT-udstyr")).click()
    check_page(rep, "goal 7 section")
    # the deputy opens the same section in a third browser at the same time
    deputy = new_page()
    sign_in(deputy, partnership["deputy"], urlsplit(rep.url).path)
    fill_goal(rep, completed="3", with_criteria="3", volume="2.000.000", status="Meets the goal")
    rep.get_by_label("Challenges you met").fill("Few suppliers of refurbished laptops.")
    rep.get_by_role("button", name="Save and continue").click()
    expect(rep).to_have_url(re.compile(r"/check/$"))
    # the deputy saves the stale page and is told, with what the representative saved
    fill_goal(deputy, completed="9", with_criteria="1", volume="100", status="Does not yet meet the goal", reason="x")
    deputy.get_by_role("button", name="Save draft").click()
    conflict = deputy.locator(".conflict")
    expect(conflict).to_contain_text("Your answers were not saved")
    expect(conflict).to_contain_text("Few suppliers of refurbished laptops.")
    expect(deputy.get_by_label("Number of tenders completed in the year within the goal's area")).to_have_value("9")
    check_a11y(deputy, "conflict")
    answer = GoalAnswer.objects.get(goal_version=partnership["goals"][1])
    assert (answer.tenders_completed, answer.saved_by) == (3, rep_a)

    # --- check and submit ---------------------------------------------------------------------
    check_page(rep, "check answers")
    expect(rep.get_by_text("Few suppliers of refurbished laptops.")).to_be_visible()
    rep.get_by_label(re.compile("I confirm that the answers are correct")).check()
    rep.get_by_role("button", name="Submit the response").click()
    expect(rep.get_by_role("heading", level=1)).to_have_text("Response submitted")
    check_page(rep, "receipt")
    response = Response.objects.get(round=round_, organisation=org_a)
    assert response.status == "submitted" and response.submitted_by == rep_a
    receipt = mail.outbox[-1]
    assert receipt.to == [rep_a.email] and receipt.attachments[0][2] == "application/pdf"
    # submitted answers are read-only
    visit(rep, english_path.rstrip("/") + "/goals/5/", "submitted goal section")
    expect(rep.get_by_role("button", name="Save draft")).to_have_count(0)
    expect(rep.get_by_label("Purchasing volume in the area (DKK)")).to_be_disabled()

    # --- the reminder goes only to the member that has not submitted -------------------------
    mail.outbox.clear()
    assert services.reminders_send_due(today=deadline - datetime.timedelta(days=3)) == 1
    assert [m.to for m in mail.outbox] == [[rep_b.email]]
    visit(page, f"/en/followup/rounds/{today.year}/", "round overview after submission")
    rows = page.locator("main table tbody tr")
    expect(rows.filter(has_text="Testby Kommune")).to_contain_text("Submitted")
    expect(rows.filter(has_text="Andenby Kommune")).to_contain_text("Not started")
    expect(page.locator(".key-figures")).to_contain_text("50 %")
    # the secretariat's other pages: edit the round, import (a bad file is explained), the representative's home
    visit(page, f"/en/followup/rounds/{today.year}/edit/", "edit round")
    visit(page, f"/en/followup/rounds/{today.year}/import/", "import")
    page.get_by_label("Spreadsheet (XLSX or CSV)").set_input_files(
        {
            "name": "svar.csv",
            "mimeType": "text/csv",
            "buffer": f"organisation_slug;goal_number;goal_status\n{org_a.slug};5;meets\n".encode(),
        }
    )
    page.get_by_role("button", name="Import", exact=True).click()
    expect(page.locator(".import-errors")).to_contain_text("reopen the response")
    check_a11y(page, "import with errors")
    visit(rep, "/en/followup/", "representative's follow-up")
    expect(rep.get_by_role("link", name=f"Follow-up {today.year}")).to_be_visible()

    # --- the round is closed; the report is rendered, looked over and published -------------------
    visit(page, f"/en/followup/rounds/{today.year}/", "round overview before closing")
    page.get_by_role("link", name="Close the round").click()
    expect(page.locator(".confirm-count")).to_contain_text("1 member has not submitted")
    check_page(page, "confirm closing the round")
    page.get_by_label("Why is the round closed before its deadline?").fill(
        "Alle har haft tid nok; rapporten skal nå styregruppen."
    )
    page.get_by_label("Yes, close the round: members that have not submitted can no longer answer").check()
    page.get_by_role("button", name="Close the round").click()
    expect(message(page)).to_be_visible()
    assert Round.objects.get(year=today.year).status == "closed"
    page.get_by_role("link", name="Annual report", exact=True).click()
    expect(page.locator("#summary")).to_contain_text("50.0 %")  # one of two members submitted
    check_page(page, "annual report figures")
    visit(page, f"/en/followup/rounds/{today.year}/report/quotes/?goal=5", "choose quotes")
    visit(page, f"/en/followup/rounds/{today.year}/report/", "annual report figures")
    page.get_by_role("button", name="Generate Annual report, Danish").click()
    status = page.locator("#report-status tbody tr").first
    expect(status).to_contain_text("Done")
    check_a11y(page, "report generated")
    page.get_by_role("button", name="Publish Danish").click()
    expect(message(page)).to_contain_text("published")
    # anyone finds it on the public list and downloads the PDF
    visit(rep, "/followup/reports/", "published reports")
    link = rep.get_by_role("link", name=f"POGI-årsrapport {today.year} (PDF)")
    download = rep.request.get(link.get_attribute("href"))
    assert download.status == 200 and download.headers["content-type"] == "application/pdf"
    assert download.body().startswith(b"%PDF")


def test_the_session_warning_comes_before_the_end_and_the_draft_is_kept(
    page, partnership, secretariat_user, org_a, rep_a, settings, monkeypatch
):
    # given an open round and a session that lasts twenty seconds without a save (the warning after five
    # seconds, the autosave after twelve)
    from followup import views

    round_ = services.round_create(
        year=2026, opens_on=datetime.date(2026, 1, 1), deadline=datetime.date(2026, 12, 31), by=secretariat_user
    )
    services.round_open(round=round_, by=secretariat_user)
    response = round_.responses.get(organisation=org_a)
    settings.SESSION_COOKIE_AGE = 20
    monkeypatch.setattr(views, "SESSION_WARNING_SECONDS", 15)
    monkeypatch.setattr(views, "SESSION_AUTOSAVE_SECONDS", 8)
    path = f"/en/followup/responses/{response.pk}/goals/5/"
    # and a slow connection: the page's script arrives only after the representative has typed
    held = []
    page.route(re.compile(r"/js/followup[.\w]*\.js$"), lambda route: held.append(route))
    sign_in(page, rep_a, path)
    warning = page.locator("#session-warning")
    expect(warning).to_be_hidden()
    # when the representative types and does nothing more
    page.get_by_label("Challenges you met").fill("Typed just before the session ended.")
    while not held:
        page.wait_for_timeout(100)
    held[0].continue_()
    # then the warning shows before the session ends
    expect(warning).to_be_visible(timeout=10000)
    check_a11y(page, "session warning")
    # and the draft is saved before it ends
    expect(message(page)).to_have_text("Your answers have been saved as a draft.", timeout=15000)
    assert GoalAnswer.objects.get(response=response).challenges == "Typed just before the session ended."
