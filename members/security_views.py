"""The secretariat's view of the security log, and its download as JSON lines (itself logged)."""

from django.conf import settings
from django.core.paginator import Paginator
from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone

from core.models import SecurityEvent
from core.security_log import Event, security_event_record, security_events_jsonl

from .access import secretariat_required
from .security_filters import SecurityEventFilter

EVENTS_PER_PAGE = 50


def _filtered(request):
    events = SecurityEvent.objects.order_by("-created_at", "-id")  # the page shows the email typed, not the user
    return SecurityEventFilter(request.GET or None, queryset=events)


@secretariat_required
def secretariat_security_log(request):
    filtered = _filtered(request)
    page = Paginator(filtered.qs, EVENTS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "members/secretariat_security_log.html",
        {
            "filter": filtered,
            "page": page,
            "query": query.urlencode(),
            "settings_days": settings.POGI_SECURITY_LOG_DAYS,
        },
    )


@secretariat_required
def secretariat_security_log_export(request):
    filtered = _filtered(request)
    events = filtered.qs
    security_event_record(
        event=Event.SECURITY_LOG_EXPORT,
        request=request,
        details={"via": "download", "filters": {k: v for k, v in request.GET.items() if k != "page"}},
    )
    response = StreamingHttpResponse(security_events_jsonl(events), content_type="application/x-ndjson; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="pogi-security-log-{timezone.localdate():%Y-%m-%d}.jsonl"'
    response["Cache-Control"] = "private, no-store"
    return response
