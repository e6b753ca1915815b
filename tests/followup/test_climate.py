"""Climate accounting: every figure of a small hand-built dataset, worked out by hand in the comments.

The dataset (not real figures, chosen so the arithmetic can be followed):
- Danish price index: 2011 = 95, 2024 = 118, 2025 = 120; £1 = 8.60 kr. in 2011.
- Food's factor: 1.40 kg CO2e per GBP in 2011 prices (the area's factor); meat 2.00 kg per DKK in 2025 prices.
- Diesel: 2.66 kg CO2e per litre.
- Member A (a municipality of 50,000 people) spent 1,000,000 kr. on food and 400,000 kr. on transport in 2025.
"""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from followup.climate_method import cost_per_tonne, year_share
from followup.models import (
    ClimateActivity,
    ClimateEstimate,
    ClimateImport,
    ClimateSpend,
    EmissionFactor,
    EmissionFactorVersion,
    ExchangeRate,
    Population,
    PriceIndex,
    Response,
)
from followup.selectors import climate as climate_selectors
from followup.services import climate
from goals import reference
from goals.models import ProductArea
from members.models import Organisation
from tests.factories import GoalAnswerFactory, OrganisationFactory, ResponseFactory, RoundFactory, goal_in_force

SPEND = {"source": "Test source", "quality": "secondary", "licence": "CC BY 4.0"}


@pytest.fixture(autouse=True)
def _english():
    """The refusals are asserted in English; their translations are checked by the translation test."""
    with translation.override("en"):
        yield


def version(factor, *, number=1, value, per, price_year=None, **extra):
    return EmissionFactorVersion.objects.create(
        factor=factor, number=number, value=Decimal(value), per=per, price_year=price_year, **SPEND, **extra
    )


@pytest.fixture
def world(db, secretariat_user):
    reference.load()
    for year, value in ((2011, "95"), (2024, "118"), (2025, "120")):
        PriceIndex.objects.create(country="DK", year=year, value=Decimal(value), base="2015=100", source="Test CPI")
    ExchangeRate.objects.create(currency="GBP", year=2011, dkk_per_unit=Decimal("8.60"), source="Test rates")
    food = ProductArea.objects.get(slug="foedevarer")
    transport = ProductArea.objects.get(slug="transport")
    food_factor = EmissionFactor.objects.create(
        code="food", name="Fødevarer", name_en="Food", method="spend", product_area=food, area_default=True
    )
    version(food_factor, value="1.40", per="GBP", price_year=2011)
    meat = EmissionFactor.objects.create(code="meat", name="Kød", name_en="Meat", method="spend", product_area=food)
    version(meat, value="2.00", per="DKK", price_year=2025)
    transport_factor = EmissionFactor.objects.create(
        code="transport", name="Transport", method="spend", product_area=transport, area_default=True
    )
    version(transport_factor, value="0.50", per="DKK", price_year=2025)
    diesel = EmissionFactor.objects.create(code="diesel", name="Diesel", method="activity", product_area=transport)
    version(diesel, value="2.66", per="litre")
    goal_food = goal_in_force(secretariat_user, number=1, title="Fødevarer", area="foedevarer")
    goal_transport = goal_in_force(secretariat_user, number=9, title="Transport", area="transport")
    org_a = OrganisationFactory(name="Aby Kommune", kind=Organisation.Kind.MUNICIPALITY, official_code="999")
    Population.objects.create(
        code="999", name="Aby", year=2025, counted_on=datetime.date(2025, 1, 1), population=50_000, source="Test"
    )
    round_2025 = RoundFactory(year=2025, status="closed")
    response = ResponseFactory(round=round_2025, organisation=org_a, status=Response.Status.SUBMITTED)
    GoalAnswerFactory(response=response, goal_version=goal_food, volume_dkk=1_000_000)
    GoalAnswerFactory(response=response, goal_version=goal_transport, volume_dkk=400_000)
    return {
        "org": org_a,
        "round": round_2025,
        "goals": (goal_food, goal_transport),
        "food": food,
        "transport": transport,
        "food_factor": food_factor,
        "meat": meat,
        "diesel": diesel,
        "by": secretariat_user,
    }


def estimate(org, area, year=2025):
    return ClimateEstimate.objects.get(organisation=org, product_area=area, year=year)


def test_spend_is_deflated_to_the_factors_price_year_and_converted_at_that_years_rate(world):
    # when
    climate.climate_account_refresh(organisation=world["org"], year=2025)
    # then: 1,000,000 kr. (2025) × 95 / 120 = 791,666.67 kr. in 2011 prices; ÷ 8.60 = £92,054.264; × 1.40 = 128,875.969 kg
    food = estimate(world["org"], world["food"])
    assert food.method == ClimateEstimate.Method.VOLUME
    line = food.lines.get()
    assert (line.index_from, line.index_to, line.exchange_rate) == (Decimal("120"), Decimal("95"), Decimal("8.60"))
    assert line.converted == Decimal("92054.264")
    assert food.calculated_kg == Decimal("128875.969")
    # 400,000 kr. in the factor's own currency and price year: × 0.50 = 200,000 kg
    assert estimate(world["org"], world["transport"]).calculated_kg == Decimal("200000.000")


def test_activity_data_replaces_the_spend_based_figure_of_its_area(world):
    # when: 10,000 litres of diesel for transport
    climate.climate_activity_save(
        organisation=world["org"],
        year=2025,
        factor=world["diesel"],
        product_area=None,
        quantity=Decimal("10000"),
        note="Fuel cards",
        by=world["by"],
    )
    # then: 10,000 × 2.66 = 26,600 kg instead of the 200,000 kg from spend
    transport = estimate(world["org"], world["transport"])
    assert transport.method == ClimateEstimate.Method.ACTIVITY
    assert transport.calculated_kg == Decimal("26600.000")
    assert transport.spend_dkk is None
    # and the food area keeps its spend-based figure
    assert estimate(world["org"], world["food"]).method == ClimateEstimate.Method.VOLUME


def test_a_measure_takes_its_effect_off_its_area_from_its_start_date(world):
    # given
    climate.climate_account_refresh(organisation=world["org"], year=2025)
    measure = climate.climate_measure_save(
        organisation=world["org"],
        measure=None,
        values={
            "title": "Mere plantebaseret mad",
            "kind": "use",
            "product_area": world["food"],
            "goal": world["goals"][0].goal,
            "reduction_tonnes": Decimal("20"),
            "assumption": "20 t a year: one meat day less a week in the canteens",
            "cost_once_dkk": Decimal("100000"),
            "cost_yearly_dkk": Decimal("-2000"),
            "lifetime_years": 10,
            "owner": "Indkøb",
        },
        by=world["by"],
    )
    assert estimate(world["org"], world["food"]).measures_kg == 0  # proposed: no effect yet
    # when
    climate.climate_measure_status_set(measure=measure, status="decided", starts_on=None, by=world["by"])
    climate.climate_measure_status_set(
        measure=measure, status="implemented", starts_on=datetime.date(2025, 7, 1), by=world["by"]
    )
    # then: 1 July to 31 December is 184 of 365 days: 20,000 kg × 184 / 365 = 10,082.192 kg
    food = estimate(world["org"], world["food"])
    assert food.measures_kg == Decimal("10082.192")
    assert food.calculated_kg == Decimal("128875.969")  # what was calculated stays apart from what was assumed
    assert food.net_kg == Decimal("118793.777")


def test_a_measure_cannot_skip_a_step_nor_take_effect_without_a_date(world):
    measure = climate.climate_measure_save(
        organisation=world["org"],
        measure=None,
        values={
            "title": "Genbrug af møbler",
            "kind": "reuse",
            "product_area": world["food"],
            "reduction_percent": Decimal("5"),
            "assumption": "5 %",
            "owner": "Indkøb",
        },
        by=world["by"],
    )
    with pytest.raises(ValidationError):
        climate.climate_measure_status_set(measure=measure, status="implemented", starts_on=None, by=world["by"])
    climate.climate_measure_status_set(measure=measure, status="decided", starts_on=None, by=world["by"])
    with pytest.raises(ValidationError):
        climate.climate_measure_status_set(measure=measure, status="implemented", starts_on=None, by=world["by"])


def test_cost_per_tonne_and_the_abatement_curve_order(world):
    climate.climate_account_refresh(organisation=world["org"], year=2025)
    common = {"product_area": world["food"], "assumption": "stated", "owner": "Indkøb"}
    values = [
        # 100,000 kr. over 10 years − 2,000 kr. a year = 8,000 kr. a year; ÷ 20 t = 400 kr. per tonne
        {
            "title": "B",
            "kind": "use",
            "reduction_tonnes": Decimal("20"),
            "cost_once_dkk": Decimal("100000"),
            "cost_yearly_dkk": Decimal("-2000"),
        },
        # saves 5,000 kr. a year for 10 t: −500 kr. per tonne (first on the curve)
        {"title": "A", "kind": "product", "reduction_tonnes": Decimal("10"), "cost_yearly_dkk": Decimal("-5000")},
        # 10 % of 128,875.969 kg = 12.888 t; 60,000 kr. a year ÷ 12.8875969 t = 4,655.64 kr. per tonne
        {"title": "C", "kind": "tender", "reduction_percent": Decimal("10"), "cost_yearly_dkk": Decimal("60000")},
    ]
    for item in values:
        climate.climate_measure_save(organisation=world["org"], measure=None, values={**common, **item}, by=world["by"])
    account = climate_selectors.member_account(organisation=world["org"])
    curve = climate_selectors.macc(account.measures)
    assert [row.measure.title for row in curve] == ["A", "B", "C"]
    assert [round(row.cost_per_tonne, 2) for row in curve] == [
        Decimal("-500.00"),
        Decimal("400.00"),
        Decimal("4655.64"),
    ]
    assert round(curve[2].tonnes_per_year, 3) == Decimal("12.888")
    assert cost_per_tonne(cost_once=Decimal(1), cost_yearly=Decimal(0), lifetime_years=1, tonnes_per_year=None) is None


def test_per_citizen_figures_for_a_municipality(world):
    climate.climate_account_refresh(organisation=world["org"], year=2025)
    account = climate_selectors.member_account(organisation=world["org"])
    # (128,875.969 + 200,000) kg ÷ 50,000 people = 6.578 kg per citizen
    assert round(account.per_citizen_kg(account.latest), 3) == Decimal("6.578")


def test_a_spend_factor_without_a_conversion_path_is_refused(world):
    factor = EmissionFactor.objects.create(code="sek", name="Svensk faktor", method="spend", product_area=world["food"])
    # when / then: no SEK rate for 2018 and no price index for 2018 in the table
    with pytest.raises(ValidationError) as refused:
        climate.emission_factor_revise(
            factor=factor,
            expected_number=0,
            values={"value": Decimal("0.1"), "per": "SEK", "price_year": 2018, "source": "X", "quality": "primary"},
            reason="New factor",
            by=world["by"],
        )
    assert "No conversion path" in str(refused.value)
    assert not factor.versions.exists()


def test_spend_of_a_year_without_a_price_index_gets_no_figure_rather_than_a_guess(world):
    RoundFactory(year=2023)
    climate.climate_spend_import_apply(
        climate_import=climate.climate_spend_import_read(
            organisation=world["org"],
            year=2023,
            rows=[{"__row__": 2, "category": "meat", "amount_dkk": "1000"}],
            filename="2023.csv",
            by=world["by"],
        ),
        by=world["by"],
    )
    food = estimate(world["org"], world["food"], year=2023)
    assert food.calculated_kg is None
    assert "price index for 2023" in food.problem


def test_a_new_factor_version_leaves_earlier_estimates_as_they_were(world):
    # given
    climate.climate_account_refresh(organisation=world["org"], year=2025)
    # when: the food factor is corrected
    new = climate.emission_factor_revise(
        factor=world["food_factor"],
        expected_number=1,
        values={
            "value": Decimal("1.50"),
            "per": "GBP",
            "price_year": 2011,
            "source": "Corrected",
            "quality": "secondary",
        },
        reason="Correction",
        by=world["by"],
    )
    # then: the old version is kept, superseded, and a refresh (the member adds data) still uses it
    old = EmissionFactorVersion.objects.get(factor=world["food_factor"], number=1)
    assert old.superseded_at is not None and new.number == 2
    climate.climate_account_refresh(organisation=world["org"], year=2025)
    food = estimate(world["org"], world["food"])
    assert food.calculated_kg == Decimal("128875.969")
    assert food.lines.get().factor_version == old
    assert climate_selectors.member_account(organisation=world["org"]).latest.newer_factors == 1
    # when the year is explicitly moved onto the current factors: £92,054.264 × 1.50 = 138,081.395 kg
    climate.climate_year_refresh(year=2025, by=world["by"])
    food = estimate(world["org"], world["food"])
    assert food.lines.get().factor_version == new
    assert food.calculated_kg == Decimal("138081.395")


def test_a_stale_factor_edit_is_refused(world):
    with pytest.raises(ValidationError, match="version 1"):
        climate.emission_factor_revise(
            factor=world["food_factor"],
            expected_number=0,
            values={"value": Decimal("1.5"), "per": "GBP", "price_year": 2011, "source": "X", "quality": "secondary"},
            reason="r",
            by=world["by"],
        )


FACTOR_HEADER = (
    "code;category;product_area;area_default;method;value;per;price_year;source;source_url;quality;valid_from"
)


def read_factors(text, by):
    from followup.spreadsheet import read

    upload = io.BytesIO(text.encode())
    upload.name = "factors.csv"
    rows = read(upload, required=("code", "method", "value"))
    return climate.emission_factors_import_read(rows=rows, filename="factors.csv", by=by)


def test_a_factor_file_is_previewed_then_applied_as_a_whole(world):
    # given: one change, one new factor, one unchanged
    text = "\n".join(
        [
            FACTOR_HEADER,
            "food;Food;foedevarer;yes;spend;1,45;GBP;2011;New source;https://example.org;secondary;",
            "bread;Bread;foedevarer;;spend;0.8;GBP;2011;New source;;secondary;2020-01-01",
            "diesel;Diesel;transport;;activity;2.66;litre;;Test source;;secondary;",
        ]
    )
    # when
    pending = read_factors(text, world["by"])
    # then: nothing changed yet, and the preview says what will
    assert EmissionFactorVersion.objects.get(factor=world["food_factor"], superseded_at=None).value == Decimal("1.4")
    assert [(item["code"], item["action"]) for item in pending.rows] == [
        ("food", "changed"),
        ("bread", "new"),
        ("diesel", "changed"),  # its licence is not in the file: a change
    ]
    counts = climate.emission_factors_import_apply(climate_import=pending, reason="2026 set", by=world["by"])
    assert counts == {"new": 1, "changed": 2, "unchanged": 0}
    assert EmissionFactorVersion.objects.get(factor=world["food_factor"], superseded_at=None).value == Decimal("1.45")
    assert EmissionFactor.objects.get(code="bread").versions.get().valid_from == datetime.date(2020, 1, 1)
    # and a preview cannot be applied twice
    with pytest.raises(ValidationError):
        climate.emission_factors_import_apply(climate_import=pending, reason="again", by=world["by"])


def test_a_factor_file_with_one_bad_row_changes_nothing(world):
    text = "\n".join(
        [
            FACTOR_HEADER,
            "food;Food;foedevarer;yes;spend;1.45;GBP;2011;New;;secondary;",
            "sek;Swedish;foedevarer;;spend;0.1;SEK;2018;New;;secondary;",
            "odd;Odd;nowhere;;spend;abc;DKK;2025;New;;secondary;",
        ]
    )
    with pytest.raises(climate.ImportRefused) as refused:
        read_factors(text, world["by"])
    reasons = dict(refused.value.rows)
    assert set(reasons) == {3, 4}
    assert "No conversion path" in reasons[3]
    assert "nowhere" in reasons[4]
    assert not ClimateImport.objects.exists()
    assert EmissionFactorVersion.objects.get(factor=world["food_factor"], superseded_at=None).value == Decimal("1.4")


def test_a_preview_gone_stale_is_refused(world):
    pending = read_factors(
        FACTOR_HEADER + "\nfood;Food;foedevarer;yes;spend;1.45;GBP;2011;New;;secondary;", world["by"]
    )
    climate.emission_factor_revise(
        factor=world["food_factor"],
        expected_number=1,
        values={"value": Decimal("1.5"), "per": "GBP", "price_year": 2011, "source": "X", "quality": "secondary"},
        reason="Meanwhile",
        by=world["by"],
    )
    with pytest.raises(ValidationError, match="changed after"):
        climate.emission_factors_import_apply(climate_import=pending, reason="2026 set", by=world["by"])


def test_spend_import_is_all_or_nothing_and_replaces_the_follow_up_volume(world):
    # given: a spend file with one unknown category
    bad = [
        {"__row__": 2, "category": "meat", "amount_dkk": "300000"},
        {"__row__": 3, "category": "unknown", "amount_dkk": "1"},
    ]
    with pytest.raises(climate.ImportRefused):
        climate.climate_spend_import_read(
            organisation=world["org"], year=2025, rows=bad, filename="x.csv", by=world["by"]
        )
    assert not ClimateSpend.objects.exists()
    # when: two lines of meat (they add up) and food in general
    rows = [
        {"__row__": 2, "category": "meat", "amount_dkk": "100000"},
        {"__row__": 3, "category": "MEAT", "amount_dkk": "200000,50"},
        {"__row__": 4, "category": "food", "amount_dkk": "600000"},
    ]
    pending = climate.climate_spend_import_read(
        organisation=world["org"], year=2025, rows=rows, filename="x.csv", by=world["by"]
    )
    assert [(r["category"], r["amount_dkk"]) for r in pending.rows] == [("food", "600000"), ("meat", "300000.50")]
    climate.climate_spend_import_apply(climate_import=pending, by=world["by"])
    # then: 300,000.50 kr. × 2.00 = 600,001.000 kg; 600,000 × 95/120 ÷ 8.60 = £55,232.558 × 1.40 = 77,325.581 kg
    food = estimate(world["org"], world["food"])
    assert food.method == ClimateEstimate.Method.SPEND
    assert food.spend_dkk == Decimal("900000.50")
    assert food.calculated_kg == Decimal("600001.000") + Decimal("77325.581")


def test_year_share_counts_the_start_day():
    assert year_share(starts_on=datetime.date(2025, 12, 31), year=2025) == Decimal(1) / Decimal(365)
    assert year_share(starts_on=datetime.date(2024, 1, 1), year=2025) == 1
    assert year_share(starts_on=datetime.date(2026, 1, 1), year=2025) == 0


def test_a_second_quantity_of_the_same_kind_and_year_is_refused_unless_it_replaces_the_first(world):
    args = {
        "organisation": world["org"],
        "year": 2025,
        "factor": world["diesel"],
        "product_area": None,
        "by": world["by"],
    }
    climate.climate_activity_save(**args, quantity=Decimal("100"), note="Leverandør A")
    with pytest.raises(ValidationError, match="Leverandør A"):
        climate.climate_activity_save(**args, quantity=Decimal("7"), note="Leverandør B")
    assert ClimateActivity.objects.get().quantity == Decimal("100")
    climate.climate_activity_save(**args, quantity=Decimal("7"), note="Leverandør B", replace=True)
    assert ClimateActivity.objects.get().note == "Leverandør B"


@pytest.mark.parametrize(
    ("written", "read"),
    [("1250000", "1250000"), ("1.250.000", "1250000"), ("1.250.000,50", "1250000.50"), ("1250000,5", "1250000.5")],
)
def test_amounts_are_read_as_danish_accounts_write_them(world, written, read):
    pending = climate.climate_spend_import_read(
        organisation=world["org"],
        year=2025,
        rows=[{"__row__": 2, "category": "meat", "amount_dkk": written}],
        filename="x.csv",
        by=world["by"],
    )
    assert Decimal(pending.rows[0]["amount_dkk"]) == Decimal(read)


@pytest.mark.parametrize("written", ["1.250", "1,250,000", "abc", "NaN", "Infinity"])
def test_an_ambiguous_amount_is_refused_not_guessed(world, written):
    with pytest.raises(climate.ImportRefused):
        climate.climate_spend_import_read(
            organisation=world["org"],
            year=2025,
            rows=[{"__row__": 2, "category": "meat", "amount_dkk": written}],
            filename="x.csv",
            by=world["by"],
        )


def test_a_row_with_more_cells_than_the_header_is_refused(world):
    from followup.spreadsheet import read

    upload = io.BytesIO(b"category,amount_dkk\nmeat,1,250,000\n")
    upload.name = "spend.csv"
    rows = read(upload, required=("category", "amount_dkk"))
    with pytest.raises(climate.ImportRefused) as refused:
        climate.climate_spend_import_read(organisation=world["org"], year=2025, rows=rows, filename="x", by=world["by"])
    assert "more cells than the header" in refused.value.rows[0][1]


def test_a_measure_with_an_impossible_start_date_is_refused(world):
    measure = climate.climate_measure_save(
        organisation=world["org"],
        measure=None,
        values={
            "title": "X",
            "kind": "reuse",
            "product_area": world["food"],
            "reduction_tonnes": Decimal(1),
            "assumption": "a",
            "owner": "o",
        },
        by=world["by"],
    )
    climate.climate_measure_status_set(measure=measure, status="decided", starts_on=None, by=world["by"])
    with pytest.raises(ValidationError, match="2000"):
        climate.climate_measure_status_set(
            measure=measure, status="implemented", starts_on=datetime.date(1900, 1, 1), by=world["by"]
        )


def test_constraint_refusals_read_as_sentences(world):
    with pytest.raises(ValidationError) as refused:
        climate.climate_measure_save(
            organisation=world["org"],
            measure=None,
            values={
                "title": "X",
                "kind": "reuse",
                "product_area": world["food"],
                "reduction_percent": Decimal(150),
                "assumption": "a",
                "owner": "o",
            },
            by=world["by"],
        )
    assert "at most 100" in str(refused.value)
    assert "climatemeasure" not in str(refused.value)
