"""Demo data for climate accounting: the reference factors, every member's estimates from its submitted
follow-up, and two members (Copenhagen and Aarhus) with measured quantities and measures.

Idempotent: quantities are saved by their natural key and a measure with the same title is left as it is.
The quantities and measures are made up; the factors, indices and population are the shipped reference data.
"""

from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction

from goals.models import Goal, ProductArea
from members.models import Organisation, User

from . import reference
from .models import ClimateEstimate, ClimateMeasure, EmissionFactor, Response
from .services import climate

SECRETARIAT_EMAIL = "sekretariat@pogi.example"

# Measures take effect in the year of the older closed round (month, day), so both closed years show them.

# (municipality code, activity factor code, product area, quantity per year)
QUANTITIES = [
    ("101", "miljodir-diesel-no", "transport", Decimal("182000")),
    ("101", "au-dk-beef", "foedevarer", Decimal("41000")),
    ("101", "au-dk-pork", "foedevarer", Decimal("52000")),
    ("101", "au-dk-milk-lowfat", "foedevarer", Decimal("230000")),
    ("751", "miljodir-diesel-no", "transport", Decimal("121000")),
    ("751", "au-dk-chicken-whole", "foedevarer", Decimal("38000")),
]

MEASURES: list[dict[str, Any]] = [
    {
        "code": "101",
        "title": "Én kødfri dag om ugen i kommunens køkkener",
        "kind": ClimateMeasure.Kind.USE,
        "area": "foedevarer",
        "goal": 1,
        "reduction_tonnes": Decimal("85"),
        "assumption": "20 % mindre oksekød: 8.200 kg × 13,9 kg CO2e/kg ≈ 114 t; halvdelen erstattes af kylling og bælgfrugter.",
        "cost_once_dkk": Decimal("150000"),
        "cost_yearly_dkk": Decimal("-60000"),
        "lifetime_years": 5,
        "owner": "Køkkenchef, Madservice",
        "status": ClimateMeasure.Status.IMPLEMENTED,
        "starts_on": (8, 1),
    },
    {
        "code": "101",
        "title": "Klimakrav som tildelingskriterium i udbud af varekørsel",
        "kind": ClimateMeasure.Kind.TENDER,
        "area": "transport",
        "goal": None,
        "reduction_percent": Decimal("15"),
        "assumption": "Erfaring fra tre udbud: 15 % af kørslen flytter til el eller HVO.",
        "cost_once_dkk": Decimal("40000"),
        "cost_yearly_dkk": Decimal("120000"),
        "lifetime_years": 4,
        "owner": "Udbudsenheden",
        "status": ClimateMeasure.Status.DECIDED,
        "starts_on": None,
    },
    {
        "code": "101",
        "title": "Genbrug af kontormøbler før nyindkøb",
        "kind": ClimateMeasure.Kind.REUSE,
        "area": "trae",
        "goal": None,
        "reduction_tonnes": Decimal("12"),
        "assumption": "300 møbler om året genbruges i stedet for at købes nye, 40 kg CO2e pr. møbel.",
        "cost_once_dkk": Decimal("0"),
        "cost_yearly_dkk": Decimal("-90000"),
        "lifetime_years": 1,
        "owner": "Facility",
        "status": ClimateMeasure.Status.PROPOSED,
        "starts_on": None,
    },
    {
        "code": "751",
        "title": "Svanemærkede rengøringsmidler og doseringsanlæg",
        "kind": ClimateMeasure.Kind.PRODUCT,
        "area": "rengoering",
        "goal": 5,
        "reduction_percent": Decimal("8"),
        "assumption": "Doseringsanlæg sparer 8 % af mængden; leverandørens tal fra to skoler.",
        "cost_once_dkk": Decimal("220000"),
        "cost_yearly_dkk": Decimal("-15000"),
        "lifetime_years": 8,
        "owner": "Indkøb og Udbud",
        "status": ClimateMeasure.Status.IMPLEMENTED,
        "starts_on": (3, 1),
    },
]


@transaction.atomic
def load() -> dict[str, int]:
    reference.load()
    by = User.objects.filter(email=SECRETARIAT_EMAIL).first()
    submitted = (
        Response.objects.filter(status=Response.Status.SUBMITTED)
        .select_related("organisation", "round")
        .order_by("round__year", "organisation__name")
    )
    for response in submitted:
        if not ClimateEstimate.objects.filter(organisation=response.organisation, year=response.round.year).exists():
            climate.climate_account_refresh(organisation=response.organisation, year=response.round.year)
    # Quantities and measures for the closed rounds' years (the open round's answers are still coming in).
    years = sorted(set(submitted.filter(round__status="closed").values_list("round__year", flat=True)))
    municipalities = {
        o.official_code: o
        for o in Organisation.objects.filter(kind=Organisation.Kind.MUNICIPALITY, official_code__in=["101", "751"])
    }
    areas = {a.slug: a for a in ProductArea.objects.all()}
    factors = {f.code: f for f in EmissionFactor.objects.filter(code__in=[q[1] for q in QUANTITIES])}
    quantities = 0
    for code, factor_code, area, quantity in QUANTITIES:
        organisation, factor = municipalities.get(code), factors.get(factor_code)
        if organisation is None or factor is None or by is None:
            continue
        for year in years:
            climate.climate_activity_save(
                organisation=organisation,
                year=year,
                factor=factor,
                product_area=areas[area],
                quantity=quantity,
                note="Leverandørens årsopgørelse (demo)",
                by=by,
                replace=True,
            )
            quantities += 1
    measures = 0
    for spec in MEASURES:
        organisation = municipalities.get(spec["code"])
        if organisation is None or by is None:
            continue
        if ClimateMeasure.objects.filter(organisation=organisation, title=spec["title"]).exists():
            continue
        values = {
            "title": spec["title"],
            "kind": spec["kind"],
            "product_area": areas[spec["area"]],
            "goal": Goal.objects.filter(number=spec["goal"], product_area=areas[spec["area"]]).first()
            if spec["goal"]
            else None,
            "reduction_tonnes": spec.get("reduction_tonnes"),
            "reduction_percent": spec.get("reduction_percent"),
            "assumption": spec["assumption"],
            "cost_once_dkk": spec["cost_once_dkk"],
            "cost_yearly_dkk": spec["cost_yearly_dkk"],
            "lifetime_years": spec["lifetime_years"],
            "owner": spec["owner"],
        }
        measure = climate.climate_measure_save(organisation=organisation, measure=None, values=values, by=by)
        path = {"decided": ["decided"], "implemented": ["decided", "implemented"]}.get(spec["status"], [])
        starts_on = date(years[0], *spec["starts_on"]) if spec["starts_on"] and years else None
        for status in path:
            measure = climate.climate_measure_status_set(measure=measure, status=status, starts_on=starts_on, by=by)
        measures += 1
    return {"estimates": ClimateEstimate.objects.count(), "quantities": quantities, "measures": measures}
