"""Enqueueing a Celery task from a request without letting a broker outage fail or stall the request.

``enqueue`` is what a service passes to ``transaction.on_commit``: by then the
data is saved, so a broker that is down or frozen must not turn the answer
into a server error, nor keep the person waiting.

- The message is sent from a small pool of threads, and the request waits at
  most ``WAIT_SECONDS`` for it. A send still under way then goes on in the
  background and ends within the broker's socket timeouts (settings).
- A send that fails is logged and handed to ``on_failure`` (a service that
  records it, e.g. marks the report failed so it can be generated again).
- For ``SKIP_SECONDS`` after a failure or a slow send, the process does not
  try the broker again: the next requests fail over at once.

Tasks run in-process (``CELERY_TASK_ALWAYS_EAGER``) behave as before: their
errors propagate, as the tests expect.
"""

import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Any

from django.db import connections
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

WAIT_SECONDS = 1.5
SKIP_SECONDS = 10.0
_skip_until = 0.0
_pool: ThreadPoolExecutor | None = None
_pool_lock = threading.Lock()


def _broker_errors() -> tuple[type[BaseException], ...]:
    from kombu.exceptions import KombuError, OperationalError

    return (OperationalError, KombuError, RedisError, OSError, TimeoutError)


def _executor() -> ThreadPoolExecutor:
    global _pool
    with _pool_lock:
        if _pool is None:  # made on first use, so each forked gunicorn worker has its own
            _pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="enqueue")
        return _pool


def _failed(task: Any, args: tuple, exc: BaseException, on_failure: Callable[[BaseException], None] | None) -> None:
    global _skip_until
    _skip_until = time.monotonic() + SKIP_SECONDS
    logger.error("Could not enqueue %s%r: %s: %s", task.name, args, type(exc).__name__, exc)
    if on_failure is not None:
        on_failure(exc)


def _send(task: Any, args: tuple, kwargs: dict, on_failure: Callable[[BaseException], None] | None) -> bool:
    global _skip_until
    try:
        task.apply_async(args=args, kwargs=kwargs)
    except _broker_errors() as exc:
        try:
            _failed(task, args, exc, on_failure)
        finally:
            connections.close_all()  # the database connections of this pool thread only
        return False
    _skip_until = 0.0
    return True


def enqueue(task: Any, *args: Any, on_failure: Callable[[BaseException], None] | None = None, **kwargs: Any) -> bool:
    """Send ``task`` with the arguments; True when the broker took it in time (or it ran in-process)."""
    global _skip_until
    if task.app.conf.task_always_eager:
        task.apply_async(args=args, kwargs=kwargs)
        return True
    if time.monotonic() < _skip_until:
        _failed(task, args, OSError("the broker failed moments ago; not tried again yet"), on_failure)
        return False
    future = _executor().submit(_send, task, args, kwargs, on_failure)
    try:
        return future.result(timeout=WAIT_SECONDS)
    except FutureTimeout:
        _skip_until = time.monotonic() + SKIP_SECONDS
        logger.warning("The broker is slow: %s%r is still being sent in the background", task.name, args)
        return False
