"""Calendar arithmetic the portal's rules share: a member's transition period, a chair's term, the two years of
the project commitment, the year wheel's months."""

import calendar
from datetime import date


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later (or earlier, when negative); a day the month lacks becomes its last day, so
    31 January plus one month is 28 or 29 February and 29 February plus a year is 28 February."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def add_years(day: date, years: int) -> date:
    """The same day ``years`` later (or earlier); 29 February becomes 28 February in a year without one."""
    return add_months(day, 12 * years)
