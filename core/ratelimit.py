"""A fixed-window rate limit in the shared cache, for the few pages that stay expensive per request.

Keyed by the signed-in user, or by the client's address for anonymous
visitors (``core.network.client_ip``: behind the TLS proxy, the client's own
address, read as allauth's login limits read it). Over the limit the view answers 429 with a
message a person can act on and a ``Retry-After``.
"""

from django.core.cache import cache
from django.http import HttpResponse
from django.utils.translation import gettext as _

from .network import client_ip


def _who(request) -> str:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    return f"ip:{client_ip(request)}"


def exceeded(request, scope: str, *, limit: int, seconds: int = 60) -> bool:
    """Count this request against the scope; True when it is more than ``limit`` within the window.

    The window starts at the first request (``counted_over``), not at a wall-clock minute: a burst that
    crosses a minute's boundary is counted as one, so it never gets twice the limit.
    """
    return counted_over(f"ratelimit:{scope}:{_who(request)}", limit=limit, seconds=seconds)


def counted_over(key: str, *, limit: int, seconds: int) -> bool:
    """Count one more under ``key`` (a window of ``seconds`` from the first); True when that is more than ``limit``."""
    if cache.add(key, 1, seconds):
        return limit < 1
    try:
        return cache.incr(key) > limit
    except ValueError:  # expired between add and incr
        cache.set(key, 1, seconds)
        return limit < 1


def too_many_requests(*, seconds: int = 60) -> HttpResponse:
    text = (
        _("Too many requests in a short time. Wait a minute and try again.")
        if seconds <= 60
        else _("Too many requests in a short time. Try again in an hour.")
    )
    response = HttpResponse(
        text,
        status=429,
        content_type="text/plain; charset=utf-8",
    )
    response["Retry-After"] = str(seconds)
    response["Cache-Control"] = "no-store"
    return response
