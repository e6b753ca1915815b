"""The security log: record an event, purge old ones, export them as JSON lines for a SIEM.

Every entry has its time, user (and the email typed), client IP (the same
``core.network.client_ip`` the rate limits count), user agent, event type and
details. Entries are kept for ``POGI_SECURITY_LOG_DAYS`` days; the beat task
``core.tasks.security_log_purge`` deletes older ones.
"""

import json
import logging
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from .models import SecurityEvent
from .network import client_ip

Event = SecurityEvent.Event
logger = logging.getLogger("pogi.security")


def security_event_record(
    *,
    event: str,
    request: Any = None,
    user: Any = None,
    email: str = "",
    details: dict[str, Any] | None = None,
) -> SecurityEvent:
    """Store one event (and write it to the ``pogi.security`` logger); never raises for a missing request or user."""
    if user is None and request is not None:
        candidate = getattr(request, "user", None)
        if candidate is not None and candidate.is_authenticated:
            user = candidate
    if user is not None and not getattr(user, "pk", None):
        user = None
    ip = client_ip(request) if request is not None else None
    entry = SecurityEvent.objects.create(
        event=event,
        user=user,
        email=(email or getattr(user, "email", "") or "")[:254],
        ip=ip if ip and ip != "unknown" else None,
        user_agent=(request.META.get("HTTP_USER_AGENT", "") if request is not None else "")[:300],
        path=(request.path if request is not None else "")[:300],
        details=details or {},
    )
    logger.info("security event %s", event, extra={"security_event": as_dict(entry)})
    return entry


def security_events_purge(*, now: datetime | None = None) -> int:
    """Delete the entries older than ``POGI_SECURITY_LOG_DAYS``; returns how many went."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.POGI_SECURITY_LOG_DAYS)
    deleted, _ = SecurityEvent.objects.filter(created_at__lt=cutoff).delete()
    return deleted


def as_dict(entry: SecurityEvent) -> dict[str, Any]:
    return {
        "id": entry.pk,
        "time": entry.created_at.isoformat(),
        "event": entry.event,
        "user_id": entry.user_id,
        "email": entry.email,
        "ip": entry.ip,
        "user_agent": entry.user_agent,
        "path": entry.path,
        "details": entry.details,
    }


def security_events(*, since: datetime | None = None) -> QuerySet[SecurityEvent]:
    events = SecurityEvent.objects.order_by("created_at", "id")
    if since is not None:
        events = events.filter(created_at__gte=since)
    return events


def security_events_jsonl(events: QuerySet[SecurityEvent]) -> Iterator[str]:
    """One JSON object a line, oldest first (a SIEM reads it as it comes)."""
    for entry in events.order_by("created_at", "id").iterator(chunk_size=2000):
        yield json.dumps(as_dict(entry), ensure_ascii=False, sort_keys=True) + "\n"
