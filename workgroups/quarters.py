"""Calendar quarters, for the projects' quarterly status reports."""

from datetime import date, timedelta


def quarter_of(day: date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def quarter_start(year: int, quarter: int) -> date:
    return date(year, 3 * (quarter - 1) + 1, 1)


def quarter_end(year: int, quarter: int) -> date:
    return (date(year + 1, 1, 1) if quarter == 4 else quarter_start(year, quarter + 1)) - timedelta(days=1)


def previous_quarter(year: int, quarter: int) -> tuple[int, int]:
    return (year - 1, 4) if quarter == 1 else (year, quarter - 1)
