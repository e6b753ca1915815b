"""A member's climate account in the browser: the representative imports its spend, reads the preview and
applies it, adds a measure and moves it to implemented, and sees its estimate and abatement cost curve. The
partnership page and the factor table are read by the public. Every page is checked with axe-core in each
language it offers, at 1280 px and at 320 px, without sideways scrolling."""

import datetime
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from followup.models import ClimateEstimate, ClimateMeasure, EmissionFactor, EmissionFactorVersion, PriceIndex
from goals import reference
from goals.models import ProductArea
from members.models import Organisation
from tests.factories import MembershipFactory, OrganisationFactory, RepresentativeFactory

from .pages import assert_no_sideways_scroll, check_page, sign_in, visit

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 320, "height": 640}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}
LAST_YEAR = datetime.date.today().year - 1


@pytest.fixture
def member(transactional_db):
    reference.load()
    PriceIndex.objects.create(country="DK", year=LAST_YEAR, value=Decimal("118"), base="2015=100", source="Test CPI")
    for code, area in (("rengoering-faktor", "rengoering"), ("it-faktor", "it-udstyr")):
        factor = EmissionFactor.objects.create(
            code=code,
            name=f"Gennemsnit for {area}",
            name_en=f"Average for {area}",
            method="spend",
            product_area=ProductArea.objects.get(slug=area),
            area_default=True,
        )
        EmissionFactorVersion.objects.create(
            factor=factor,
            number=1,
            value=Decimal("0.5"),
            per="DKK",
            price_year=LAST_YEAR,
            source="Test",
            quality="derived",
        )
    organisation = MembershipFactory(
        organisation=OrganisationFactory(name="Aby Kommune", kind=Organisation.Kind.MUNICIPALITY)
    ).organisation
    return RepresentativeFactory(organisation=organisation, position="primary").user


@pytest.mark.parametrize("device", [{}, PHONE], ids=["1280px", "320px"])
def test_a_member_imports_spend_adds_a_measure_and_sees_its_estimate(new_page, member, tmp_path, device):
    page = new_page(**device)
    slug = member.representative_or_none.organisation.slug
    account = f"/climate/members/{slug}/"
    sign_in(page, member, account)
    check_page(page, "an empty climate account")
    assert_no_sideways_scroll(page, "an empty climate account")

    # the representative imports its spend from the accounting system
    page.get_by_role("link", name="Importér udgifter pr. kategori").click()
    check_page(page, "the spend import")
    assert_no_sideways_scroll(page, "the spend import")
    spend = tmp_path / "udgifter.csv"
    spend.write_text("category;amount_dkk\nrengoering-faktor;100000\nit-faktor;250000,50\n", encoding="utf-8")
    page.get_by_label("Det år, udgifterne vedrører").select_option(str(LAST_YEAR))
    page.get_by_label("Fil (CSV eller XLSX)").set_input_files(str(spend))
    page.get_by_role("button", name="Læs filen, og vis forhåndsvisningen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Forhåndsvisning af udgifterne")
    expect(page.locator("table.spend-preview")).to_contain_text("250.000,50")
    assert not ClimateEstimate.objects.exists()  # nothing is saved before the member confirms
    check_page(page, "the spend preview")
    assert_no_sideways_scroll(page, "the spend preview")
    page.get_by_label("Ja, gør det").check()
    page.get_by_role("button", name="Importér udgifterne").click()

    # (100,000 + 250,000.50) kr. × 0.5 kg = 175,000.25 kg = 175.0 t
    expect(page.locator(".key-figures")).to_contain_text("175,0")
    expect(page.locator("table.climate-estimates")).to_contain_text("Udgifter pr. kategori")

    # a measure: 10 t a year for 20,000 kr. a year = 2,000 kr. per tonne
    page.get_by_role("link", name="Tilføj et tiltag").first.click()
    check_page(page, "the measure form")
    page.get_by_label("Titel", exact=True).fill("Doseringsanlæg på skolerne")
    page.get_by_label("Type", exact=True).select_option("product")
    page.get_by_label("Produktområde", exact=True).select_option(label="Rengøring")
    page.get_by_label("Forventet reduktion (t CO2e om året)").fill("10")
    page.get_by_label("Forudsætning for reduktionen").fill("Leverandørens tal fra to skoler.")
    page.get_by_label("Årlig omkostning (DKK)", exact=True).fill("20000")
    page.get_by_label("Ejer", exact=True).fill("Indkøb")
    page.get_by_role("button", name="Gem tiltaget").click()
    measure = ClimateMeasure.objects.get()
    for status, starts in (("decided", None), ("implemented", f"{LAST_YEAR}-01-01")):
        page.goto(f"{account}measures/{measure.pk}/status/")
        check_page(page, f"the measure's status ({status})")
        page.get_by_label("Ny status").select_option(status)
        if starts:
            page.get_by_label("Gælder fra").fill(starts)
        page.get_by_role("button", name="Ændr status").click()

    # the measure takes 10 t off cleaning for the whole year, shown apart from the calculated figure
    expect(page.locator(".key-figures")).to_contain_text("10,0")
    expect(page.locator("table.macc-table")).to_contain_text("Doseringsanlæg på skolerne")
    expect(page.locator("table.macc-table")).to_contain_text("2.000")
    check_page(page, "the climate account with a measure")
    assert_no_sideways_scroll(page, "the climate account with a measure")


@pytest.mark.parametrize("device", [{}, PHONE], ids=["1280px", "320px"])
def test_the_public_reads_the_partnership_figures_and_the_factor_table(new_page, member, device):
    page = new_page(**device)
    visit(page, "/climate/", "the partnership's climate account")
    assert_no_sideways_scroll(page, "the partnership's climate account")
    page.get_by_role("link", name="Emissionsfaktorer og deres kilder").first.click()
    check_page(page, "the factor table")
    assert_no_sideways_scroll(page, "the factor table")
    page.get_by_role("link", name="Gennemsnit for rengoering").click()
    check_page(page, "a factor's versions")
    assert_no_sideways_scroll(page, "a factor's versions")
