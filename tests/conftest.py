"""Shared fixtures: factories, role users, and the gate for tests that need real services.

With REQUIRE_SERVICES=1 (set by .ci/run) a test that needs PostgreSQL, Redis,
a Celery worker or Chromium fails when the service is missing instead of
being skipped.
"""

import os
import shutil
import signal
import socket
import subprocess
import sys
import uuid
from pathlib import Path
from urllib.parse import urlparse

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.conf import settings
from django.core.cache import cache
from django.db import connection
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


def reauthenticated(client, user):
    """The client's session as just after re-authenticating (allauth's own record), for the guarded changes."""
    import time

    session = client.session
    session["account_authentication_methods_user"] = str(user.pk)
    session["account_authentication_methods"] = [{"method": "mfa", "at": time.time(), "reauthenticated": True}]
    session.save()
    return client


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


@pytest.fixture
def celery_workers(require_postgres, require_redis, transactional_db, tmp_path, monkeypatch):
    """Start and stop real Celery workers on one private queue; every email they send lands in one directory."""
    from pogi.celery import app as celery_app

    queue = f"pogi-test-{uuid.uuid4().hex[:8]}"
    db = connection.settings_dict
    database_url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    mail_dir = tmp_path / "mail"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "pogi.settings.test",
        "DATABASE_URL": database_url,
        "CELERY_BROKER_URL": require_redis,
        "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(mail_dir),
        "C_FORCE_ROOT": "1",
    }
    monkeypatch.setitem(celery_app.conf, "task_always_eager", False)
    monkeypatch.setitem(celery_app.conf, "task_default_queue", queue)
    monkeypatch.setitem(celery_app.conf, "broker_url", require_redis)
    monkeypatch.setitem(celery_app.conf, "result_backend", require_redis)
    running = []

    def start(name: str, **extra_env: str):
        log = open(tmp_path / f"{name}.log", "w")  # noqa: SIM115
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "pogi",
                "worker",
                "-Q",
                queue,
                "--pool",
                "solo",
                "-n",
                f"{name}@%h",
                "-l",
                "info",
            ],
            cwd=Path(settings.BASE_DIR),
            env={**env, **extra_env},
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        running.append((process, log, name))
        from members.tasks import ping

        assert ping.apply_async(queue=queue).get(timeout=60) == "pong"
        return process

    def stop(process):
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

    try:
        yield {"queue": queue, "mail_dir": mail_dir, "start": start, "stop": stop}
    finally:
        for process, log, name in running:
            if process.poll() is None:
                stop(process)
            log.close()
            if os.environ.get("REQUIRE_SERVICES") == "1" or process.returncode not in (0, -signal.SIGTERM):
                print((tmp_path / f"{name}.log").read_text()[-3000:])
