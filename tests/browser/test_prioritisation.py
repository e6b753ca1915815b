"""The secretariat prioritises POGI Lab proposals: it reads the ranked list with its chart, scores a proposal that
misses its scores, and puts the top-ranked prioritised proposal on the Council's coming meeting. Every page checked
with axe-core in Danish and English, at 1280 px and at 320 px, without sideways scrolling."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.factories import MembershipFactory, OrganisationFactory, RepresentativeFactory
from workgroups import services as wg_services
from workgroups.models import Project

from .pages import assert_no_sideways_scroll, check_page, sign_in_with_two_factor

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 320, "height": 640}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}


@pytest.fixture
def world(transactional_db, secretariat_user):
    """Two scored Lab proposals, one of them prioritised, one without scores, and the Council's coming meeting."""
    by = secretariat_user
    reps = [
        RepresentativeFactory(
            organisation=MembershipFactory(organisation=OrganisationFactory(name=f"{name} Kommune")).organisation,
            position="primary",
        )
        for name in ("Aby", "Bby")
    ]

    def proposal(rep, title, co2, scores=None):
        project = wg_services.project_propose(
            owner=rep.organisation,
            kind="development",
            title=title,
            purpose="Et forslag til POGI Lab.",
            by=rep.user,
            co2_potential_tonnes=Decimal(co2),
            co2_assumption="Skønnet ud fra medlemmernes forbrug.",
        )
        if scores:
            project = wg_services.project_score_set(
                project=project,
                by=by,
                scalability=scores[0],
                relevance=scores[1],
                co2_potential_tonnes=project.co2_potential_tonnes,
                co2_assumption=project.co2_assumption,
            )
        return project

    delivery = proposal(reps[0], "Emissionsfri varelevering i byerne", "1200", (4, 3))
    delivery = wg_services.project_prioritise(project=delivery, by=by)
    proposal(reps[1], "Plantebaserede måltider i kantinerne", "900", (5, 5))
    unscored = proposal(reps[1], "Længere levetid for it-udstyr", "350")
    council = wg_services.meeting_create(
        kind="council",
        title="Rådets møde",
        starts_at=timezone.now() + datetime.timedelta(days=30),
        place="Odense",
        by=by,
    )
    return {"delivery": delivery, "unscored": unscored, "council": council}


@pytest.mark.parametrize("device", [{}, PHONE], ids=["1280px", "320px"])
def test_the_secretariat_ranks_scores_and_feeds_the_council(new_page, world, secretariat_user, device):
    page = new_page(**device)
    sign_in_with_two_factor(page, secretariat_user, "/projects/prioritisation/")
    check_page(page, "the prioritisation of Lab proposals")
    assert_no_sideways_scroll(page, "the prioritisation of Lab proposals")
    # the chart is an image with its title; the table lists the ranked proposals first, the unscored one last
    expect(page.locator("svg[role=img] title")).to_have_count(1)
    titles = page.locator("tbody tr td:nth-child(2) a").all_inner_texts()
    assert titles == [
        "Plantebaserede måltider i kantinerne",  # (2 * 4 + 5 + 5) / 4 = 4.5
        "Emissionsfri varelevering i byerne",  # (2 * 5 + 4 + 3) / 4 = 4.25
        "Længere levetid for it-udstyr",
    ]

    # the secretariat scores the proposal that misses its scores
    unscored = world["unscored"]
    page.locator(f"a[href$='/prioritisation/{unscored.slug}/score/']").click()
    check_page(page, "score a Lab proposal")
    assert_no_sideways_scroll(page, "score a Lab proposal")
    page.locator("#id_scalability_4").check()
    page.locator("#id_relevance_1").check()
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".alert-success").first).to_be_visible()
    unscored.refresh_from_db()
    assert (unscored.scalability, unscored.relevance) == (5, 2)
    expect(page.locator("tbody tr")).to_have_count(3)

    # and puts the top-ranked prioritised proposal on the Council's coming meeting
    page.locator("#id_agenda-count").fill("1")
    page.locator("form[action$='/prioritisation/agenda/'] button[type=submit]").click()
    expect(page.locator(".alert-success").first).to_contain_text(world["delivery"].title)
    council = world["council"]
    assert [i.project for i in council.items.all()] == [Project.objects.get(pk=world["delivery"].pk)]
    check_page(page, "the Council's meeting with the proposal on its agenda")
    assert_no_sideways_scroll(page, "the Council's meeting")
