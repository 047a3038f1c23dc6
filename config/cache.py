"""A Redis cache that never breaks a request: a server down or too slow is a cache miss.

Django's RedisCache lets connection errors through, and Wagtail looks the site root up in the
same cache on every page (Site.find_for_request): with Redis down, every page was a 500.
ResilientRedisCache turns a connection error or a timeout into a miss (get, get_many, has_key,
touch, add: nothing found, nothing added), a no-op (set, set_many, delete, delete_many, clear) or
a missing key (incr, decr: ValueError, as for any absent key); get_or_set then computes the value
every time. It logs one warning when the server becomes unreachable and one when it answers
again, and leaves it alone for RETRY_SECONDS after a failure (so a page does not wait for one
timeout per cache call).

Short timeouts and no retry by default (OPTIONS of the backend override them):
socket_connect_timeout, socket_timeout and redis-py's Retry(NoBackoff(), 0).
"""

import logging
import threading
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.backoff import NoBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from redis.retry import Retry

logger = logging.getLogger(__name__)

UNAVAILABLE_ERRORS = (RedisConnectionError, RedisTimeoutError, OSError)
DEFAULT_OPTIONS = {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}
_UNAVAILABLE = object()


class ResilientRedisCache(RedisCache):
    """Django's RedisCache where an unreachable server degrades to a miss or a no-op."""

    # After a failure, calls skip the server for this long (then one call tries again).
    RETRY_SECONDS = 5.0

    def __init__(self, server, params):
        super().__init__(server, params)
        options = {**DEFAULT_OPTIONS, **self._options}
        options.setdefault("retry", Retry(NoBackoff(), 0))
        self._options = options
        self._lock = threading.Lock()
        self._unavailable = False
        self._retry_at = 0.0

    # The guard around every call of the server.

    def _call(self, fallback, method, *args):
        """method(*args), or `fallback` when the server is unreachable (or left alone)."""
        if self._unavailable and time.monotonic() < self._retry_at:
            return fallback
        try:
            result = method(*args)
        except UNAVAILABLE_ERRORS as error:
            self._failed(error)
            return fallback
        if self._unavailable:
            with self._lock:
                if self._unavailable:
                    self._unavailable = False
                    logger.warning("Cache Redis de nouveau disponible.")
        return result

    def _failed(self, error: Exception) -> None:
        with self._lock:
            self._retry_at = time.monotonic() + self.RETRY_SECONDS
            if self._unavailable:
                return
            self._unavailable = True
        logger.warning(
            "Cache Redis indisponible (%s) : les pages sont servies sans cache jusqu'à son retour.",
            error,
        )

    # Every method of RedisCache; the fallbacks follow Django's contract for a miss.

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(False, super().add, key, value, timeout, version)

    def get(self, key, default=None, version=None):
        return self._call(default, super().get, key, default, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self._call(None, super().set, key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(False, super().touch, key, timeout, version)

    def delete(self, key, version=None):
        return self._call(False, super().delete, key, version)

    def get_many(self, keys, version=None):
        return self._call({}, super().get_many, keys, version)

    def has_key(self, key, version=None):
        return self._call(False, super().has_key, key, version)

    def incr(self, key, delta=1, version=None):
        result = self._call(_UNAVAILABLE, super().incr, key, delta, version)
        if result is _UNAVAILABLE:
            raise ValueError(f"Key '{key}' not found (cache unavailable).")
        return result

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        # Django's contract: the keys that were not stored.
        return self._call(list(data), super().set_many, data, timeout, version)

    def delete_many(self, keys, version=None):
        self._call(None, super().delete_many, keys, version)

    def clear(self):
        return self._call(False, super().clear)
