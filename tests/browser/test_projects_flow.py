"""A Lab project from proposal to a running project on its public page: a member proposes it, the secretariat
prioritises it and puts it on the Council's meeting, the Council approves it by a recorded decision, and the
lead plans it and starts it. Every page checked with axe-core in Danish and English, at 1280 px and at 320 px,
without sideways scrolling."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.factories import MembershipFactory, OrganisationFactory, RepresentativeFactory, earlier_today
from workgroups import services as wg_services
from workgroups.models import Meeting, Project

from .pages import assert_no_sideways_scroll, check_page, sign_in, sign_in_with_two_factor, visit

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 320, "height": 640}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}


@pytest.fixture
def world(transactional_db, secretariat_user):
    """Two members with their primary representatives, who sit in the Council; its meeting began earlier today."""
    reps = [
        RepresentativeFactory(
            organisation=MembershipFactory(organisation=OrganisationFactory(name=f"{name} Kommune")).organisation,
            position="primary",
        )
        for name in ("Aby", "Bby")
    ]
    meeting = wg_services.meeting_create(
        kind="council", title="Rådets møde", starts_at=earlier_today(), place="Odense", by=secretariat_user
    )
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=earlier_today())
    wg_services.attendance_record(meeting=meeting, users=[r.user for r in reps], by=secretariat_user)
    return {"lead": reps[0], "meeting": meeting}


def message(page):
    return page.locator(".alert-success").first


@pytest.mark.parametrize("device", [{}, PHONE], ids=["1280px", "320px"])
def test_a_lab_project_from_proposal_to_running(new_page, world, secretariat_user, device):
    lead = world["lead"]
    # a member's representative proposes a Lab project
    member = new_page(**device)
    sign_in(member, lead.user, "/projects/propose/")
    check_page(member, "propose a project")
    assert_no_sideways_scroll(member, "propose a project")
    member.get_by_label("Udviklingsprojekt").check()
    member.get_by_label("Titel").fill("Genbrug af kontormøbler")
    member.get_by_label("Formål").fill("Kontormøbler istandsættes og genbruges på tværs af forvaltningerne.")
    member.get_by_label("CO2-reduktionspotentiale (t CO2e om året)").fill("350")
    member.get_by_role("button", name="Foreslå projektet").click()
    # a potential without its assumption is refused with everything kept
    expect(member.locator(".alert-error, .alert--error").first).to_contain_text("Skriv forudsætningen")
    expect(member.get_by_label("Titel")).to_have_value("Genbrug af kontormøbler")
    member.get_by_label("Forudsætning for potentialet").fill("2.500 møbler om året, 140 kg CO2e pr. møbel.")
    member.get_by_role("button", name="Foreslå projektet").click()
    expect(message(member)).to_contain_text("Projektet er foreslået")
    project = Project.objects.get()
    assert project.status == "proposed" and project.owner == lead.organisation and project.lead == lead.user
    check_page(member, "a project's management page, proposed")
    assert_no_sideways_scroll(member, "a project's management page, proposed")

    # the secretariat prioritises it, on a confirmation page
    secretariat = new_page(**device)
    sign_in_with_two_factor(secretariat, secretariat_user, f"/projects/{project.slug}/manage/")
    secretariat.get_by_role("link", name="Prioritér forslaget").click()
    check_page(secretariat, "prioritise a proposal")
    assert_no_sideways_scroll(secretariat, "prioritise a proposal")
    secretariat.get_by_role("button", name="Prioritér forslaget").click()
    expect(message(secretariat)).to_contain_text("Projektet er nu: Prioriteret")

    # … puts it on the Council's agenda and records the carried decision
    meeting = world["meeting"]
    visit(secretariat, f"/workgroups/meetings/{meeting.pk}/", "the Council's meeting")
    assert_no_sideways_scroll(secretariat, "the Council's meeting")
    secretariat.get_by_label("Titel", exact=True).fill("Godkendelse af Genbrug af kontormøbler")
    secretariat.get_by_label("Projekt til godkendelse").select_option(label="Genbrug af kontormøbler")
    secretariat.get_by_role("button", name="Føj til dagsordenen").click()
    expect(message(secretariat)).to_contain_text("et projekt godkendes ved en beslutning")
    secretariat.get_by_role("link", name=re.compile("Registrer beslutningen")).first.click()
    check_page(secretariat, "record the Council's decision")
    for name in ("Aby Kommune", "Bby Kommune"):
        secretariat.get_by_role("group", name=name).get_by_label("For", exact=True).check()
    secretariat.get_by_role("button", name="Registrer beslutningen").click()
    expect(message(secretariat)).to_contain_text("Forslaget blev vedtaget")
    project.refresh_from_db()
    assert project.status == "approved" and project.approved_on == timezone.localdate()

    # the lead plans the first phase and starts the project
    member.goto(f"/projects/{project.slug}/manage/")
    member.get_by_label("Fase", exact=True).fill("Forsøg i én forvaltning")
    member.get_by_label("Milepæl", exact=True).fill("Forsøget er evalueret")
    member.get_by_label("Planlagt start").fill(timezone.localdate().isoformat())
    member.get_by_label("Planlagt slut").fill(
        timezone.localdate().replace(year=timezone.localdate().year + 1).isoformat()
    )
    member.get_by_role("button", name="Tilføj fasen").click()
    expect(message(member)).to_contain_text("Fasen er føjet til planen")
    member.get_by_role("link", name="Sæt projektet i gang").click()
    check_page(member, "start a project")
    member.get_by_role("button", name="Sæt projektet i gang").click()
    expect(message(member)).to_contain_text("Projektet er nu: I gang")

    # the lead files the quarter's status report: a red light needs its deviation
    member.goto(f"/projects/{project.slug}/")
    member.get_by_role("link", name="Statusrapporter").click()
    check_page(member, "a project's status reports")
    assert_no_sideways_scroll(member, "a project's status reports")
    member.get_by_label("Hovedaktiviteter i perioden").fill("Forsøget er sat i gang i én forvaltning.")
    member.get_by_label("Resultater: hvad er opnået").fill("Lageret er indrettet.")
    member.get_by_label("Hovedaktiviteter i næste periode").fill("De første møbler genbruges.")
    for light, choice in (
        ("Økonomi", "Grøn: som planlagt"),
        ("Tid", "Rød: afviger fra planen"),
        ("Kvalitet", "Grøn: som planlagt"),
    ):
        member.get_by_role("group", name=light, exact=True).get_by_label(choice).check()
    member.get_by_role("button", name="Aflevér rapporten").click()
    expect(member.locator(".alert-error, .alert--error").first).to_contain_text("En rød farve kræver")
    member.get_by_label("Afvigelser og korrigerende tiltag").fill(
        "Lageret blev klar en måned for sent; vi indhenter det."
    )
    member.get_by_role("button", name="Aflevér rapporten").click()
    expect(message(member)).to_contain_text("er afleveret")
    assert project.status_reports.get().time == "red"

    # the public reads it: approved by the Council, running, with its plan and effect
    public = new_page(**device)
    visit(public, f"/projects/{project.slug}/", "a project's public page")
    assert_no_sideways_scroll(public, "a project's public page")
    expect(public.get_by_role("heading", level=1)).to_have_text("Genbrug af kontormøbler")
    expect(public.locator("main")).to_contain_text("I gang")
    expect(public.locator("main")).to_contain_text("af Rådet")
    expect(public.locator("main")).to_contain_text("350 t CO2e om året")
    # the status reports are the participants' and the secretariat's, not the public's
    expect(public.locator("main")).not_to_contain_text("Lageret blev klar en måned for sent")
    expect(public.get_by_role("link", name="Statusrapporter")).to_have_count(0)
    visit(public, "/projects/?track=lab", "the project list, Lab only")
    assert_no_sideways_scroll(public, "the project list")
    expect(public.get_by_role("link", name="Genbrug af kontormøbler")).to_be_visible()
