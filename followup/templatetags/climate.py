"""Figures of the climate pages, formatted for the reader's locale (1.234,5 in Danish, 1,234.5 in English)."""

from decimal import Decimal

from django import template
from django.utils.formats import number_format

register = template.Library()


def _number(value, places: int) -> str:
    if value is None or value == "":
        return "–"
    return number_format(round(Decimal(value), places), decimal_pos=places, force_grouping=True)


@register.filter
def tonnes(kg) -> str:
    """kg CO2e shown as tonnes with one decimal."""
    if kg is None or kg == "":
        return "–"
    return _number(Decimal(kg) / 1000, 1)


@register.filter
def amount(value, places: int = 0) -> str:
    """A number (DKK, a quantity) with ``places`` decimals and the locale's grouping."""
    return _number(value, int(places))


@register.filter
def factor_value(value) -> str:
    """A factor's value with its significant decimals (0.058, 1.40085…), never in scientific notation."""
    if value is None:
        return "–"
    text = format(Decimal(value).normalize(), "f")
    places = len(text.split(".")[1]) if "." in text else 0
    return number_format(Decimal(text), decimal_pos=places, force_grouping=True)
