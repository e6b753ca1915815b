"""The partnership's year wheel: the recurring events (workgroups' ``YearWheelEvent``) placed in the coming twelve
months, beside the dated records they stand for — planned meetings of the bodies and running hearings
(workgroups), the follow-up rounds' opening days and deadlines (followup). Here because it reads both apps,
which do not import each other; the page and the iCalendar feed are built from the same entries.
"""

import calendar as month_calendar
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.dates import add_months
from core.translated import page_language, translated
from followup.selectors import rounds_dated_between
from workgroups.models import Hearing, Meeting, YearWheelEvent
from workgroups.selectors import bodies as body_selectors

MONTHS_SHOWN = 12
# The feed keeps what happened lately, so a subscribed calendar does not drop a meeting the day after it.
FEED_DAYS_BACK = 92


@dataclass
class Entry:
    uid: str
    kind: str  # a YearWheelEvent.Kind value
    title: str
    title_lang: str
    first_day: date
    last_day: date  # included
    changed_at: datetime
    starts_at: datetime | None = None  # a meeting's moment
    recurring: bool = False
    whole_month: bool = False  # a recurring event that comes some time in its month
    description: str = ""
    description_lang: str = ""
    path: str = ""  # the public page the entry links to
    body: str = ""
    planned: bool = False  # the date of a round still being prepared
    past: bool = False

    @property
    def kind_label(self) -> str:
        return str(YearWheelEvent.Kind(self.kind).label)

    @property
    def spans_days(self) -> bool:
        return self.last_day > self.first_day and not self.whole_month


@dataclass
class Month:
    first_day: date
    entries: list[Entry] = field(default_factory=list)


def _month_end(first_day: date) -> date:
    return first_day.replace(day=month_calendar.monthrange(first_day.year, first_day.month)[1])


def _local_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _uid(kind: str, key: object) -> str:
    """A record's UID in the feed: the same for as long as the record lives, whichever address served it."""
    return f"{kind}-{key}@{urlsplit(settings.SITE_URL).hostname or 'pogi'}"


BODY_PAGE_KINDS = frozenset(body_selectors.BODY_PAGES)


def _body_path(kind: str) -> str:
    return reverse("projects:body-detail", kwargs={"kind": kind}) if kind in BODY_PAGE_KINDS else ""


def _occurrence(event: YearWheelEvent, start: date) -> tuple[date, date]:
    """The event's days in the twelve months from the month of ``start``: this year's or next year's."""
    year = start.year if event.month >= start.month else start.year + 1
    if event.day is None:
        first = date(year, event.month, 1)
        return first, _month_end(first)
    first = date(year, event.month, event.day)
    return first, first + timedelta(days=event.duration_days - 1)


def _wheel_entries(events: list[YearWheelEvent], window_start: date, today: date) -> list[Entry]:
    entries = []
    for event in events:
        first, last = _occurrence(event, window_start)
        title = translated(event, "title")
        description = translated(event, "description")
        entries.append(
            Entry(
                uid=_uid("year-wheel", event.pk),
                kind=event.kind,
                title=str(title),
                title_lang=title.lang,
                first_day=first,
                last_day=last,
                changed_at=event.changed_at,  # type: ignore[attr-defined]  # annotated by the selector
                recurring=True,
                whole_month=event.day is None,
                description=str(description),
                description_lang=description.lang,
                path=_body_path(event.body.kind) if event.body else "",
                body=str(event.body) if event.body else "",
                past=last < today,
            )
        )
    return entries


def _meeting_body(meeting: Meeting) -> str:
    if meeting.working_group_id and meeting.working_group is not None:
        return _("Working group: %(name)s") % {"name": meeting.working_group.name}
    return str(meeting.body)


def _meeting_entries(meetings: list[Meeting], today: date) -> list[Entry]:
    entries = []
    for meeting in meetings:
        day = timezone.localdate(meeting.starts_at)
        path = _body_path(meeting.body.kind)
        if not path and meeting.working_group is not None:
            path = reverse("workgroups:group-detail", kwargs={"slug": meeting.working_group.slug})
        entries.append(
            Entry(
                uid=_uid("meeting", meeting.pk),
                kind=YearWheelEvent.Kind.MEETING,
                title=meeting.title,
                title_lang="da",  # meetings are titled in Danish only
                first_day=day,
                last_day=day,
                starts_at=meeting.starts_at,
                changed_at=meeting.changed_at,  # type: ignore[attr-defined]  # annotated by the selector
                description=_("Meeting of %(body)s.") % {"body": _meeting_body(meeting)},
                description_lang=page_language(),
                path=path,
                body=_meeting_body(meeting),
                past=day < today,
            )
        )
    return entries


def _hearing_entries(hearings: list[Hearing], today: date) -> list[Entry]:
    entries = []
    for hearing in hearings:
        version = hearing.version
        goal_title = translated(version, "title")
        names = {"number": version.goal.number, "title": goal_title}
        if hearing.kind == Hearing.Kind.INTERNAL:
            title = _("Internal hearing: goal %(number)s %(title)s") % names
            description = _("The members' hearing on the draft of goal %(number)s %(title)s.") % names
        else:
            title = _("Industry hearing: goal %(number)s %(title)s") % names
            description = _("The industry's hearing on the draft of goal %(number)s %(title)s.") % names
        groups = list(version.working_groups.all())
        last = timezone.localdate(hearing.closes_at)
        entries.append(
            Entry(
                uid=_uid("hearing", hearing.pk),
                kind=YearWheelEvent.Kind.HEARING,
                title=title,
                title_lang=page_language(),
                first_day=timezone.localdate(hearing.opened_at),
                last_day=last,
                changed_at=hearing.changed_at,  # type: ignore[attr-defined]  # annotated by the selector
                description=description,
                description_lang=page_language(),
                path=reverse("workgroups:group-detail", kwargs={"slug": groups[0].slug}) if groups else "",
                past=last < today,
            )
        )
    return entries


def _round_entries(rounds: list[Any], start: date, end: date, today: date) -> list[Entry]:
    entries = []
    for round_ in rounds:
        planned = round_.status == "draft"
        for key, day, title, description in (
            (
                "opens",
                round_.opens_on,
                _("The follow-up %(year)s opens") % {"year": round_.year},
                _("The members are invited to answer the annual follow-up on the goals."),
            ),
            (
                "deadline",
                round_.deadline,
                _("Deadline of the follow-up %(year)s") % {"year": round_.year},
                _("The last day to submit the organisation's answers."),
            ),
        ):
            if not start <= day < end:
                continue
            entries.append(
                Entry(
                    uid=_uid(f"followup-{round_.year}", key),
                    kind=YearWheelEvent.Kind.FOLLOWUP,
                    title=title,
                    title_lang=page_language(),
                    first_day=day,
                    last_day=day,
                    changed_at=round_.changed_at,
                    description=description,
                    description_lang=page_language(),
                    planned=planned,
                    past=day < today,
                )
            )
    return entries


def _sort_key(entry: Entry) -> tuple[date, int, datetime, str]:
    # within a day: whole-month events first, then all-day ones, then meetings by their time
    moment = entry.starts_at or _local_start(entry.first_day)
    return (entry.first_day, 0 if entry.whole_month else 1 if entry.starts_at is None else 2, moment, entry.title)


def entries_between(*, records_from: datetime, end: date, today: date) -> list[Entry]:
    """The recurring events once each, in their occurrence in the twelve months from this month, and the dated
    records from the moment ``records_from`` until the day ``end`` (not included)."""
    window_start = today.replace(day=1)
    until = _local_start(end)
    entries = _wheel_entries(body_selectors.year_wheel_events(), window_start, today)
    entries += _meeting_entries(body_selectors.meetings_between(start=records_from, end=until), today)
    entries += _hearing_entries(body_selectors.hearings_between(start=records_from, end=until), today)
    first_day = timezone.localdate(records_from)
    entries += _round_entries(rounds_dated_between(start=first_day, end=end), first_day, end, today)
    return sorted(entries, key=_sort_key)


def year_wheel(*, today: date) -> list[Month]:
    """The coming twelve months, month by month from this one: the recurring events in their month and the
    meetings, hearings and follow-up dates still to come."""
    window_start = today.replace(day=1)
    months = [Month(first_day=add_months(window_start, n)) for n in range(MONTHS_SHOWN)]
    end = add_months(window_start, MONTHS_SHOWN)
    by_month = {(m.first_day.year, m.first_day.month): m for m in months}
    for entry in entries_between(records_from=timezone.now(), end=end, today=today):
        # a hearing that opened before this month is shown in this month
        shown_from = max(entry.first_day, window_start)
        by_month[(shown_from.year, shown_from.month)].entries.append(entry)
    return months


def feed_entries(*, today: date) -> list[Entry]:
    """What the iCalendar feed carries: the recurring events, and the dated records from three months back to
    twelve months ahead."""
    end = add_months(today.replace(day=1), MONTHS_SHOWN)
    return entries_between(records_from=_local_start(today - timedelta(days=FEED_DAYS_BACK)), end=end, today=today)
