"""The client's address, as every rate limit and the security log see it.

Behind the TLS proxy ``REMOTE_ADDR`` is the proxy's own address, so counting
it would throttle every visitor together. The client is read the way
django-allauth reads it for its login limits: from ``X-Forwarded-For``,
trusting as many proxies as ``ALLAUTH_TRUSTED_PROXY_COUNT`` says (or from the
header ``ALLAUTH_TRUSTED_CLIENT_IP_HEADER`` names), so the portal's own limits
and allauth's always agree on who a client is.
"""

from allauth.core.internal.httpkit import get_client_ip
from django.core.exceptions import ImproperlyConfigured


def client_ip(request) -> str:
    """The client's IP address, or ``"unknown"`` when the request carries none that parses."""
    try:
        ip = get_client_ip(request)
    except ImproperlyConfigured:
        # Fewer X-Forwarded-For entries than trusted proxies: the request did not come through them all.
        ip = request.META.get("REMOTE_ADDR")
    return ip or "unknown"
