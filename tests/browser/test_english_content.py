"""The English version of a goal: the secretariat writes it beside the Danish, the public reads it on the English
site, and a text with no English version is shown in Danish, marked so for screen readers. Every page checked with
axe-core in Danish and English, on a desktop and on a 320 px phone, without sideways scrolling."""

import pytest
from playwright.sync_api import expect

from goals import reference
from goals.models import GoalVersion
from tests.factories import goal_in_force

from .pages import assert_no_sideways_scroll, check_page, sign_in_with_two_factor, visit

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 320, "height": 640}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}
DANISH = "Rengøringsmidlet skal være mærket med Svanemærket eller EU-Blomsten."
SECOND = "Leverandøren skal tilbyde undervisning i korrekt dosering af rengøringsmidlerne."


@pytest.fixture
def cleaning(transactional_db, secretariat_user):
    reference.load()
    return goal_in_force(secretariat_user, criteria=(DANISH, SECOND))


@pytest.mark.parametrize("device", [{}, PHONE], ids=["1280px", "320px"])
def test_the_secretariat_writes_english_and_the_public_reads_it(new_page, cleaning, secretariat_user, device):
    page = new_page(**device)
    path = f"/goals/manage/versions/{cleaning.pk}/english/"
    sign_in_with_two_factor(page, secretariat_user, path)
    check_page(page, "English version of a goal")
    assert_no_sideways_scroll(page, "English version of a goal")
    expect(page.locator(".translation-danish").first).to_have_attribute("lang", "da")

    page.get_by_label("Titel (engelsk)").fill("Cleaning")
    page.get_by_label("Målsætning (engelsk)").fill("Members buy cleaning products with a smaller footprint.")
    page.locator("textarea[name$='-text_en']").first.fill(
        "The cleaning product must carry the Nordic Swan Ecolabel or the EU Ecolabel."
    )
    page.get_by_role("button", name="Gem den engelske version").click()
    expect(page.locator(".alert-success, .alert--success, [role=status]").first).to_contain_text(
        "Den engelske version er gemt"
    )
    version = GoalVersion.objects.get(pk=cleaning.pk)
    assert version.title_en == "Cleaning" and version.status == GoalVersion.Status.PUBLISHED

    public = new_page(**device)
    goal_path = f"/en/goals/5-{cleaning.goal.slug}/"
    visit(public, goal_path, "goal page in English, partly translated")
    assert_no_sideways_scroll(public, "goal page in English, partly translated")
    expect(public.get_by_role("heading", level=1)).to_have_text("Goal 5: Cleaning")
    expect(public.get_by_text("The cleaning product must carry the Nordic Swan Ecolabel")).to_be_visible()
    # the criterion with no English version reads in Danish, marked Danish, and the page says why
    expect(public.locator(".criterion-text[lang=da]")).to_have_text(SECOND)
    expect(public.locator("#untranslated")).to_be_visible()
    visit(public, "/en/goals/", "catalogue in English")
    expect(public.get_by_role("link", name="Goal 5: Cleaning")).to_be_visible()
