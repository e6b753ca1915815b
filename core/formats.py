"""Dates and times as text in the active language's format, for messages built in Python.

Templates use the ``date`` filter; services that put a date into a message
use these, so a Danish reader sees "1.12.2026" and the formats of every other
language come from Django's locale files, not from a hand-written pattern.
"""

from datetime import date, datetime

from django.utils import formats, timezone


def date_text(value: date | datetime) -> str:
    """A date in the active language's short date format (Danish: 1.12.2026)."""
    if isinstance(value, datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
    return formats.date_format(value, "SHORT_DATE_FORMAT")


def datetime_text(value: datetime) -> str:
    """A moment in local time in the active language's short format (Danish: 1.12.2026 14:30)."""
    return formats.date_format(
        timezone.localtime(value) if timezone.is_aware(value) else value, "SHORT_DATETIME_FORMAT"
    )


def whole_number(value: int) -> str:
    """A whole number grouped by thousands the way the active language writes it (Danish: 1.250.000)."""
    return formats.number_format(value, force_grouping=True)
