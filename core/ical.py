"""iCalendar (RFC 5545) for the portal's calendar feeds: a small writer for the handful of properties they use.

A feed is a VCALENDAR of VEVENTs. Each event has a stable UID, a DTSTAMP (the
record's last change, so the file is the same until something changes and its
ETag holds), a start that is either a day (all-day, ``VALUE=DATE``, with an
exclusive end day) or a moment (written in UTC, so no VTIMEZONE is needed), and
optionally ``RRULE:FREQ=YEARLY``. Text is escaped (backslash, semicolon, comma,
newline), every line is folded at 75 octets without splitting a UTF-8
character, and lines end with CRLF.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

CRLF = "\r\n"
LINE_OCTETS = 75


@dataclass(frozen=True)
class Event:
    uid: str
    summary: str
    start: date | datetime
    stamp: datetime
    # The day after the last day for an all-day event; a moment for a timed one; None: the start alone.
    end: date | datetime | None = None
    description: str = ""
    url: str = ""
    yearly: bool = False
    # The language of the summary and of the description when it is not the calendar's (Danish text on the
    # English feed): the LANGUAGE parameter (RFC 5545 3.2.10).
    summary_language: str = ""
    description_language: str = ""
    categories: tuple[str, ...] = ()


def escape_text(value: str) -> str:
    """A TEXT value (RFC 5545 3.3.11): backslash, semicolon and comma escaped, each line break as ``\\n``."""
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return value.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")


def fold(line: str) -> str:
    """One content line folded into lines of at most 75 octets (RFC 5545 3.1), each further line begun by a space.

    The line is cut between characters, never inside a character's UTF-8 bytes.
    """
    parts: list[str] = []
    current: list[str] = []
    size, limit = 0, LINE_OCTETS
    for char in line:
        octets = len(char.encode("utf-8"))
        if size + octets > limit:
            parts.append("".join(current))
            current, size, limit = [], 0, LINE_OCTETS - 1  # the leading space of a further line counts
        current.append(char)
        size += octets
    parts.append("".join(current))
    return (CRLF + " ").join(parts)


def _utc(moment: datetime) -> str:
    if moment.tzinfo is None:
        raise ValueError("A moment in a calendar feed must carry its time zone.")
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _when(name: str, value: date | datetime) -> str:
    if isinstance(value, datetime):
        return f"{name}:{_utc(value)}"
    return f"{name};VALUE=DATE:{value:%Y%m%d}"


def _text(name: str, value: str, language: str = "") -> str:
    parameter = f";LANGUAGE={language}" if language else ""
    return f"{name}{parameter}:{escape_text(value)}"


def _event_lines(event: Event) -> list[str]:
    lines = ["BEGIN:VEVENT", f"UID:{event.uid}", f"DTSTAMP:{_utc(event.stamp)}", _when("DTSTART", event.start)]
    end = event.end
    if end is None and not isinstance(event.start, datetime):
        end = event.start + timedelta(days=1)
    if end is not None:
        lines.append(_when("DTEND", end))
    if event.yearly:
        lines.append("RRULE:FREQ=YEARLY")
    lines.append(_text("SUMMARY", event.summary, event.summary_language))
    if event.description:
        lines.append(_text("DESCRIPTION", event.description, event.description_language))
    if event.categories:
        lines.append("CATEGORIES:" + ",".join(escape_text(c) for c in event.categories))
    if event.url:
        lines.append(f"URL:{event.url}")
    lines.append(f"LAST-MODIFIED:{_utc(event.stamp)}")
    # An all-day entry does not block the reader's time; a meeting does.
    lines.append("TRANSP:" + ("OPAQUE" if isinstance(event.start, datetime) else "TRANSPARENT"))
    lines.append("END:VEVENT")
    return lines


def calendar(*, events: Iterable[Event], name: str, description: str = "", language: str = "") -> str:
    """The feed as text: a VCALENDAR with the events, CRLF line endings, folded lines."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//POGI//Year wheel//" + (language.upper() or "DA"),
        "CALSCALE:GREGORIAN",
        _text("X-WR-CALNAME", name),
        _text("NAME", name),  # RFC 7986
    ]
    if description:
        lines += [_text("X-WR-CALDESC", description), _text("DESCRIPTION", description)]
    # How often a subscribed calendar asks again (RFC 7986, and the older name Outlook reads).
    lines += ["REFRESH-INTERVAL;VALUE=DURATION:PT12H", "X-PUBLISHED-TTL:PT12H"]
    for event in events:
        lines += _event_lines(event)
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + CRLF for line in lines)
