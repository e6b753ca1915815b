"""Reference data for climate accounting, loaded from followup/reference/ (each row keeps its source).

- ``price_index_dk.csv``: Denmark's consumer price index, annual averages;
- ``exchange_rates.csv``: annual average exchange rates, DKK per unit;
- ``population_dk.csv``: the population of each municipality on one date;
- ``emission_factors.csv``: the default emission factors, in the factor import's format.

Idempotent: a re-run changes only what differs. A factor whose row changed gets
a new version (the old one is kept for the estimates that used it), exactly as
a factor import by the secretariat would.
"""

import csv
from datetime import date
from decimal import Decimal
from pathlib import Path

from django.db import transaction

from goals.models import ProductArea
from members.reference import _sync

from .models import EmissionFactor, EmissionFactorVersion, ExchangeRate, Population, PriceIndex
from .services.climate import (
    _factor_row,
    _version_add,
    _version_from_row,
    _version_values,
    exchange_rates,
    price_indices,
)

REFERENCE_DIR = Path(__file__).resolve().parent / "reference"
REASON = "The default factor set shipped with the portal"


def read_csv(name: str) -> list[dict[str, str]]:
    with open(REFERENCE_DIR / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def factor_rows() -> list[dict[str, str]]:
    rows = read_csv("emission_factors.csv")
    for number, row in enumerate(rows, start=2):
        row["__row__"] = str(number)
    return rows


@transaction.atomic
def load() -> dict[str, int]:
    for row in read_csv("price_index_dk.csv"):
        _sync(
            PriceIndex,
            {"country": row["country"], "year": int(row["year"])},
            {
                "value": Decimal(row["value"]),
                "base": row["base"],
                "source": row["source"],
                "source_url": row["source_url"],
                "note": row["note"],
            },
        )
    for row in read_csv("exchange_rates.csv"):
        _sync(
            ExchangeRate,
            {"currency": row["currency"], "year": int(row["year"])},
            {
                "dkk_per_unit": Decimal(row["dkk_per_unit"]),
                "source": row["source"],
                "source_url": row["source_url"],
                "note": row["note"],
            },
        )
    populations = 0
    for row in read_csv("population_dk.csv"):
        counted_on = date.fromisoformat(row["date"])
        _sync(
            Population,
            {"country": "DK", "code": row["code"], "year": counted_on.year},
            {
                "name": row["name"],
                "counted_on": counted_on,
                "population": int(row["population"]),
                "source": row["source"],
                "source_url": row["source_url"],
            },
        )
        populations += 1
    factors = _load_factors()
    return {
        "price_indices": PriceIndex.objects.count(),
        "exchange_rates": ExchangeRate.objects.count(),
        "populations": populations,
        "emission_factors": factors,
    }


def _load_factors() -> int:
    areas = {area.slug: area for area in ProductArea.objects.all()}
    indices, rates = price_indices(), exchange_rates()
    items = [_factor_row(row, areas=areas, indices=indices, rates=rates) for row in factor_rows()]
    defaults = {item["product_area"]: item["code"] for item in items if item["area_default"]}
    EmissionFactor.objects.filter(area_default=True, product_area__slug__in=defaults).exclude(
        code__in=defaults.values()
    ).update(area_default=False)
    for item in items:
        factor = _sync(
            EmissionFactor,
            {"code": item["code"]},
            {
                "name": item["name"],
                "name_en": item["name_en"],
                "method": item["method"],
                "product_area": areas.get(item["product_area"]),
                "area_default": item["area_default"],
                "cpv_codes": item["cpv_codes"],
            },
        )
        values = _version_from_row(item["version"])
        current = EmissionFactorVersion.objects.filter(factor=factor, superseded_at__isnull=True).first()
        if current is not None and _version_values(current) == values:
            continue
        number = (current.number if current else 0) + 1
        _version_add(factor=factor, values=values, reason=REASON, by=None, number=number)
    return len(items)
