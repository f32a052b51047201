"""The cache backend: Django's Redis cache that a Redis outage cannot turn into an error page.

Everything cached here (home cards, dashboard figures, rendered fragments) can be rebuilt from
the database, so while Redis is unreachable a read is a miss and a write is dropped (logged once
a minute per process), and the page is built afresh. Sessions and login throttling live in the
database, so nobody is signed out. Used when ``REDIS_URL`` is set (``CACHES`` in base.py).
"""
from __future__ import annotations

import logging
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache

log = logging.getLogger(__name__)
_last_warning = 0.0


def _unreachable(exc: Exception) -> bool:
    import redis

    return isinstance(exc, (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError, OSError))


def _warn(operation: str, exc: Exception) -> None:
    global _last_warning
    if time.monotonic() - _last_warning > 60:
        _last_warning = time.monotonic()
        log.warning("cache unreachable (%s: %s); pages are built without it", operation, exc)


class ResilientRedisCache(RedisCache):
    def _try(self, operation, default, *args, **kwargs):
        try:
            return getattr(super(), operation)(*args, **kwargs)
        except Exception as exc:
            if not _unreachable(exc):
                raise
            _warn(operation, exc)
            return default

    def get(self, key, default=None, version=None):
        return self._try("get", default, key, default, version)

    def get_many(self, keys, version=None):
        return self._try("get_many", {}, keys, version)

    def has_key(self, key, version=None):
        return self._try("has_key", False, key, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._try("set", None, key, value, timeout, version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._try("add", False, key, value, timeout, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._try("set_many", list(data), data, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._try("touch", False, key, timeout, version)

    def delete(self, key, version=None):
        return self._try("delete", False, key, version)

    def delete_many(self, keys, version=None):
        return self._try("delete_many", None, keys, version)

    def incr(self, key, delta=1, version=None):
        try:
            return super().incr(key, delta, version)
        except Exception as exc:
            if not _unreachable(exc):
                raise
            _warn("incr", exc)
            raise ValueError(f"cache unreachable: {key!r} not incremented") from exc

    def clear(self):
        return self._try("clear", False)
