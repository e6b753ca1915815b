"""Shared fixtures: factories, role users, and the gate for tests that need real services.

With REQUIRE_SERVICES=1 (set by .ci/run) a test that needs PostgreSQL, Redis,
a Celery worker or Chromium fails when the service is missing instead of
being skipped.
"""

import os
import shutil
import socket
from pathlib import Path
from urllib.parse import urlparse

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.conf import settings
from django.core.cache import cache
from django.utils import translation

from tests.factories import MembershipFactory, OrganisationFactory, RepresentativeFactory, UserFactory

# Playwright's sync API runs an event loop in the test thread; the ORM calls the
# tests make around it are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def service_missing(reason: str) -> None:
    """Skip the test, or fail it when the run requires every service."""
    if REQUIRE_SERVICES:
        pytest.fail(f"required service missing: {reason}", pytrace=False)
    pytest.skip(reason)


def _port_open(url: str, default_port: int) -> bool:
    parsed = urlparse(url)
    try:
        with socket.create_connection((parsed.hostname or "127.0.0.1", parsed.port or default_port), timeout=1):
            return True
    except OSError:
        return False


@pytest.fixture
def require_postgres():
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        service_missing("DATABASE_URL does not point at PostgreSQL")


@pytest.fixture
def require_redis():
    url = os.environ.get("CELERY_BROKER_URL", "")
    if not url.startswith("redis://") or not _port_open(url, 6379):
        service_missing("CELERY_BROKER_URL does not point at a reachable Redis")
    return url


@pytest.fixture
def require_chromium():
    if not (os.path.exists(CHROMIUM) or shutil.which("chromium")):
        service_missing(f"Chromium not found at {CHROMIUM}")
    return CHROMIUM


@pytest.fixture(autouse=True)
def _default_language():
    # A request to /en/… leaves English active in the thread; each test starts in Danish.
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _clean_cache():
    # Rate-limit counters and TOTP "code used" marks live in the cache.
    cache.clear()
    yield


@pytest.fixture
def private_media():
    return Path(settings.PRIVATE_MEDIA_ROOT)


def with_totp(user, secret: str = TOTP_SECRET):
    TOTP.activate(user, secret)
    return user


@pytest.fixture
def secretariat_user(db):
    return with_totp(UserFactory(is_secretariat=True, is_staff=True, name="Sekretariat Test"))


@pytest.fixture
def org_a(db):
    return MembershipFactory(organisation=OrganisationFactory(name="Testby Kommune")).organisation


@pytest.fixture
def org_b(db):
    return MembershipFactory(organisation=OrganisationFactory(name="Andenby Kommune")).organisation


@pytest.fixture
def rep_a(org_a):
    return RepresentativeFactory(organisation=org_a, position="primary").user


@pytest.fixture
def rep_b(org_b):
    return RepresentativeFactory(organisation=org_b, position="primary").user


@pytest.fixture
def secretariat_client(client, secretariat_user):
    client.force_login(secretariat_user)
    return client
