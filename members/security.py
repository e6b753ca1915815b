"""Account security: sign-in back-off instead of lock-out, known devices, security emails.

The design (docs/security.md):

- Failed passwords slow down, they never lock an account (ASVS V2.2.1 / 5.0 V6.3.1).
  Failures are counted per account and client address (the pair), and per
  account and known device. After ``free_failures`` the next attempt must wait
  ``first_delay_seconds``, doubling with each further failure up to
  ``max_delay_seconds``. A guesser slows only themself.
- Failures against one account from every address together count too; past
  ``account_free_failures`` the account slows down for browsers that have never
  signed in to it. The owner's own browser carries a signed device cookie
  (set at each successful sign-in) and is counted on its own, so a distributed
  attack does not keep the owner out; a password reset clears every count.
- When an account starts to slow down, its owner gets one email per
  ``notice_every_seconds`` with a link to reset the password.
"""

import hashlib
import secrets
import time
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from core.emails import compose, recipient_languages, send_later
from core.network import client_ip

DEVICE_SALT = "pogi.members.device"
DEVICE_MAX_AGE = 400 * 24 * 60 * 60  # the longest a browser keeps a cookie
DEVICE_ACCOUNTS = 5  # accounts remembered per browser


def _config() -> dict[str, int]:
    return settings.POGI_LOGIN_BACKOFF


def account_key(email: str) -> str:
    """The account's name in the counters and the device cookie (a hash: no address in the cache or cookie)."""
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()[:24]


# --- the known-device cookie ----------------------------------------------------------------


def device_read(request) -> dict[str, Any] | None:
    raw = request.COOKIES.get(settings.POGI_DEVICE_COOKIE)
    if not raw:
        return None
    try:
        value = signing.loads(raw, salt=DEVICE_SALT, max_age=DEVICE_MAX_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(value, dict) or not isinstance(value.get("d"), str) or not isinstance(value.get("a"), list):
        return None
    return value


def device_known_for(request, email: str) -> str | None:
    """The device's id when this browser has signed in to this account before, else None."""
    device = device_read(request)
    if device is not None and account_key(email) in device["a"]:
        return device["d"]
    return None


def device_remember(request, response, email: str) -> bool:
    """Put the account in the browser's signed device cookie; True when the browser did not know it yet."""
    device = device_read(request) or {"d": secrets.token_urlsafe(16), "a": []}
    key = account_key(email)
    new = key not in device["a"]
    device["a"] = [key, *[k for k in device["a"] if k != key]][:DEVICE_ACCOUNTS]
    if response is not None:
        response.set_cookie(
            settings.POGI_DEVICE_COOKIE,
            signing.dumps(device, salt=DEVICE_SALT),
            max_age=DEVICE_MAX_AGE,
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
            samesite="Lax",
        )
    return new


# --- the back-off ------------------------------------------------------------------------------


def _generation(account: str) -> int:
    # A password reset moves the account to a new generation of counters: all its old ones are gone at once.
    return cache.get(f"login-backoff:generation:{account}", 0)


def _buckets(request, email: str) -> list[tuple[str, int]]:
    """The counters an attempt is checked against and counted in, each with its free failures."""
    config = _config()
    account = account_key(email)
    prefix = f"login-backoff:{account}:{_generation(account)}"
    device = device_known_for(request, email)
    if device is not None:
        return [(f"{prefix}:device:{device}", config["free_failures"])]
    return [
        (f"{prefix}:pair:{client_ip(request)}", config["free_failures"]),
        (f"{prefix}:account", config["account_free_failures"]),
    ]


def delay_after(failures: int, free: int) -> int:
    """Seconds to wait after ``failures`` failed attempts, with ``free`` of them free of delay."""
    config = _config()
    if failures <= free:
        return 0
    return min(config["first_delay_seconds"] * 2 ** (failures - free - 1), config["max_delay_seconds"])


def backoff_wait(request, email: str, *, now: float | None = None) -> int:
    """Seconds this request must still wait before it may try this account's password (0: it may)."""
    now = time.time() if now is None else now
    wait = 0
    for key, free in _buckets(request, email):
        state = cache.get(key)
        if state:
            wait = max(wait, int(state["last"] + delay_after(state["failures"], free) - now + 0.999))
    return max(wait, 0)


def backoff_failure(request, email: str, *, now: float | None = None) -> int:
    """Count a failed password; returns the delay it starts (0: none yet)."""
    now = time.time() if now is None else now
    window = _config()["window_seconds"]
    delay = 0
    for key, free in _buckets(request, email):
        state = cache.get(key) or {"failures": 0, "last": now}
        state = {"failures": state["failures"] + 1, "last": now}
        cache.set(key, state, window)
        delay = max(delay, delay_after(state["failures"], free))
    return delay


def backoff_success(request, email: str) -> None:
    """A right password from this address or device: its own count starts again (the account-wide one does not)."""
    for key, _free in _buckets(request, email):
        if ":account:" not in key:
            cache.delete(key)


def backoff_clear(email: str) -> None:
    """A password reset: the owner proved access to the mailbox, so every count of the account starts again."""
    account = account_key(email)
    cache.set(f"login-backoff:generation:{account}", _generation(account) + 1, None)


# --- emails -------------------------------------------------------------------------------------


def _send(template: str, user, context: dict[str, Any], path) -> None:
    send_later(
        compose(template, {"user": user, **context}, to=[user.email], path=path, languages=recipient_languages(user))
    )


def throttled_notice_send(*, request, user) -> bool:
    """Tell the owner someone is guessing the password; at most once per ``notice_every_seconds``."""
    if not cache.add(f"login-notice:{user.pk}", 1, _config()["notice_every_seconds"]):
        return False
    _send(
        "members/email/login_throttled",
        user,
        {"ip": client_ip(request), "when": timezone.now()},
        path=lambda: reverse("account_reset_password"),
    )
    return True


def new_device_notice_send(*, request, user) -> None:
    """Tell the owner of a sign-in from a browser that had not signed in to the account before."""
    _send(
        "members/email/new_device",
        user,
        {
            "ip": client_ip(request),
            "user_agent": request.META.get("HTTP_USER_AGENT", "")[:200],
            "site_url": settings.SITE_URL,
            "when": timezone.now(),
        },
        path=lambda: reverse("account_reset_password"),
    )
