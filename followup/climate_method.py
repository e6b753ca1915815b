"""The arithmetic of the climate account, with no database: conversions, measures' effects, cost per tonne.

docs/climate-method.md states the same rules for a reader who has to defend the figures;
the tests compute each of them by hand.
"""

import calendar
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

HOME_CURRENCY = "DKK"
THOUSAND = Decimal(1000)


class NoConversionPath(ValueError):
    """Spend cannot be brought into a factor's currency and price year with the index table: refused, never guessed."""


@dataclass(frozen=True)
class Conversion:
    """Spend in the factor's currency and price year, and the index values and rate it took to get there."""

    amount: Decimal
    index_from: Decimal | None
    index_to: Decimal | None
    exchange_rate: Decimal | None


def conversion_missing(
    *,
    spend_year: int | None,
    currency: str,
    price_year: int,
    indices: dict[int, Decimal],
    rates: dict[tuple[str, int], Decimal],
) -> str:
    """Why spend of ``spend_year`` cannot be converted to ``currency`` in ``price_year`` prices ('' if it can).

    Without a spend year only the factor's side is checked: the test a factor passes before it is accepted.
    """
    missing = []
    if spend_year is not None and spend_year not in indices:
        missing.append(_("the Danish price index for %(year)s") % {"year": spend_year})
    if price_year not in indices:
        missing.append(_("the Danish price index for %(year)s") % {"year": price_year})
    if currency != HOME_CURRENCY and (currency, price_year) not in rates:
        missing.append(_("the exchange rate of %(currency)s in %(year)s") % {"currency": currency, "year": price_year})
    if not missing:
        return ""
    return _("No conversion path: the index table lacks %(missing)s.") % {"missing": _(" and ").join(missing)}


def convert_spend(
    *,
    amount_dkk: Decimal,
    spend_year: int,
    currency: str,
    price_year: int,
    indices: dict[int, Decimal],
    rates: dict[tuple[str, int], Decimal],
) -> Conversion:
    """DKK spent in ``spend_year`` as an amount of ``currency`` in ``price_year`` prices.

    First into the price year's kroner with the Danish consumer price index
    (amount × index[price year] / index[spend year]), then into the currency at
    that year's average rate (÷ DKK per unit). Raises NoConversionPath when a value is missing.
    """
    problem = conversion_missing(
        spend_year=spend_year, currency=currency, price_year=price_year, indices=indices, rates=rates
    )
    if problem:
        raise NoConversionPath(problem)
    index_from, index_to = indices[spend_year], indices[price_year]
    real = amount_dkk * index_to / index_from
    if currency == HOME_CURRENCY:
        return Conversion(amount=real, index_from=index_from, index_to=index_to, exchange_rate=None)
    rate = rates[(currency, price_year)]
    return Conversion(amount=real / rate, index_from=index_from, index_to=index_to, exchange_rate=rate)


def rounded(value: Decimal, places: int = 3) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def year_share(*, starts_on: date, year: int) -> Decimal:
    """The share of ``year`` from ``starts_on`` on (its first day counted): 1 for a measure in force all year."""
    first, last = date(year, 1, 1), date(year, 12, 31)
    if starts_on > last:
        return Decimal(0)
    if starts_on <= first:
        return Decimal(1)
    days = 366 if calendar.isleap(year) else 365
    return Decimal((last - starts_on).days + 1) / Decimal(days)


def measure_tonnes_per_year(
    *, reduction_tonnes: Decimal | None, reduction_percent: Decimal | None, area_kg: Decimal | None
) -> Decimal | None:
    """A measure's expected reduction in t CO2e a year: stated, or its per cent of the area's calculated emissions."""
    if reduction_tonnes is not None:
        return reduction_tonnes
    if reduction_percent is None or area_kg is None:
        return None
    return area_kg / THOUSAND * reduction_percent / Decimal(100)


def measure_effect_kg(*, tonnes_per_year: Decimal | None, starts_on: date | None, year: int) -> Decimal:
    """The kg CO2e a measure takes off its area's estimate for ``year``, pro rata from its start date."""
    if tonnes_per_year is None or starts_on is None:
        return Decimal(0)
    return tonnes_per_year * THOUSAND * year_share(starts_on=starts_on, year=year)


def annual_cost(*, cost_once: Decimal, cost_yearly: Decimal, lifetime_years: int) -> Decimal:
    """The one-off cost spread evenly over the lifetime (no discounting), plus the yearly cost."""
    return cost_once / Decimal(lifetime_years) + cost_yearly


def cost_per_tonne(
    *, cost_once: Decimal, cost_yearly: Decimal, lifetime_years: int, tonnes_per_year: Decimal | None
) -> Decimal | None:
    """DKK per tonne CO2e avoided: the annual cost over the tonnes a year (negative where it saves money)."""
    if not tonnes_per_year:
        return None
    return annual_cost(cost_once=cost_once, cost_yearly=cost_yearly, lifetime_years=lifetime_years) / tonnes_per_year
