"""Service checks for /healthz: database, cache and Celery broker, each within a hard deadline.

The checks run side by side in a small pool of threads, and the answer waits
at most ``HEALTHZ_TIMEOUT`` seconds (default 1.5) for all of them: a service
that hangs (a frozen Redis, a database that does not answer) is reported as
unavailable when the time is up, and its thread is left to its own socket or
statement timeout. The pool is bounded, so a service that stays hung cannot
pile up threads: once every thread waits on it, the next checks simply time
out too.

``run_checks`` returns the detail (the exception's class and text, seconds
taken); the public /healthz shows only "ok" or "unavailable" per service
(``public_summary``), the detail goes to ``/healthz/detail``.
"""

import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import connection

OK = "ok"
IN_PROCESS = "in-process"
UNAVAILABLE = "unavailable"


@dataclass(frozen=True)
class CheckResult:
    status: str  # OK, IN_PROCESS or UNAVAILABLE
    seconds: float
    error: str = ""

    @property
    def healthy(self) -> bool:
        return self.status != UNAVAILABLE


def _timeout() -> float:
    return float(getattr(settings, "HEALTHZ_TIMEOUT", 1.5))


def check_database() -> str:
    try:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # A query that hangs is stopped by the server too, not only abandoned by the deadline.
                cursor.execute("SET statement_timeout = %s", [int(_timeout() * 1000)])
            cursor.execute("SELECT 1")
            cursor.fetchone()
    finally:
        # The check runs in a pool thread: its connection must not outlive the check.
        connection.close()
    return OK


def check_cache() -> str:
    probe = getattr(cache, "probe", None)
    if probe is not None:
        probe()  # core.cache.TolerantRedisCache hides errors from the pages, not from this check
        return OK
    key = f"healthz:{uuid.uuid4().hex}"
    cache.set(key, "1", timeout=5)
    ok = cache.get(key) == "1"
    cache.delete(key)
    if not ok:
        raise RuntimeError("cache did not return the value written")
    return OK


def check_broker() -> str:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return IN_PROCESS
    from kombu import Connection

    seconds = _timeout()
    options = {"socket_timeout": seconds, "socket_connect_timeout": seconds}
    with Connection(settings.CELERY_BROKER_URL, connect_timeout=seconds, transport_options=options) as conn:
        conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0.2, timeout=seconds)
        if conn.transport_cls in ("redis", "rediss"):
            conn.default_channel.client.ping()  # the Redis transport connects lazily
    return OK


CHECKS: dict[str, Callable[[], str]] = {"database": check_database, "cache": check_cache, "broker": check_broker}

_pool: ThreadPoolExecutor | None = None


def _executor() -> ThreadPoolExecutor:
    # Made on first use, so each gunicorn worker (forked) has its own threads.
    global _pool
    if _pool is None:
        _pool = ThreadPoolExecutor(max_workers=2 * len(CHECKS), thread_name_prefix="healthz")
    return _pool


def _timed(check: Callable[[], str]) -> tuple[str, float]:
    started = time.monotonic()
    status = check()
    return status, time.monotonic() - started


def run_checks() -> tuple[bool, dict[str, CheckResult]]:
    """Run every check at once; whatever has not answered by the deadline is unavailable."""
    timeout = _timeout()
    started = time.monotonic()
    deadline = started + timeout
    futures = {name: _executor().submit(_timed, check) for name, check in CHECKS.items()}
    results: dict[str, CheckResult] = {}
    for name, future in futures.items():
        try:
            status, seconds = future.result(timeout=max(0.0, deadline - time.monotonic()))
            results[name] = CheckResult(status=status, seconds=round(seconds, 3))
        except FutureTimeout:
            future.cancel()
            results[name] = CheckResult(
                status=UNAVAILABLE,
                seconds=round(time.monotonic() - started, 3),
                error=f"TimeoutError: no answer within {timeout:g} s",
            )
        except Exception as exc:  # noqa: BLE001 - a health check reports every failure
            results[name] = CheckResult(
                status=UNAVAILABLE,
                seconds=round(time.monotonic() - started, 3),
                error=f"{type(exc).__name__}: {exc}"[:500],
            )
    return all(r.healthy for r in results.values()), results


def public_summary(healthy: bool, results: dict[str, CheckResult]) -> dict:
    """What anyone may see: ok or unavailable, per service and overall; no error names or timings."""
    return {"status": OK if healthy else UNAVAILABLE, "checks": {name: r.status for name, r in results.items()}}


def detail(healthy: bool, results: dict[str, CheckResult]) -> dict:
    """For the secretariat and monitoring: the errors and how long each check took."""
    return {
        **public_summary(healthy, results),
        "timeout_seconds": _timeout(),
        "details": {name: {"status": r.status, "seconds": r.seconds, "error": r.error} for name, r in results.items()},
    }
