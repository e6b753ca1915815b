"""The year wheel's public page and its iCalendar feed, which members subscribe to in their own calendars."""

import hashlib
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import get_conditional_response
from django.utils.dates import MONTHS
from django.utils.http import http_date, quote_etag
from django.utils.translation import gettext as _

from core import ical
from core.translated import page_language
from members.access import public
from workgroups.models import YearWheelEvent

from .year_wheel import Entry, feed_entries
from .year_wheel import year_wheel as year_wheel_months

FEED_SECONDS = 15 * 60
FEED_LANGUAGES = frozenset(code for code, _name in settings.LANGUAGES)


def _feed_url(request) -> str:
    return request.build_absolute_uri(reverse("year-wheel-ics"))


@public
def year_wheel(request):
    feed_url = _feed_url(request)
    return render(
        request,
        "pogi/year_wheel.html",
        {
            "months": year_wheel_months(today=timezone.localdate()),
            "feed_url": feed_url,
            "webcal_url": "webcal://" + feed_url.split("://", 1)[1],
        },
    )


def _event(entry: Entry, *, language: str, site: str, calendar_url: str) -> ical.Event:
    description = entry.description
    description_language = entry.description_lang
    if entry.whole_month:
        month = _("Some time in %(month)s.") % {"month": MONTHS[entry.first_day.month]}
        description = f"{month}\n{description}" if description else month
        description_language = language
    if entry.planned:
        planned = _("The date is planned and may change.")
        description = f"{description}\n{planned}" if description else planned
        description_language = language
    start: date | datetime
    end: date | datetime | None
    if entry.starts_at is not None:
        start, end = entry.starts_at, None
    else:
        start, end = entry.first_day, entry.last_day + timedelta(days=1)
    return ical.Event(
        uid=entry.uid,
        summary=entry.title,
        start=start,
        end=end,
        # the last change; a record without history (loaded around the ORM) keeps a fixed stamp, so the ETag holds
        stamp=entry.changed_at or timezone.make_aware(datetime.combine(entry.first_day, time.min)),
        description=description,
        url=site + entry.path if entry.path else calendar_url,
        yearly=entry.recurring,
        summary_language=entry.title_lang if entry.title_lang != language else "",
        description_language=description_language if description_language != language else "",
        categories=(str(YearWheelEvent.Kind(entry.kind).label),),
    )


def _feed(request) -> HttpResponse:
    language = page_language()
    entries = feed_entries(today=timezone.localdate())
    site = f"{request.scheme}://{request.get_host()}"
    calendar_url = request.build_absolute_uri(reverse("year-wheel"))
    text = ical.calendar(
        events=[_event(e, language=language, site=site, calendar_url=calendar_url) for e in entries],
        name=_("POGI year wheel"),
        description=_(
            "The meetings, hearings, follow-up rounds and yearly events of the Partnership for Green Public "
            "Procurement."
        ),
        language=language,
    )
    content = text.encode("utf-8")
    etag = quote_etag(hashlib.sha256(content).hexdigest()[:32])
    changed = [e.changed_at for e in entries if e.changed_at is not None]
    last_modified = int(max(changed).timestamp()) if changed else None
    response = get_conditional_response(request, etag=etag, last_modified=last_modified)
    if response is None:
        response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = 'inline; filename="pogi-year-wheel.ics"'
    response["ETag"] = etag
    if last_modified is not None:
        response["Last-Modified"] = http_date(last_modified)
    response["Cache-Control"] = f"public, max-age={FEED_SECONDS}"
    response["Content-Language"] = language
    return response


@public
def year_wheel_feed(request):
    """The year wheel as iCalendar (RFC 5545), in the language of the address or of ``?lang=`` (da, en)."""
    wanted = request.GET.get("lang", "")
    if not wanted:
        return _feed(request)
    if wanted not in FEED_LANGUAGES:
        return HttpResponse(
            "Ukendt sprog. Brug lang=da eller lang=en.\nUnknown language. Use lang=da or lang=en.\n",
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    with translation.override(wanted):
        return _feed(request)
