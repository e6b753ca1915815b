"""Text cells that a spreadsheet program would run as a formula, made harmless (CSV injection).

Every CSV the portal writes (the follow-up exports, the open data) passes its
cells through ``neutralise``; the follow-up import removes the quote again
(``followup.spreadsheet``).
"""

# A text cell starting with one of these would be run as a formula by a spreadsheet program.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """The value, with a leading ' when it is text that starts like a formula; None becomes ""."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value  # shown as text
    return value
