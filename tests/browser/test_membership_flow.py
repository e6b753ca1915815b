"""The membership flow as people use it, in a real browser.

A municipality applies and is received; it becomes a member when the secretariat
has checked the signed form (one click and a confirmation); another public body
applies and waits until the secretariat records the steering group's approval;
an invited representative creates an account and keeps the organisation's
public profile (the secretariat re-authenticates with its authenticator code to
invite); and anyone can switch between Danish and English.

Forms are filled in English (under /en/), where the labels are the source
strings; every page visited is checked with axe-core in Danish and English.
"""

import re
import time

import pyotp
import pytest
from django.core import mail
from playwright.sync_api import expect

from members import reference
from members.demo import minimal_pdf
from tests.conftest import TOTP_SECRET

from .pages import INVITATION_LINK, assert_html_lang, check_a11y, check_page, sign_in_with_two_factor, visit

pytestmark = pytest.mark.browser


def pdf_upload(title: str) -> dict:
    return {"name": "indmeldelsesblanket.pdf", "mimeType": "application/pdf", "buffer": minimal_pdf(title)}


def error_summary(page):
    return page.locator(".error-summary")


def message(page, kind: str = "success"):
    return page.locator(f".messages .alert-{kind}")


def table_with_column(page, heading: str):
    return page.locator("main table").filter(has=page.get_by_role("columnheader", name=heading, exact=True))


def fill_contact(page, *, name: str, email: str, policy: str, title: str) -> None:
    page.get_by_label("Contact person", exact=True).fill(name)
    page.get_by_label("Contact email", exact=True).fill(email)
    page.get_by_label("Link to your public procurement policy", exact=True).fill(policy)
    page.get_by_label("Signed enrolment form (PDF)", exact=True).set_input_files(pdf_upload(title))


def send_application(page) -> None:
    page.get_by_role("button", name="Send application").click()


def reauthenticate_with_code(page) -> None:
    """Answer the re-authentication step with a new authenticator code (the sign-in's code is used up)."""
    expect(page).to_have_url(re.compile(r"/accounts/2fa/reauthenticate/"))
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    check_a11y(page, "re-authentication")
    totp = pyotp.TOTP(TOTP_SECRET)
    time.sleep(totp.interval - time.time() % totp.interval + 0.5)  # the next code: one code is used once only
    page.locator("#id_code").fill(totp.now())
    page.locator("main form button[type=submit]").first.click()


# --- a. a municipality joins -------------------------------------------------------


def test_municipality_applies_and_is_listed_once_the_secretariat_has_checked_the_form(
    page, new_page, secretariat_user, org_a
):
    reference.load()
    visit(page, "/en/members/apply/", "application form")
    expect(page.get_by_role("heading", level=1, name="Apply for membership")).to_be_visible()

    # Sending the form empty shows what is missing, on a page that is accessible too.
    send_application(page)
    summary = error_summary(page)
    expect(summary).to_be_visible()
    expect(summary.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(page).to_have_title(re.compile(r"^Error: "))
    # Every problem is listed with a link to its field.
    to_email = summary.get_by_role("link", name=re.compile(r"^Contact email: "))
    expect(to_email).to_have_attribute("href", "#id_contact_email")
    expect(summary.locator("a[href='#id_organisation']")).to_have_count(1)
    to_email.click()
    expect(page).to_have_url(re.compile(r"#id_contact_email$"))
    email = page.get_by_label("Contact email", exact=True)
    expect(email).to_be_in_viewport()
    expect(email).to_have_attribute("aria-invalid", "true")
    assert_html_lang(page, "en")
    check_a11y(page, "application form with errors [en]")

    page.goto("/members/apply/")
    page.locator("form[enctype='multipart/form-data'] button[type=submit]").click()
    expect(error_summary(page)).to_be_visible()
    expect(page).to_have_title(re.compile(r"^\S+: "))
    expect(error_summary(page).locator("a[href='#id_contact_email']")).to_have_count(1)
    assert_html_lang(page, "da")
    check_a11y(page, "application form with errors [da]")

    # Now filled in properly.
    page.goto("/en/members/apply/")
    page.get_by_label("A Danish municipality or region", exact=True).check()
    page.get_by_label("Municipality or region", exact=True).select_option(label="Vejle Kommune")
    fill_contact(
        page,
        name="Karen Vestergaard",
        email="Indkoeb@Vejle.example",
        policy="https://www.vejle.dk/indkoebspolitik",
        title="Indmeldelsesblanket Vejle Kommune",
    )
    send_application(page)

    expect(page.get_by_role("heading", level=1, name="Application received")).to_be_visible()
    expect(
        page.get_by_role("status").filter(has_text="The application from Vejle Kommune has been received.")
    ).to_be_visible()
    expect(page.get_by_text("The secretariat checks the signed enrolment form within 5 working days.")).to_be_visible()
    check_page(page, "application received (to be checked)")

    # Not a member yet: the directory does not show it, and nobody is invited.
    visit(page, "/en/members/?q=Vejle", "member directory search")
    expect(page.get_by_text("No members match the filter.")).to_be_visible()
    assert mail.outbox == []

    # The secretariat finds the check on its desk, with its due date, and confirms it.
    secretariat = new_page()
    sign_in_with_two_factor(secretariat, secretariat_user, "/en/members/secretariat/applications/")
    task = secretariat.locator("main table tbody tr").filter(has_text="Vejle Kommune")
    expect(task).to_contain_text("Karen Vestergaard")
    expect(task).to_contain_text("due ")
    check_page(secretariat, "secretariat: applications with a form to check")
    task.get_by_role("link", name="Check the signed form").click()
    expect(
        secretariat.get_by_role("heading", level=1, name="Confirm the check of the signed form from Vejle Kommune")
    ).to_be_visible()
    expect(secretariat.locator("main dl")).to_contain_text("indkoeb@vejle.example")
    check_page(secretariat, "secretariat: confirm the check")
    secretariat.get_by_role("button", name="Confirm: the signed form is genuine").click()
    expect(secretariat).to_have_url(re.compile(r"/en/members/secretariat/applications/$"))
    expect(message(secretariat)).to_have_text(
        "The signed form is recorded as checked. Vejle Kommune is now a member, and its contact has been invited."
    )
    check_page(secretariat, "secretariat: applications after the check")
    assert [m.to for m in mail.outbox] == [["indkoeb@vejle.example"]]

    # Now the new member is in the public directory, next to the existing one.
    visit(page, "/members/", "member directory")
    rows = page.locator("main table tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.filter(has_text="Vejle Kommune")).to_have_count(1)
    expect(rows.filter(has_text="Testby Kommune")).to_have_count(1)

    visit(page, "/members/?q=Vejle", "member directory search")
    expect(rows).to_have_count(1)
    vejle = rows.first.get_by_role("link", name="Vejle Kommune")
    expect(vejle).to_be_visible()
    expect(page.locator("#id_q")).to_have_value("Vejle")

    vejle.click()
    expect(page.get_by_role("heading", level=1, name="Vejle Kommune")).to_be_visible()
    expect(page.locator("a[href='https://www.vejle.dk/indkoebspolitik']")).to_be_visible()
    check_page(page, "member page")


# --- b. another public body is approved by the secretariat ---------------------------------


def test_public_body_applies_and_secretariat_approves(page, new_page, secretariat_user):
    visit(page, "/en/members/apply/", "application form")
    page.get_by_label("Another public body (state, utility, education, Nordic)", exact=True).check()
    page.get_by_label("Name of the public body", exact=True).fill("Nordkystens Forsyning")
    page.get_by_label("Kind of body", exact=True).select_option(label="Other public body")
    page.get_by_label("CVR number (optional)", exact=True).fill("12345678")
    page.get_by_label("Why do you want to join?", exact=True).fill(
        "We buy construction, transport, IT and cleaning for about DKK 400 million a year."
    )
    fill_contact(
        page,
        name="Rasmus Friis",
        email="indkoeb@nordkyst.example",
        policy="https://nordkyst.example/indkoebspolitik",
        title="Application Nordkystens Forsyning",
    )
    send_application(page)

    expect(page.get_by_role("heading", level=1, name="Application received")).to_be_visible()
    expect(
        page.get_by_role("status").filter(has_text="The application from Nordkystens Forsyning has been received.")
    ).to_be_visible()
    expect(page.get_by_text("is now a member")).to_have_count(0)
    check_page(page, "application received (pending)")

    # Not a member yet.
    visit(page, "/en/members/?q=Nordkyst", "member directory search")
    expect(page.get_by_text("No members match the filter.")).to_be_visible()

    # The secretariat signs in with a password and an authenticator code.
    secretariat = new_page()
    sign_in_with_two_factor(secretariat, secretariat_user, "/en/members/secretariat/applications/")
    expect(secretariat.get_by_role("heading", level=1, name="Membership applications")).to_be_visible()
    pending = secretariat.locator("main table tbody tr")
    expect(pending).to_have_count(1)
    expect(pending.first).to_contain_text("Nordkystens Forsyning")
    expect(pending.first).to_contain_text("Rasmus Friis")
    check_page(secretariat, "secretariat: applications")

    pending.first.get_by_role("link", name="Nordkystens Forsyning").click()
    expect(secretariat.get_by_role("heading", level=1, name="Application from Nordkystens Forsyning")).to_be_visible()
    expect(secretariat.locator("main dl")).to_contain_text("12345678")
    expect(secretariat.locator("main dl")).to_contain_text("about DKK 400 million a year")
    check_page(secretariat, "secretariat: application")

    secretariat.get_by_label("Approved", exact=True).check()
    secretariat.get_by_role("button", name="Record decision").click()
    expect(secretariat).to_have_url(re.compile(r"/en/members/secretariat/applications/$"))
    expect(message(secretariat)).to_have_text("Nordkystens Forsyning is now a member. Its contact has been invited.")
    expect(secretariat.get_by_text("No applications are waiting.")).to_be_visible()
    check_page(secretariat, "secretariat: applications after the decision")

    # The contact named in the application is invited to represent the body.
    assert [m.to for m in mail.outbox] == [["indkoeb@nordkyst.example"]]
    assert INVITATION_LINK.search(mail.outbox[0].body)

    # And the body is listed publicly, for anyone.
    visit(page, "/en/members/?q=Nordkyst", "member directory search")
    expect(page.locator("main table tbody tr")).to_have_count(1)
    page.get_by_role("link", name="Nordkystens Forsyning").click()
    expect(page.get_by_role("heading", level=1, name="Nordkystens Forsyning")).to_be_visible()
    expect(page.locator("main dl")).to_contain_text("Other public body")
    check_page(page, "member page")


# --- c. an invited representative keeps the public profile ----------------------------------


def test_invited_representative_creates_account_and_edits_profile(page, new_page, secretariat_user, org_a):
    slug = org_a.slug
    sign_in_with_two_factor(page, secretariat_user, f"/en/members/secretariat/organisations/{slug}/")
    expect(page.get_by_role("heading", level=1, name="Testby Kommune")).to_be_visible()
    check_page(page, "secretariat: organisation")

    page.get_by_label("Name", exact=True).fill("Anna Lund")
    page.get_by_label("Email address", exact=True).fill("anna.lund@testby.example")
    page.get_by_label("Position", exact=True).select_option(label="Primary representative")
    page.get_by_role("button", name="Send invitation").click()
    # Changing a representative asks for the authenticator code again, then the invitation is sent.
    reauthenticate_with_code(page)
    expect(page).to_have_url(re.compile(rf"/en/members/secretariat/organisations/{slug}/$"))
    expect(message(page)).to_have_text("An invitation has been sent to anna.lund@testby.example.")
    invitations = table_with_column(page, "Sent")
    expect(invitations.get_by_role("row").filter(has_text="anna.lund@testby.example")).to_contain_text("Pending")
    check_page(page, "secretariat: organisation after inviting")

    assert [m.to for m in mail.outbox] == [["anna.lund@testby.example"]]
    found = INVITATION_LINK.search(mail.outbox[0].body)
    assert found, mail.outbox[0].body
    link = found.group(1)

    # The invited person opens the link in their own browser, not signed in.
    anna = new_page()
    visit(anna, link, "accept invitation")
    expect(anna.get_by_role("heading", level=1)).to_be_visible()
    anna.goto("/en" + link)
    expect(anna.get_by_role("heading", level=1, name="Accept invitation")).to_be_visible()
    expect(
        anna.get_by_text(
            "You have been invited to represent Testby Kommune in the POGI portal. Your role: primary representative."
        )
    ).to_be_visible()
    expect(anna.get_by_label("Your name", exact=True)).to_have_value("Anna Lund")
    anna.get_by_label("Choose a password", exact=True).fill("Grønne indkøb 2026!")
    anna.get_by_label("Repeat the password", exact=True).fill("Grønne indkøb 2026!")
    anna.get_by_role("button", name="Create account and accept").click()

    expect(anna).to_have_url(re.compile(rf"/en/members/{slug}/edit/$"))
    expect(message(anna)).to_have_text("Welcome. You now represent Testby Kommune in the portal.")
    expect(anna.get_by_role("heading", level=1, name="Profile of Testby Kommune")).to_be_visible()
    expect(anna.locator("header")).to_contain_text("Anna Lund")
    check_page(anna, "organisation profile")

    anna.get_by_label(re.compile(r"^website", re.I)).fill("https://www.testby.example")
    anna.get_by_label(re.compile(r"^about the organisation", re.I)).fill(
        "Testby buys green: electric buses since 2024."
    )
    anna.get_by_role("button", name="Save profile").click()
    expect(message(anna)).to_have_text("The organisation's profile has been saved.")
    expect(anna.get_by_label(re.compile(r"^about the organisation", re.I))).to_have_value(
        "Testby buys green: electric buses since 2024."
    )
    check_page(anna, "organisation profile after saving")

    # The public member page shows the new details to everyone.
    visit(anna, f"/en/members/{slug}/", "member page")
    expect(anna.get_by_role("heading", level=2, name="About", exact=True)).to_be_visible()
    expect(anna.get_by_text("Testby buys green: electric buses since 2024.")).to_be_visible()
    expect(anna.get_by_role("link", name="https://www.testby.example")).to_be_visible()

    # The secretariat sees the new representative; the invitation is used.
    visit(page, f"/en/members/secretariat/organisations/{slug}/", "secretariat: organisation")
    representatives = table_with_column(page, "Steering group")
    expect(representatives.get_by_role("row").filter(has_text="Anna Lund")).to_contain_text("Primary representative")
    expect(invitations.get_by_role("row").filter(has_text="anna.lund@testby.example")).to_contain_text("Accepted")


# --- d. the language switch -------------------------------------------------------------


def test_language_switch_keeps_the_page(page, org_a):
    visit(page, "/members/", "member directory")
    assert_html_lang(page, "da")

    page.locator("header").get_by_role("link", name="English").click()
    expect(page).to_have_url(re.compile(r"/en/members/$"))
    assert_html_lang(page, "en")
    expect(page.get_by_role("heading", level=1, name="Members of the partnership")).to_be_visible()
    expect(page.locator("main table")).to_contain_text("Testby Kommune")
    # a search in the catalogue is kept in the other language too
    visit(page, "/en/goals/?q=rengøring", "catalogue searched")
    page.locator("header").get_by_role("link", name="Dansk").click()
    expect(page).to_have_url(re.compile(r"://[^/]+/goals/\?q=reng"))
    assert_html_lang(page, "da")
    visit(page, "/en/members/", "member directory")

    page.locator("header").get_by_role("link", name="Dansk").click()
    expect(page).to_have_url(re.compile(r"://[^/]+/members/$"))
    assert_html_lang(page, "da")
    expect(page.locator("main table")).to_contain_text("Testby Kommune")
