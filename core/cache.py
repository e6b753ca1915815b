"""A Redis cache that degrades to "nothing cached" when Redis fails, instead of failing the request.

Everything the portal keeps in the cache can be lost without harm: whole pages
for anonymous visitors (``core.pagecache``), charts, open-data files, allauth's
rate-limit counters and its "TOTP code used" marks. Sessions are not kept here
(production stores them in the database), so an outage never signs anyone out
and never loses a saved answer.

When Redis refuses, times out or answers with an error:

- a read is a miss (``get`` returns the default, ``get_many`` nothing,
  ``has_key`` False);
- a write is dropped (``set``, ``set_many``, ``delete``, ``touch``, ``clear``);
- ``add`` answers True, as if the key was stored, and ``incr``/``decr`` answer
  ``delta`` as for a new counter, so allauth's rate limits and its cache lock
  fail open: people can still sign in, and the limits count again as soon as
  Redis is back;
- a warning is logged at most once per ``WARN_EVERY`` seconds per process, and
  for ``retry_after`` seconds (the ``OPTIONS`` key, default 5) the process does
  not ask Redis at all, so a frozen Redis costs one socket timeout per process
  and interval, not one per cache call.

``probe`` asks Redis regardless and raises its error, for the health check.
"""

import logging
import threading
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

ERRORS = (RedisError, OSError)
WARN_EVERY = 60.0

# Per location and process: Django makes one cache object per thread, the outage is the same for all.
_state_lock = threading.Lock()
_down_until: dict[str, float] = {}
_warned_at: dict[str, float] = {}


class TolerantRedisCache(RedisCache):
    """Django's Redis cache, with every error treated as a miss (see the module's docstring)."""

    def __init__(self, server, params):
        params = {**params, "OPTIONS": dict(params.get("OPTIONS") or {})}
        self.retry_after = float(params["OPTIONS"].pop("retry_after", 5))
        super().__init__(server, params)
        self._location = str(server)

    # --- outage bookkeeping ----------------------------------------------------------------------

    def is_down(self) -> bool:
        """True while this process skips Redis after a recent failure."""
        return time.monotonic() < _down_until.get(self._location, 0.0)

    def _failed(self, operation: str, exc: BaseException) -> None:
        now = time.monotonic()
        with _state_lock:
            _down_until[self._location] = now + self.retry_after
            warn = now - _warned_at.get(self._location, -WARN_EVERY) >= WARN_EVERY
            if warn:
                _warned_at[self._location] = now
        if warn:
            logger.warning(
                "Cache unavailable (%s on %s: %s); serving without it for now", type(exc).__name__, operation, exc
            )

    def _call(self, operation: str, fallback, method, *args, **kwargs):
        if self.is_down():
            return fallback
        try:
            return method(*args, **kwargs)
        except ERRORS as exc:
            self._failed(operation, exc)
            return fallback

    def probe(self) -> None:
        """Write, read and delete a key in Redis; raise whatever goes wrong (for /healthz)."""
        key = f"healthz:{time.monotonic_ns()}"
        super().set(key, "1", 5)
        if super().get(key) != "1":
            raise RuntimeError("the cache did not return the value written")
        super().delete(key)
        with _state_lock:
            _down_until.pop(self._location, None)

    # --- the cache API -----------------------------------------------------------------------------

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("add", True, super().add, key, value, timeout, version)

    def get(self, key, default=None, version=None):
        return self._call("get", default, super().get, key, default, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set", None, super().set, key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("touch", False, super().touch, key, timeout, version)

    def delete(self, key, version=None):
        return self._call("delete", False, super().delete, key, version)

    def get_many(self, keys, version=None):
        return self._call("get_many", {}, super().get_many, keys, version)

    def has_key(self, key, version=None):
        return self._call("has_key", False, super().has_key, key, version)

    def incr(self, key, delta=1, version=None):
        return self._call("incr", delta, super().incr, key, delta, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set_many", list(data), super().set_many, data, timeout, version)

    def delete_many(self, keys, version=None):
        return self._call("delete_many", None, super().delete_many, keys, version)

    def clear(self):
        return self._call("clear", False, super().clear)
