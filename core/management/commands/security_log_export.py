from datetime import datetime, time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from core import security_log


class Command(BaseCommand):
    help = "Write the security log as JSON lines (one event a line, oldest first) for a SIEM."

    def add_arguments(self, parser):
        parser.add_argument("--since", help="Only events at or after this date or ISO time (e.g. 2026-01-31).")
        parser.add_argument("--output", help="Write to this file instead of standard output.")

    def handle(self, *args, since=None, output=None, **options):
        start = None
        if since:
            start = parse_datetime(since)
            if start is None:
                day = parse_date(since)
                if day is None:
                    raise CommandError(f"--since {since!r} is neither a date nor an ISO time.")
                start = datetime.combine(day, time.min)
            if timezone.is_naive(start):
                start = timezone.make_aware(start)
        events = security_log.security_events(since=start)
        count = events.count()
        if output:
            with open(output, "w", encoding="utf-8") as stream:
                stream.writelines(security_log.security_events_jsonl(events))
        else:
            for line in security_log.security_events_jsonl(events):
                self.stdout.write(line, ending="")
        security_log.security_event_record(
            event=security_log.Event.SECURITY_LOG_EXPORT,
            details={"via": "command", "since": since or "", "count": count},
        )
