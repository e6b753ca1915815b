"""The year wheel: the recurring events in their month over the coming twelve months beside the dated meetings,
hearings and follow-up dates, on a public page and as an iCalendar feed (RFC 5545) that calendars subscribe to."""

import datetime
import html as html_text
import re
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from core import ical
from pogi.year_wheel import add_months
from tests.factories import BodyFactory, HearingFactory, MeetingFactory, RoundFactory, in_days
from workgroups import services
from workgroups.models import Meeting, YearWheelEvent

pytestmark = pytest.mark.django_db


def uid(kind, key) -> str:
    """The UID the feed gives a record: stable, and named by the portal's own address."""
    return f"{kind}-{key}@{urlsplit(settings.SITE_URL).hostname}"


def text(response) -> str:
    return " ".join(html_text.unescape(response.content.decode()).split())


def months_from(today, n):
    return add_months(today.replace(day=1), n)


@pytest.fixture
def wheel(secretariat_user):
    """An event this month, one last month (so next year's), a meeting soon and one held, a hearing, a round."""
    today = timezone.localdate()
    last_month = months_from(today, -1)
    move = services.body_for(kind="move")
    this_month = services.year_wheel_event_save(
        kind="meeting",
        body=move,
        title="POGI Moves møde",
        title_en="POGI Move's meeting",
        description="Status på projekterne.",
        description_en="Status of the projects.",
        month=today.month,
        by=secretariat_user,
    )
    next_year = services.year_wheel_event_save(
        kind="conference",
        title="Årskonference",
        title_en="Annual conference",
        month=last_month.month,
        day=2,
        duration_days=2,
        by=secretariat_user,
    )
    soon = MeetingFactory(body=move, title="POGI Moves ekstra møde", starts_at=in_days(10), place="Hemmelig adresse 7")
    held = MeetingFactory(body=BodyFactory(kind="lab"), title="POGI Labs møde", starts_at=in_days(-20))
    hearing = HearingFactory(closes_at=in_days(14))
    round_ = RoundFactory(
        year=today.year + 1, opens_on=today + datetime.timedelta(days=20), deadline=today + datetime.timedelta(days=60)
    )
    return {
        "today": today,
        "this_month": this_month,
        "next_year": next_year,
        "soon": soon,
        "held": held,
        "hearing": hearing,
        "round": round_,
    }


class TestThePage:
    def test_twelve_months_from_this_one(self, client, wheel):
        months = client.get("/en/year-wheel/").context["months"]
        assert [m.first_day for m in months] == [months_from(wheel["today"], n) for n in range(12)]

    def test_each_event_in_its_month(self, client, wheel):
        today = wheel["today"]
        months = {m.first_day: m.entries for m in client.get("/en/year-wheel/").context["months"]}
        titles = {day: [e.title for e in entries] for day, entries in months.items()}
        # the recurring events: this month's, and last month's in its occurrence next year
        assert "POGI Move's meeting" in titles[months_from(today, 0)]
        assert "Annual conference" in titles[months_from(today, 11)]
        conference = next(e for e in months[months_from(today, 11)] if e.title == "Annual conference")
        assert conference.recurring and conference.first_day == months_from(today, 11).replace(day=2)
        assert conference.last_day == conference.first_day + datetime.timedelta(days=1)
        # the dated records in the month they come
        soon = timezone.localdate(wheel["soon"].starts_at)
        assert "POGI Moves ekstra møde" in titles[soon.replace(day=1)]
        opens = wheel["round"].opens_on
        assert f"The follow-up {wheel['round'].year} opens" in titles[opens.replace(day=1)]
        deadline = wheel["round"].deadline
        assert f"Deadline of the follow-up {wheel['round'].year}" in titles[deadline.replace(day=1)]
        hearing = next(e for e in months[today.replace(day=1)] if e.kind == "hearing")
        assert hearing.title.startswith("Internal hearing: goal ") and hearing.last_day == timezone.localdate(
            wheel["hearing"].closes_at
        )
        # a meeting already held is not coming
        assert not any("POGI Labs møde" in t for ts in titles.values() for t in ts)

    def test_the_page_says_it_in_words(self, client, wheel):
        page = text(client.get("/en/year-wheel/"))
        assert "POGI Move's meeting" in page and "every year" in page and "During the month" in page
        assert "planned date" in page  # the round is still being prepared
        assert "Hemmelig adresse" not in page  # a meeting's place is not public
        # the Danish title of a meeting is marked as Danish on the English page
        assert (
            '<span class="wheel-title" lang="da">POGI Moves ekstra møde</span>'
            in client.get("/en/year-wheel/").content.decode()
        )
        danish = text(client.get("/year-wheel/"))
        assert "POGI Moves møde" in danish and "Status på projekterne." in danish

    def test_the_feed_is_linked_for_subscribing(self, client, wheel):
        page = client.get("/en/year-wheel/").content.decode()
        assert 'href="webcal://testserver/en/year-wheel.ics"' in page
        assert 'value="http://testserver/en/year-wheel.ics"' in page
        assert 'href="/en/year-wheel.ics"' in page
        assert "How to subscribe" in page and "Google Calendar" in page
        assert 'href="webcal://testserver/year-wheel.ics"' in client.get("/year-wheel/").content.decode()

    def test_the_site_links_to_the_year_wheel(self, client):
        assert 'href="/year-wheel/"' in client.get("/").content.decode()
        assert 'href="/en/year-wheel/"' in client.get("/en/").content.decode()

    def test_the_page_takes_the_same_queries_for_more_events(self, client, wheel, secretariat_user):
        def count():
            with CaptureQueriesContext(connection) as queries:
                assert client.get("/year-wheel/").status_code == 200
            return len(queries)

        # the recurring events, the meetings, the hearings with the groups drafting them, the rounds
        assert count() == 5
        lab = services.body_for(kind="lab")
        for month in range(1, 13):
            services.year_wheel_event_save(
                kind="meeting", body=lab, title=f"Møde {month}", month=month, by=secretariat_user
            )
            MeetingFactory(body=lab, title=f"Møde {month}", starts_at=in_days(month * 25))
            HearingFactory(closes_at=in_days(month))
        RoundFactory(
            year=wheel["today"].year + 2,
            opens_on=wheel["today"] + datetime.timedelta(days=90),
            deadline=wheel["today"] + datetime.timedelta(days=120),
        )
        assert count() == 5


# --- the feed ----------------------------------------------------------------------------------------------


def unfold(content: bytes) -> list[str]:
    """The content lines of an iCalendar file: CRLF-separated, a line that starts with a space continues the last."""
    assert content.endswith(b"\r\n")
    physical = content[:-2].split(b"\r\n")
    lines: list[str] = []
    for raw in physical:
        assert b"\n" not in raw and b"\r" not in raw, "a bare line break"
        assert len(raw) <= 75, f"a line of {len(raw)} octets: {raw!r}"
        part = raw.decode("utf-8")  # never cut inside a character
        if part.startswith(" "):
            lines[-1] += part[1:]
        else:
            lines.append(part)
    return lines


def unescape(value: str) -> str:
    return re.sub(r"\\([\\;,nN])", lambda m: "\n" if m.group(1) in "nN" else m.group(1), value)


def parse(content: bytes) -> list[dict[str, tuple[dict[str, str], str]]]:
    """The events, each a dict of property name → (parameters, value)."""
    events, current = [], None
    for line in unfold(content):
        head, value = line.split(":", 1)
        name, *params = head.split(";")
        if line == "BEGIN:VEVENT":
            current = {}
        elif line == "END:VEVENT":
            events.append(current)
            current = None
        elif current is not None:
            current[name] = (dict(p.split("=", 1) for p in params), value)
    return events


def by_uid(events):
    return {e["UID"][1]: e for e in events}


class TestTheFeed:
    def test_a_valid_calendar(self, client, wheel):
        response = client.get("/year-wheel.ics")
        assert response["Content-Type"] == "text/calendar; charset=utf-8"
        lines = unfold(response.content)
        assert lines[:2] == ["BEGIN:VCALENDAR", "VERSION:2.0"] and lines[-1] == "END:VCALENDAR"
        assert any(line.startswith("PRODID:") for line in lines)
        events = parse(response.content)
        uids = [e["UID"][1] for e in events]
        assert len(uids) == len(set(uids)) == 7  # 2 recurring, 2 meetings, 1 hearing, the round's 2 days
        for event in events:
            assert re.fullmatch(r"\d{8}T\d{6}Z", event["DTSTAMP"][1])
            assert {"UID", "DTSTAMP", "DTSTART", "SUMMARY"} <= set(event)

    def test_each_record_as_it_is(self, client, wheel):
        events = by_uid(parse(client.get("/year-wheel.ics").content))
        meeting = events[uid("meeting", wheel["soon"].pk)]
        # a meeting at its moment, in UTC, once; not its place
        starts = wheel["soon"].starts_at.astimezone(datetime.UTC)
        assert meeting["DTSTART"] == ({}, starts.strftime("%Y%m%dT%H%M%SZ"))
        assert "RRULE" not in meeting and "LOCATION" not in meeting
        assert meeting["URL"][1] == "http://testserver/projects/bodies/move/"
        # the meeting held three weeks ago stays in the feed, so a subscribed calendar keeps it
        assert uid("meeting", wheel["held"].pk) in events
        # a recurring event: all-day dates, the end day not included, every year
        conference = events[uid("year-wheel", wheel["next_year"].pk)]
        first = datetime.datetime.strptime(conference["DTSTART"][1], "%Y%m%d").date()
        assert conference["DTSTART"][0] == {"VALUE": "DATE"} and first.day == 2
        assert conference["DTEND"] == ({"VALUE": "DATE"}, (first + datetime.timedelta(days=2)).strftime("%Y%m%d"))
        assert conference["RRULE"] == ({}, "FREQ=YEARLY")
        # some time in the month: the whole month
        monthly = events[uid("year-wheel", wheel["this_month"].pk)]
        assert monthly["DTSTART"][1].endswith("01") and monthly["DTEND"][1] == months_from(wheel["today"], 1).strftime(
            "%Y%m%d"
        )
        # a hearing over its days, and the round's two days
        hearing = events[uid("hearing", wheel["hearing"].pk)]
        assert hearing["DTSTART"][0] == {"VALUE": "DATE"}
        year = wheel["round"].year
        assert events[uid(f"followup-{year}", "opens")]["DTSTART"][1] == wheel["round"].opens_on.strftime("%Y%m%d")
        assert "planlagt" in unescape(events[uid(f"followup-{year}", "deadline")]["DESCRIPTION"][1])

    def test_the_uids_stay_and_the_stamp_follows_a_change(self, client, wheel):
        before = by_uid(parse(client.get("/year-wheel.ics").content))
        soon = Meeting.objects.get(pk=wheel["soon"].pk)
        soon.title = "POGI Moves flyttede møde"
        soon.save()
        after = by_uid(parse(client.get("/year-wheel.ics").content))
        key = uid("meeting", soon.pk)
        assert set(after) == set(before)
        assert unescape(after[key]["SUMMARY"][1]) == "POGI Moves flyttede møde"
        assert after[key]["DTSTAMP"][1] >= before[key]["DTSTAMP"][1]
        assert after[key]["LAST-MODIFIED"] == after[key]["DTSTAMP"]

    def test_in_the_language_asked_for(self, client, wheel):
        key = uid("year-wheel", wheel["this_month"].pk)
        danish = by_uid(parse(client.get("/year-wheel.ics").content))
        assert danish[key]["SUMMARY"] == ({}, "POGI Moves møde")
        for path in ("/en/year-wheel.ics", "/year-wheel.ics?lang=en"):
            english = by_uid(parse(client.get(path).content))
            assert english[key]["SUMMARY"] == ({}, "POGI Move's meeting")
            assert unescape(english[key]["DESCRIPTION"][1]).endswith("Status of the projects.")
            # a meeting is titled in Danish: said so on the English feed
            meeting = english[uid("meeting", wheel["soon"].pk)]
            assert meeting["SUMMARY"] == ({"LANGUAGE": "da"}, "POGI Moves ekstra møde")
        assert by_uid(parse(client.get("/en/year-wheel.ics?lang=da").content))[key]["SUMMARY"][1] == "POGI Moves møde"
        refused = client.get("/year-wheel.ics?lang=xx")
        assert refused.status_code == 400 and "lang=en" in refused.content.decode()

    def test_escaped_and_folded(self, client, secretariat_user):
        title = "Møde; dagsorden, punkt 1 \\ 2"
        description = "Første linje\nAnden linje med æøå " + "og en meget lang tekst " * 6
        services.year_wheel_event_save(
            kind="other", title=title, description=description, month=6, day=15, by=secretariat_user
        )
        content = client.get("/year-wheel.ics").content
        assert b"SUMMARY:M\xc3\xb8de\\; dagsorden\\, punkt 1 \\\\ 2\r\n" in content
        event = parse(content)[0]
        assert unescape(event["SUMMARY"][1]) == title
        assert unescape(event["DESCRIPTION"][1]) == description.strip()
        assert max(len(line) for line in content.split(b"\r\n")) <= 75
        assert b"\r\n " in content  # the long description is folded

    def test_a_client_that_has_it_gets_not_modified(self, client, wheel):
        first = client.get("/year-wheel.ics")
        assert first["ETag"] and "public" in first["Cache-Control"]
        assert client.get("/year-wheel.ics").content == first.content  # the same file until something changes
        again = client.get("/year-wheel.ics", headers={"If-None-Match": first["ETag"]})
        assert again.status_code == 304 and not again.content
        english = client.get("/en/year-wheel.ics", headers={"If-None-Match": first["ETag"]})
        assert english.status_code == 200  # another language, another file
        YearWheelEvent.objects.filter(pk=wheel["next_year"].pk).delete()
        assert client.get("/year-wheel.ics", headers={"If-None-Match": first["ETag"]}).status_code == 200

    def test_the_feed_takes_the_same_queries_for_more_events(self, client, wheel, secretariat_user):
        def count():
            with CaptureQueriesContext(connection) as queries:
                assert client.get("/year-wheel.ics").status_code == 200
            return len(queries)

        few = count()
        for month in range(1, 13):
            MeetingFactory(body=wheel["soon"].body, title=f"Møde {month}", starts_at=in_days(month * 20))
            HearingFactory(closes_at=in_days(month))
        assert count() == few == 5


class TestTheWriter:
    def test_text_is_escaped(self):
        assert ical.escape_text("a,b;c\\d\ne\r\nf") == "a\\,b\\;c\\\\d\\ne\\nf"

    def test_a_line_is_folded_at_75_octets(self):
        assert ical.fold("X" * 75) == "X" * 75
        folded = ical.fold("X" * 76)
        assert folded == "X" * 75 + "\r\n X"
        # a character of two octets is not cut: the first line ends before it
        folded = ical.fold("X" * 74 + "ø" + "Y")
        first, rest = folded.split("\r\n")
        assert first == "X" * 74 and rest == " øY"
        long = "æ" * 200
        assert all(len(part.encode()) <= 75 for part in ical.fold(long).split("\r\n"))
        assert "".join(p[1:] if i else p for i, p in enumerate(ical.fold(long).split("\r\n"))) == long

    def test_an_event_without_a_time_zone_is_refused(self):
        with pytest.raises(ValueError, match="time zone"):
            ical.calendar(
                events=[ical.Event(uid="x", summary="x", start=datetime.datetime(2026, 1, 1), stamp=timezone.now())],
                name="x",
            )

    def test_a_calendar_in_english_is_said_so(self):
        with translation.override("en"):
            text_ = ical.calendar(events=[], name="Year wheel", language="en")
        assert "PRODID:-//POGI//Year wheel//EN\r\n" in text_ and text_.endswith("END:VCALENDAR\r\n")
