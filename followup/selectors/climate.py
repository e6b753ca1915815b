"""Reads for climate accounting: the factor table, a member's account, the partnership's figures.

The partnership's figures are sums in SQL over the stored estimates. No member
is named in them, and an area with fewer than ``MIN_MEMBERS`` members' figures
is left out, so that no single member's figure can be read off the public page.
"""

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import (
    Count,
    DecimalField,
    Exists,
    F,
    IntegerField,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.functions import Coalesce
from django.http import Http404

from goals.models import ProductArea
from members.models import Organisation

from ..climate_method import THOUSAND, annual_cost, cost_per_tonne, measure_tonnes_per_year
from ..models import (
    ClimateActivity,
    ClimateEstimate,
    ClimateEstimateLine,
    ClimateImport,
    ClimateMeasure,
    ClimateSpend,
    EmissionFactor,
    EmissionFactorVersion,
    ExchangeRate,
    GoalAnswer,
    Population,
    PriceIndex,
    Response,
)

MIN_MEMBERS = 3
"""An area's partnership figure is shown only when at least this many members' estimates make it up."""


def tonnes(kg: Decimal | None) -> Decimal | None:
    return None if kg is None else kg / THOUSAND


# --- the factor table -------------------------------------------------------------------------------------


def factor_table() -> list[EmissionFactorVersion]:
    """The current version of every factor, by method and product area, with the number of older versions."""
    return list(
        EmissionFactorVersion.objects.filter(superseded_at__isnull=True)
        .select_related("factor__product_area")
        .order_by("factor__method", "factor__product_area__name_da", "factor__code")
    )


def factor_get(*, code: str) -> EmissionFactor:
    factor = EmissionFactor.objects.select_related("product_area").filter(code=code).first()
    if factor is None:
        raise Http404
    return factor


def factor_versions(*, factor: EmissionFactor) -> list[EmissionFactorVersion]:
    """Every version of a factor, newest first, with who made it and how many estimates use it."""
    return list(factor.versions.select_related("created_by").annotate(use_count=Count("uses")).order_by("-number"))


def conversion_tables() -> tuple[list[PriceIndex], list[ExchangeRate]]:
    return list(PriceIndex.objects.order_by("country", "year")), list(ExchangeRate.objects.order_by("currency", "year"))


def population_sources() -> list[dict[str, Any]]:
    rows = Population.objects.values("source", "source_url", "counted_on").annotate(count=Count("id"))
    return [dict(row) for row in rows.order_by("counted_on")]


def activity_factors() -> QuerySet[EmissionFactor]:
    """The activity factors that have a current version, each with its unit (``per``)."""
    current = EmissionFactorVersion.objects.filter(factor=OuterRef("pk"), superseded_at__isnull=True).values("per")[:1]
    return (
        EmissionFactor.objects.filter(method=EmissionFactor.Method.ACTIVITY)
        .annotate(per=Subquery(current))
        .filter(per__isnull=False)
        .select_related("product_area")
        .order_by("name")
    )


def spend_categories(*, codes: list[str]) -> list[EmissionFactor]:
    return list(EmissionFactor.objects.filter(code__in=codes).select_related("product_area").order_by("code"))


def area_names() -> dict[str, str]:
    return {area.slug: str(area) for area in ProductArea.objects.all()}


def climate_import_get(*, pk: int, kind: str, organisation: Organisation | None = None) -> ClimateImport:
    """A pending import, of this organisation when one is given (404 for another's)."""
    found = ClimateImport.objects.filter(pk=pk, kind=kind, applied_at__isnull=True)
    if organisation is not None:
        found = found.filter(organisation=organisation)
    climate_import = found.first()
    if climate_import is None:
        raise Http404
    return climate_import


# --- a member's account -----------------------------------------------------------------------------------


@dataclass
class MeasureRow:
    measure: ClimateMeasure
    tonnes_per_year: Decimal | None
    annual_cost: Decimal
    cost_per_tonne: Decimal | None


@dataclass
class YearAccount:
    year: int
    estimates: list[ClimateEstimate]
    calculated_kg: Decimal = Decimal(0)
    measures_kg: Decimal = Decimal(0)
    newer_factors: int = 0
    problems: int = 0

    @property
    def net_kg(self) -> Decimal:
        return self.calculated_kg - self.measures_kg


@dataclass
class MemberAccount:
    organisation: Organisation
    years: list[YearAccount]
    measures: list[MeasureRow]
    population: Population | None
    activities: list[ClimateActivity] = field(default_factory=list)
    spend_years: list[int] = field(default_factory=list)

    @property
    def latest(self) -> YearAccount | None:
        """The newest year with at least one figure (a year of problems only has nothing to sum)."""
        return next((year for year in self.years if len(year.estimates) > year.problems), None)

    def per_citizen_kg(self, account: YearAccount) -> Decimal | None:
        if self.population is None or not self.population.population:
            return None
        return account.net_kg / Decimal(self.population.population)


def _population(organisation: Organisation, year: int | None) -> Population | None:
    if organisation.kind != Organisation.Kind.MUNICIPALITY or not organisation.official_code:
        return None
    found = Population.objects.filter(country=organisation.country, code=organisation.official_code)
    if year is not None:
        before = found.filter(year__lte=year).order_by("-year").first()
        if before is not None:
            return before
    return found.order_by("year").first()


def macc(rows: list[MeasureRow]) -> list[MeasureRow]:
    """The measures with a cost per tonne, cheapest tonne first: the order of the abatement cost curve."""
    return sorted(
        (row for row in rows if row.cost_per_tonne is not None),
        key=lambda row: (row.cost_per_tonne, -(row.tonnes_per_year or 0), row.measure.pk),
    )


def measure_rows(*, measures: list[ClimateMeasure], area_kg: dict[int, Decimal]) -> list[MeasureRow]:
    """Each measure with its tonnes a year (a per cent taken of its area's latest calculated figure) and its costs."""
    rows = []
    for measure in measures:
        tonnes_per_year = measure_tonnes_per_year(
            reduction_tonnes=measure.reduction_tonnes,
            reduction_percent=measure.reduction_percent,
            area_kg=area_kg.get(measure.product_area_id),
        )
        rows.append(
            MeasureRow(
                measure=measure,
                tonnes_per_year=tonnes_per_year,
                annual_cost=annual_cost(
                    cost_once=measure.cost_once_dkk,
                    cost_yearly=measure.cost_yearly_dkk,
                    lifetime_years=measure.lifetime_years,
                ),
                cost_per_tonne=cost_per_tonne(
                    cost_once=measure.cost_once_dkk,
                    cost_yearly=measure.cost_yearly_dkk,
                    lifetime_years=measure.lifetime_years,
                    tonnes_per_year=tonnes_per_year,
                ),
            )
        )
    return rows


def member_account(*, organisation: Organisation) -> MemberAccount:
    """A member's estimates per year (newest first) with their lines, its measures and its data. 7 queries."""
    estimates = list(
        ClimateEstimate.objects.filter(organisation=organisation)
        .select_related("product_area")
        .prefetch_related(
            Prefetch(
                "lines",
                queryset=ClimateEstimateLine.objects.select_related("factor_version__factor").order_by(
                    "factor_version__factor__code"
                ),
            )
        )
        .order_by("-year", "product_area__name_da")
    )
    years: dict[int, YearAccount] = {}
    for estimate in estimates:
        account = years.setdefault(estimate.year, YearAccount(year=estimate.year, estimates=[]))
        account.estimates.append(estimate)
        if estimate.calculated_kg is None:
            account.problems += 1
            continue
        account.calculated_kg += estimate.calculated_kg
        account.measures_kg += estimate.measures_kg
        account.newer_factors += sum(1 for line in estimate.lines.all() if line.factor_version.superseded_at)
    ordered = sorted(years.values(), key=lambda a: -a.year)
    latest_area_kg: dict[int, Decimal] = {}
    for account in reversed(ordered):
        for estimate in account.estimates:
            if estimate.calculated_kg is not None:
                latest_area_kg[estimate.product_area_id] = estimate.calculated_kg
    measures = list(
        ClimateMeasure.objects.filter(organisation=organisation).select_related(
            "product_area", "goal", "criterion__version__goal", "project"
        )
    )
    activities = list(
        ClimateActivity.objects.filter(organisation=organisation)
        .select_related("factor", "product_area")
        .order_by("-year", "factor__code")
    )
    spend_years = sorted(
        set(ClimateSpend.objects.filter(organisation=organisation).values_list("year", flat=True)), reverse=True
    )
    return MemberAccount(
        organisation=organisation,
        years=ordered,
        measures=measure_rows(measures=measures, area_kg=latest_area_kg),
        population=_population(organisation, ordered[0].year if ordered else None),
        activities=activities,
        spend_years=spend_years,
    )


def member_spend(*, organisation: Organisation, year: int) -> list[ClimateSpend]:
    return list(
        ClimateSpend.objects.filter(organisation=organisation, year=year)
        .select_related("factor__product_area")
        .order_by("factor__product_area__name_da", "factor__code")
    )


def climate_accounts_stale() -> list[tuple[int, int]]:
    """(organisation, year) whose submitted follow-up is newer than its estimates, or has none."""
    newest = (
        ClimateEstimate.objects.filter(organisation=OuterRef("organisation"), year=OuterRef("round__year"))
        .values("organisation")
        .annotate(at=Max("computed_at"))
        .values("at")
    )
    volumes = GoalAnswer.objects.filter(response=OuterRef("pk"), volume_dkk__gt=0)
    rows = (
        Response.objects.filter(status=Response.Status.SUBMITTED)
        .annotate(computed=Subquery(newest), has_volume=Exists(volumes))
        .filter(Q(computed__isnull=True) | Q(computed__lt=F("submitted_at")), has_volume=True)
        .values_list("organisation_id", "round__year")
    )
    return list(rows)


# --- the partnership --------------------------------------------------------------------------------------


@dataclass
class AreaFigure:
    area: ProductArea
    members: int
    calculated_kg: Decimal
    measures_kg: Decimal
    methods: dict[str, int]

    @property
    def net_kg(self) -> Decimal:
        return self.calculated_kg - self.measures_kg


@dataclass
class PartnershipClimate:
    year: int | None
    years: list[dict[str, Any]]
    available_years: list[int]
    areas: list[AreaFigure]
    hidden_areas: int
    members: int
    municipalities: int
    population: int
    municipal_net_kg: Decimal
    problems: int

    @property
    def per_citizen_kg(self) -> Decimal | None:
        return self.municipal_net_kg / self.population if self.population else None

    @property
    def calculated_kg(self) -> Decimal:
        return sum((a.calculated_kg for a in self.areas), Decimal(0))

    @property
    def measures_kg(self) -> Decimal:
        return sum((a.measures_kg for a in self.areas), Decimal(0))


_KG = DecimalField(max_digits=24, decimal_places=3)


def partnership_years() -> list[int]:
    """The years, newest first, in which at least one product area has MIN_MEMBERS members' figures."""
    years = sorted(
        {
            row["year"]
            for row in ClimateEstimate.objects.filter(calculated_kg__isnull=False)
            .values("year", "product_area")
            .annotate(n=Count("organisation", distinct=True))
            .filter(n__gte=MIN_MEMBERS)
        },
        reverse=True,
    )
    return years


def partnership_climate(*, year: int | None = None) -> PartnershipClimate:
    """The partnership's estimates of a year (the latest shown by default; 404 for a year with nothing to show)
    per area, and the trend.

    Only the estimates that have a figure count; areas with fewer than MIN_MEMBERS members are left out of
    the table and the totals alike, so no hidden figure can be worked out by subtraction.
    """
    figures = ClimateEstimate.objects.filter(calculated_kg__isnull=False)
    available = partnership_years()
    if year is None and not available:
        return PartnershipClimate(
            year=None,
            years=[],
            available_years=[],
            areas=[],
            hidden_areas=0,
            members=0,
            municipalities=0,
            population=0,
            municipal_net_kg=Decimal(0),
            problems=0,
        )
    if year is None:
        year = available[0]
    elif year not in available:
        raise Http404
    by_area = list(
        figures.filter(year=year)
        .values("product_area", "method")
        .annotate(
            members=Count("organisation", distinct=True), calculated=Sum("calculated_kg"), measures=Sum("measures_kg")
        )
    )
    areas_by_id = {
        area.pk: area for area in ProductArea.objects.filter(pk__in={row["product_area"] for row in by_area})
    }
    merged: dict[int, AreaFigure] = {}
    members_per_area = dict(
        figures.filter(year=year)
        .values("product_area")
        .annotate(n=Count("organisation", distinct=True))
        .values_list("product_area", "n")
    )
    for row in by_area:
        figure = merged.setdefault(
            row["product_area"],
            AreaFigure(
                area=areas_by_id[row["product_area"]],
                members=members_per_area[row["product_area"]],
                calculated_kg=Decimal(0),
                measures_kg=Decimal(0),
                methods={},
            ),
        )
        figure.calculated_kg += row["calculated"]
        figure.measures_kg += row["measures"]
        figure.methods[row["method"]] = figure.methods.get(row["method"], 0) + row["members"]
    shown = sorted((f for f in merged.values() if f.members >= MIN_MEMBERS), key=lambda f: -f.net_kg)
    shown_ids = [f.area.pk for f in shown]
    # The trend sums, per year, only the areas that had MIN_MEMBERS members' figures in that year: a year's
    # total never rests on fewer members than the page would show for one area.
    by_year: dict[int, dict[str, Any]] = {}
    for area_year in (
        figures.values("year", "product_area")
        .annotate(n=Count("organisation", distinct=True), calculated=Sum("calculated_kg"), measures=Sum("measures_kg"))
        .filter(n__gte=MIN_MEMBERS)
        .order_by("year")
    ):
        point = by_year.setdefault(
            area_year["year"], {"year": area_year["year"], "areas": 0, "calculated": Decimal(0), "measures": Decimal(0)}
        )
        point["areas"] += 1
        point["calculated"] += area_year["calculated"]
        point["measures"] += area_year["measures"]
    trend = list(by_year.values())
    latest_population = (
        Population.objects.filter(country=OuterRef("country"), code=OuterRef("official_code"), year__lte=year)
        .order_by("-year")
        .values("population")[:1]
    )
    any_population = (
        Population.objects.filter(country=OuterRef("country"), code=OuterRef("official_code"))
        .order_by("year")
        .values("population")[:1]
    )
    population = Coalesce(Subquery(latest_population), Subquery(any_population), output_field=IntegerField())
    municipal_estimates = figures.filter(
        year=year, product_area__in=shown_ids, organisation__kind=Organisation.Kind.MUNICIPALITY
    ).annotate(
        counted=Exists(
            Population.objects.filter(
                country=OuterRef("organisation__country"), code=OuterRef("organisation__official_code")
            )
        )
    )
    municipal_estimates = municipal_estimates.filter(counted=True)
    municipal = municipal_estimates.aggregate(
        count=Count("organisation", distinct=True), net=Sum(F("calculated_kg") - F("measures_kg"), output_field=_KG)
    )
    people = (
        Organisation.objects.filter(pk__in=municipal_estimates.values("organisation"))
        .annotate(people=population)
        .aggregate(total=Sum("people"))["total"]
    )
    problems = ClimateEstimate.objects.filter(year=year, calculated_kg__isnull=True).count()
    return PartnershipClimate(
        year=year,
        years=[dict(row) for row in trend],
        available_years=available,
        areas=shown,
        hidden_areas=len(merged) - len(shown),
        members=figures.filter(year=year, product_area__in=shown_ids).values("organisation").distinct().count(),
        municipalities=municipal["count"] or 0,
        population=people or 0,
        municipal_net_kg=municipal["net"] or Decimal(0),
        problems=problems,
    )
