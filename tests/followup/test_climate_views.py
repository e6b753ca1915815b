"""The climate pages as their users meet them: the public sums name no member, a member's account is its own,
the imports show a preview and save all or nothing, and every page's query count stays the same as data grows."""

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from followup.models import (
    ClimateActivity,
    ClimateEstimate,
    ClimateImport,
    ClimateMeasure,
    ClimateSpend,
    EmissionFactor,
    EmissionFactorVersion,
    Population,
    PriceIndex,
)
from followup.services import climate
from goals import reference
from goals.models import ProductArea
from members.models import Organisation
from tests.factories import MembershipFactory, OrganisationFactory, RepresentativeFactory


def url(name, **kwargs):
    with translation.override("da"):
        return reverse(name, kwargs=kwargs)


@pytest.fixture
def factors(db):
    reference.load()
    PriceIndex.objects.create(country="DK", year=2024, value=Decimal("118"), base="2015=100", source="Test CPI")
    areas = {a.slug: a for a in ProductArea.objects.filter(slug__in=["rengoering", "it-udstyr", "transport"])}
    made = {}
    for code, area in (("cleaning", "rengoering"), ("ict", "it-udstyr")):
        made[code] = EmissionFactor.objects.create(
            code=code, name=code.title(), method="spend", product_area=areas[area], area_default=True
        )
        EmissionFactorVersion.objects.create(
            factor=made[code],
            number=1,
            value=Decimal("0.5"),
            per="DKK",
            price_year=2024,
            source="Test",
            quality="derived",
        )
    made["diesel"] = EmissionFactor.objects.create(
        code="diesel", name="Diesel", method="activity", product_area=areas["transport"]
    )
    EmissionFactorVersion.objects.create(
        factor=made["diesel"], number=1, value=Decimal("2.66"), per="litre", source="T", quality="primary"
    )
    return made


def member(**fields):
    return MembershipFactory(organisation=OrganisationFactory(**fields)).organisation


def member_with_spend(name, code, amounts, year=2024, by=None):
    """A municipality whose spend of ``year`` is imported: {category: DKK}."""
    organisation = member(name=name, kind=Organisation.Kind.MUNICIPALITY, official_code=code)
    Population.objects.get_or_create(
        code=code,
        year=2020,
        defaults={"name": name, "counted_on": "2020-01-01", "population": 10_000, "source": "Test"},
    )
    rows = [{"__row__": n, "category": c, "amount_dkk": str(a)} for n, (c, a) in enumerate(amounts.items(), start=2)]
    pending = climate.climate_spend_import_read(
        organisation=organisation, year=year, rows=rows, filename="x.csv", by=by
    )
    climate.climate_spend_import_apply(climate_import=pending, by=by)
    return organisation


def test_the_public_page_shows_sums_names_no_member_and_hides_an_area_with_too_few_members(client, factors):
    # given: three members buy cleaning, only two buy ICT
    member_with_spend("Aby Kommune", "901", {"cleaning": 1000, "ict": 2000})
    member_with_spend("Bby Kommune", "902", {"cleaning": 3000, "ict": 4000})
    member_with_spend("Cby Kommune", "903", {"cleaning": 6000})
    # when
    page = client.get(url("climate:home")).content.decode()
    csv = client.get(url("climate:csv", table="areas")).content.decode()
    # then: cleaning is (1000 + 3000 + 6000) × 0.5 kg = 5,000 kg = 5.0 t; ICT (two members) is left out
    assert "Rengøring" in page and "IT-udstyr" not in page
    assert "1 product area is left out" in page or "1 produktområde" in page
    assert "5,0" in page
    for name in ("Aby", "Bby", "Cby"):
        assert name not in page and name not in csv
    # and the ICT tonnes cannot be worked out by subtraction: the totals leave the hidden area out too
    assert "rengoering" in csv and "it-udstyr" not in csv
    # per citizen: 5,000 kg ÷ 30,000 people = 0.2 kg
    assert "0,2" in page


def test_a_member_sees_its_own_account_and_no_one_elses(client, factors):
    mine = member_with_spend("Aby Kommune", "901", {"cleaning": 1000})
    other = member_with_spend("Bby Kommune", "902", {"cleaning": 1000})
    rep = RepresentativeFactory(organisation=mine).user
    client.force_login(rep)
    own = client.get(url("climate:member", slug=mine.slug))
    assert own.status_code == 200
    assert "0,5" in own.content.decode()  # 1,000 kr. × 0.5 kg = 0.5 t
    assert client.get(url("climate:member", slug=other.slug)).status_code == 404
    assert client.get(url("climate:member-csv", slug=other.slug, table="estimates")).status_code == 404
    # the shortcut from the dashboard leads to one's own account
    assert client.get(url("climate:mine"))["Location"] == url("climate:member", slug=mine.slug)


def upload(text, name="spend.csv"):
    file = io.BytesIO(text.encode("utf-8"))
    file.name = name
    return file


def test_a_member_imports_spend_after_a_preview(client, factors):
    organisation = member(name="Aby Kommune", kind=Organisation.Kind.MUNICIPALITY)
    client.force_login(RepresentativeFactory(organisation=organisation).user)
    # a file with a bad row: the rows are listed and nothing is kept
    bad = client.post(
        url("climate:member-spend-import", slug=organisation.slug),
        {"year": 2024, "file": upload("category;amount_dkk\ncleaning;100\nunknown;5\nict;abc\n")},
    )
    assert bad.status_code == 200
    text = bad.content.decode()
    assert "unknown" in text and "abc" in text
    assert not ClimateImport.objects.exists()
    # a good file: a preview first, nothing saved yet
    good = client.post(
        url("climate:member-spend-import", slug=organisation.slug),
        {"year": 2024, "file": upload("category;amount_dkk\ncleaning;1000,50\nict;2000\n")},
    )
    pending = ClimateImport.objects.get()
    assert good["Location"] == url("climate:member-spend-preview", slug=organisation.slug, pk=pending.pk)
    assert not ClimateSpend.objects.exists()
    preview = client.get(good["Location"]).content.decode()
    assert "1.000,50" in preview and "3.000,50" in preview
    # applying needs the box ticked
    assert client.post(good["Location"], {}).status_code == 200
    assert not ClimateSpend.objects.exists()
    done = client.post(good["Location"], {"confirm": "on"})
    assert done["Location"] == url("climate:member", slug=organisation.slug)
    assert ClimateSpend.objects.count() == 2
    # (1,000.50 + 2,000) × 0.5 = 1,500.25 kg
    assert sum(e.calculated_kg for e in ClimateEstimate.objects.filter(organisation=organisation)) == Decimal(
        "1500.250"
    )
    # another organisation's preview is not found
    other = member(name="Bby Kommune")
    client.force_login(RepresentativeFactory(organisation=other).user)
    assert client.get(good["Location"]).status_code == 404


def test_a_member_adds_a_measured_quantity_and_a_measure(client, factors):
    organisation = member_with_spend("Aby Kommune", "901", {"cleaning": 1000})
    client.force_login(RepresentativeFactory(organisation=organisation).user)
    added = client.post(
        url("climate:member-activity-save", slug=organisation.slug),
        {"year": 2024, "factor": factors["diesel"].pk, "quantity": "1000", "note": "Brændstofkort"},
    )
    assert added.status_code == 302
    transport = ClimateEstimate.objects.get(organisation=organisation, product_area__slug="transport")
    assert transport.calculated_kg == Decimal("2660.000")
    # a negative quantity is refused with a message, nothing saved
    refused = client.post(
        url("climate:member-activity-save", slug=organisation.slug),
        {"year": 2024, "factor": factors["diesel"].pk, "quantity": "-5"},
    )
    assert refused.status_code == 400
    assert ClimateActivity.objects.get().quantity == Decimal("1000")
    # a measure without a reduction is refused; with one it is saved
    area = ProductArea.objects.get(slug="rengoering").pk
    form = {"title": "Dosering", "kind": "product", "product_area": area, "assumption": "10 %", "owner": "Indkøb"}
    form |= {"cost_once_dkk": "0", "cost_yearly_dkk": "0", "lifetime_years": "5"}
    assert client.post(url("climate:measure-create", slug=organisation.slug), form).status_code == 200
    assert not ClimateMeasure.objects.exists()
    saved = client.post(url("climate:measure-create", slug=organisation.slug), {**form, "reduction_percent": "10"})
    assert saved.status_code == 302
    measure = ClimateMeasure.objects.get()
    # implemented without a date: refused; with a date its effect shows in the estimate
    status_url = url("climate:measure-status", slug=organisation.slug, pk=measure.pk)
    client.post(status_url, {"status": "decided"})
    assert client.post(status_url, {"status": "implemented"}).status_code == 200
    client.post(status_url, {"status": "implemented", "starts_on": "2024-01-01"})
    cleaning = ClimateEstimate.objects.get(organisation=organisation, product_area__slug="rengoering")
    assert cleaning.measures_kg == Decimal("50.000")  # 10 % of 500 kg, all year


def test_the_secretariat_imports_a_factor_set_after_a_preview(secretariat_client, factors):
    text = "code;category;product_area;method;value;per;price_year;source;quality\n"
    text += "cleaning;Cleaning;rengoering;spend;0,6;DKK;2024;New source;derived\n"
    read = secretariat_client.post(url("climate:factor-import"), {"file": upload(text, "factors.csv")})
    pending = ClimateImport.objects.get()
    assert read["Location"] == url("climate:factor-import-preview", pk=pending.pk)
    preview = secretariat_client.get(read["Location"]).content.decode()
    assert "0,5" in preview and "0,6" in preview
    assert EmissionFactorVersion.objects.get(factor=factors["cleaning"], superseded_at=None).number == 1
    secretariat_client.post(read["Location"], {"reason": "Ny faktor", "confirm": "on"})
    current = EmissionFactorVersion.objects.get(factor=factors["cleaning"], superseded_at=None)
    assert (current.number, current.value, current.reason) == (2, Decimal("0.6"), "Ny faktor")
    # the public factor page shows both versions
    page = secretariat_client.get(url("climate:factor-detail", code="cleaning")).content.decode()
    assert "Version 1" in page and "Version 2" in page


def test_the_factor_table_is_open_data(client, factors):
    response = client.get(reverse("open-data-emission-factors"))
    text = response.content.decode("utf-8-sig")
    assert response["Content-Type"].startswith("text/csv")
    header = text.splitlines()[0].split(";")
    assert header[:3] == ["code", "category", "category_da"]
    assert "diesel" in text and "Test" in text


def many_members(count, start, by=None):
    for n in range(start, start + count):
        member_with_spend(f"Kommune {n}", str(n), {"cleaning": 1000 + n, "ict": 500})


def test_the_public_page_runs_the_same_queries_for_three_or_thirty_members(client, factors, django_assert_num_queries):
    many_members(3, 900)
    client.get(url("climate:home"))
    with django_assert_num_queries(9):
        client.get(url("climate:home"))
    many_members(27, 910)
    with django_assert_num_queries(9):
        page = client.get(url("climate:home"))
    assert "30" in page.content.decode()


def test_a_members_page_runs_the_same_queries_for_one_or_many_years(client, factors, django_assert_num_queries):
    organisation = member_with_spend("Aby Kommune", "901", {"cleaning": 1000, "ict": 300})
    user = RepresentativeFactory(organisation=organisation).user
    client.force_login(user)
    client.get(url("climate:member", slug=organisation.slug))
    with django_assert_num_queries(12):
        client.get(url("climate:member", slug=organisation.slug))
    for year in (2015, 2016, 2017):
        PriceIndex.objects.create(country="DK", year=year, value=Decimal("100"), base="2015=100", source="Test")
        climate.climate_spend_import_apply(
            climate_import=climate.climate_spend_import_read(
                organisation=organisation,
                year=year,
                rows=[{"__row__": 2, "category": "cleaning", "amount_dkk": "10"}],
                filename="x.csv",
                by=user,
            ),
            by=user,
        )
    climate.climate_activity_save(
        organisation=organisation,
        year=2024,
        factor=factors["diesel"],
        product_area=None,
        quantity=Decimal(1),
        note="",
        by=user,
    )
    with django_assert_num_queries(12):
        client.get(url("climate:member", slug=organisation.slug))


def test_the_trend_leaves_out_a_year_with_fewer_than_three_members(client, factors):
    # given: three members in 2024, two of them in 2023 too
    PriceIndex.objects.create(country="DK", year=2023, value=Decimal("117"), base="2015=100", source="Test CPI")
    for n, code in enumerate(("901", "902", "903")):
        organisation = member_with_spend(f"Kommune {code}", code, {"cleaning": 1000})
        if n < 2:
            climate.climate_spend_import_apply(
                climate_import=climate.climate_spend_import_read(
                    organisation=organisation,
                    year=2023,
                    rows=[{"__row__": 2, "category": "cleaning", "amount_dkk": "5000"}],
                    filename="x.csv",
                    by=None,
                ),
                by=None,
            )
    # when
    trend = client.get(url("climate:csv", table="trend")).content.decode("utf-8-sig")
    # then: 2023 rests on two members and is not published, on the page nor in the file
    assert "2024" in trend and "2023" not in trend
    assert client.get(url("climate:home") + "?year=2023").status_code == 404


def test_a_forged_file_gets_a_message_not_an_error(client, factors):
    organisation = member(name="Aby Kommune", kind=Organisation.Kind.MUNICIPALITY)
    client.force_login(RepresentativeFactory(organisation=organisation).user)
    png = io.BytesIO(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    png.name = "spend.csv"
    response = client.post(url("climate:member-spend-import", slug=organisation.slug), {"year": 2024, "file": png})
    assert response.status_code == 200
    assert "CSV" in response.content.decode()
    assert not ClimateImport.objects.exists()
