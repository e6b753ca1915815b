"""Redis stopped or frozen: the portal keeps answering (needs PostgreSQL and redis-server).

Each test starts its own redis-server on a free port between 6390 and 6399,
points the cache (and, where it matters, the Celery broker) at it, and then
stops it (SIGTERM) or freezes it (SIGSTOP, thawed with SIGCONT afterwards).
The shared Redis is never touched.
"""

import os
import random
import shutil
import signal
import socket
import subprocess
import time

import pytest
from django.core.cache import cache

import core.cache
import core.enqueue
from followup.models import GoalAnswer, Response
from pogi.celery import app as celery_app
from tests.conftest import service_missing
from tests.factories import PASSWORD
from tests.followup import conftest as followup_world
from tests.followup.conftest import complete
from tests.followup.test_views import goal_post, url

pytestmark = [pytest.mark.services, pytest.mark.django_db]

# The follow-up world's fixtures: two goals, an open round, organisation A's response.
goals = followup_world.goals
open_round = followup_world.open_round
response_a = followup_world.response_a

FAST = 2.0  # seconds: what "answers at once" means here, with the cache's 0.5 s socket timeouts


def _port_free(port: int) -> bool:
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as redis-server binds: TIME_WAIT is free
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


class OwnRedis:
    """A throwaway redis-server that a test may stop or freeze."""

    def __init__(self, tmp_path):
        binary = shutil.which("redis-server")
        if binary is None:
            service_missing("redis-server is not installed")
        # A random free port: a port just given up by another test's stopped Redis (another xdist worker,
        # another checkout) is less likely to be taken over while this test still expects it closed.
        ports = list(range(6390, 6400))
        random.shuffle(ports)
        port = next((p for p in ports if _port_free(p)), None)
        if port is None:
            service_missing("no free port between 6390 and 6399 for a redis-server of its own")
        self.port = port
        self.url = f"redis://127.0.0.1:{port}/0"
        self.process = subprocess.Popen(
            [binary, "--port", str(port), "--save", "", "--appendonly", "no", "--dir", str(tmp_path)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self.frozen = False
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.2) as conn:
                    conn.sendall(b"PING\r\n")
                    if conn.recv(16).startswith(b"+PONG"):
                        return
            except OSError:
                time.sleep(0.05)
        self.close()
        pytest.fail(f"redis-server on port {port} did not start")

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=10)

    def freeze(self):
        os.kill(self.process.pid, signal.SIGSTOP)
        self.frozen = True

    def close(self):
        if self.process.poll() is None:
            if self.frozen:
                os.kill(self.process.pid, signal.SIGCONT)
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def _reset_outage_state():
    core.cache._down_until.clear()
    core.cache._warned_at.clear()
    core.enqueue._skip_until = 0.0


@pytest.fixture
def own_redis(require_postgres, tmp_path, settings, monkeypatch):
    """The cache and the Celery broker on a redis-server of the test's own, as production configures them."""
    redis = OwnRedis(tmp_path)
    _reset_outage_state()
    # Celery first: its configuration is read from the Django settings when first used, and must be read
    # before they are overridden below, or the overridden values would outlive the test.
    # Tasks go to the broker, as in production (no worker listens: only the enqueueing is under test).
    monkeypatch.setitem(celery_app.conf, "task_always_eager", False)
    for name in ("broker_url", "broker_read_url", "broker_write_url"):
        monkeypatch.setitem(celery_app.conf, name, redis.url)
    monkeypatch.setitem(celery_app.conf, "result_backend", None)
    monkeypatch.setattr(celery_app, "_pool", None)
    monkeypatch.setattr(celery_app.amqp, "_producer_pool", None)
    settings.CACHES = {
        "default": {
            "BACKEND": "core.cache.TolerantRedisCache",
            "LOCATION": redis.url,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5, "retry_after": 5},
        }
    }
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.db"  # as pogi.settings.production
    settings.CELERY_TASK_ALWAYS_EAGER = False  # read by /healthz's broker check
    settings.CELERY_BROKER_URL = redis.url
    cache.set("outage-test", "up")
    assert cache.get("outage-test") == "up", "the cache does not use the test's own Redis"
    try:
        yield redis
    finally:
        redis.close()
        _reset_outage_state()


@pytest.fixture(params=["stopped", "frozen"])
def redis_failure(request, own_redis):
    """The test's Redis, after it has been stopped or frozen."""
    if request.param == "stopped":
        own_redis.stop()
    else:
        own_redis.freeze()
    return request.param


def timed(call):
    started = time.monotonic()
    result = call()
    return result, time.monotonic() - started


def test_signed_in_pages_answer_while_redis_is_down(client, response_a, rep_a, secretariat_user, redis_failure):
    # given a representative and the secretariat signed in, and Redis gone
    client.force_login(rep_a)
    # when they open their pages, then each answers 200 at once
    for path in ["/dashboard/", url("response-detail", response_a), url("response-goal", response_a, number=5)]:
        reply, seconds = timed(lambda path=path: client.get(path))
        assert reply.status_code == 200, path
        assert seconds < FAST, f"{path} took {seconds:.2f} s with Redis {redis_failure}"
    client.force_login(secretariat_user)
    reply, seconds = timed(lambda: client.get("/followup/rounds/"))
    assert reply.status_code == 200 and seconds < FAST
    # and an anonymous visitor gets the cached public pages freshly rendered
    client.logout()
    reply, seconds = timed(lambda: client.get("/goals/"))
    assert reply.status_code == 200 and seconds < FAST


def test_signing_in_works_while_redis_is_down(client, rep_a, redis_failure):
    # given Redis gone (allauth's rate limits live in the cache)
    # when the representative signs in with the right password
    reply, seconds = timed(lambda: client.post("/accounts/login/", {"login": rep_a.email, "password": PASSWORD}))
    # then the sign-in succeeds at once, and the session (in the database) carries them on
    assert reply.status_code == 302, reply.content.decode()[:500]
    assert seconds < 2 * FAST
    assert client.get("/dashboard/").status_code == 200
    # and a wrong password is still refused with the form, not an error page
    client.logout()
    reply = client.post("/accounts/login/", {"login": rep_a.email, "password": "wrong-password-2026"})
    assert reply.status_code == 200


def test_a_follow_up_answer_is_saved_while_redis_is_down(client, response_a, rep_a, goals, redis_failure):
    # given a representative signed in, and Redis gone
    client.force_login(rep_a)
    # when they save their answer to goal 5
    reply, seconds = timed(
        lambda: client.post(
            url("response-goal", response_a, number=5), goal_post(0, challenges="Skrevet under nedbrud")
        )
    )
    # then it is stored, and they go on to the next goal
    assert reply.status_code == 302 and seconds < FAST
    assert GoalAnswer.objects.get(response=response_a, goal_version=goals[0]).challenges == "Skrevet under nedbrud"


def test_submitting_while_the_broker_is_down_keeps_the_submission(
    client, response_a, rep_a, goals, redis_failure, django_capture_on_commit_callbacks, caplog
):
    # given a complete response, and the broker (Redis) gone: the receipt cannot be queued
    complete(response_a, rep_a, goals)
    client.force_login(rep_a)
    response_a.refresh_from_db()
    # when the representative submits (the receipt is enqueued after commit)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        reply, seconds = timed(
            lambda: client.post(url("response-check", response_a), {"version": response_a.version, "confirm": "on"})
        )
    # then the submission stands and the page answers, not a server error
    assert reply.status_code == 302, reply.content.decode()[:500]
    assert reply.url == url("response-receipt", response_a)
    assert Response.objects.get(pk=response_a.pk).status == Response.Status.SUBMITTED
    assert callbacks and seconds < FAST, f"submitting took {seconds:.2f} s with Redis {redis_failure}"
    # and the operators find the receipt that could not be queued in the log
    assert "followup.tasks.response_receipt_send" in caplog.text
    assert "Could not enqueue" in caplog.text or "The broker is slow" in caplog.text


def test_healthz_answers_within_two_seconds_and_names_no_error(client, secretariat_user, redis_failure):
    # when a monitor asks while Redis is gone
    reply, seconds = timed(lambda: client.get("/healthz"))
    # then it answers 503 within 2 s, saying only which service is unavailable
    assert seconds < 2.0, f"/healthz took {seconds:.2f} s with Redis {redis_failure}"
    assert reply.status_code == 503
    assert reply.json() == {
        "status": "unavailable",
        "checks": {"database": "ok", "cache": "unavailable", "broker": "unavailable"},
    }
    body = reply.content.decode()
    for name in ("Error", "Exception", "Timeout", "redis", "6379", "63"):
        assert name not in body
    # and the detail is refused to the public
    assert client.get("/healthz/detail").status_code == 302  # to the sign-in page
    # when the secretariat looks at the detail
    client.force_login(secretariat_user)
    reply, seconds = timed(lambda: client.get("/healthz/detail"))
    # then it names the failure and how long the check took
    assert reply.status_code == 503 and seconds < 2.0
    detail = reply.json()["details"]
    assert detail["database"]["status"] == "ok" and detail["database"]["error"] == ""
    assert detail["cache"]["status"] == "unavailable"
    assert "Error" in detail["cache"]["error"]  # e.g. "ConnectionError: …" or "TimeoutError: …"
    assert detail["cache"]["seconds"] <= 2.0


def test_healthz_detail_with_the_monitoring_token(client, settings, own_redis):
    settings.HEALTHZ_TOKEN = "monitor-token-0123456789"
    # given Redis healthy: the public answer and the detail are 200
    assert client.get("/healthz").status_code == 200
    reply = client.get("/healthz/detail", headers={"X-Healthz-Token": "monitor-token-0123456789"})
    assert reply.status_code == 200 and reply.json()["details"]["cache"]["status"] == "ok"
    # a wrong token is treated like any anonymous visitor
    assert client.get("/healthz/detail", headers={"X-Healthz-Token": "guess"}).status_code == 302
    # when Redis is stopped, the token shows what failed
    own_redis.stop()
    reply = client.get("/healthz/detail", headers={"X-Healthz-Token": "monitor-token-0123456789"})
    assert reply.status_code == 503 and reply.json()["details"]["cache"]["error"].startswith("ConnectionError")


def test_the_cache_comes_back_after_the_outage(own_redis):
    # given a frozen Redis: writes are dropped and reads are misses, without raising
    own_redis.freeze()
    cache.set("k", "v")
    assert cache.get("k") is None
    assert cache.add("lock", True) is True  # allauth's cache lock and rate limits fail open
    assert cache.incr("counter") == 1
    # when Redis is thawed and the retry interval has passed
    os.kill(own_redis.process.pid, signal.SIGCONT)
    own_redis.frozen = False
    core.cache._down_until.clear()
    # then the cache works again
    cache.set("k", "v")
    assert cache.get("k") == "v"
