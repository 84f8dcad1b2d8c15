"""A small fixed-window rate limit on Django's cache (local memory by default; a shared cache such as
Redis when several app servers run). Used to stop enumeration of dossier codes on the lookup page."""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache


def lookup_limit() -> tuple[int, int]:
    """(failed attempts allowed, window in seconds); default 10 failures per 10 minutes per IP."""
    return (int(getattr(settings, "PORTAL_LOOKUP_MAX_FAILURES", 10)),
            int(getattr(settings, "PORTAL_LOOKUP_WINDOW_SECONDS", 600)))


def draft_limit() -> tuple[int, int]:
    """(new drafts allowed, window in seconds) per IP; default 20 per hour (stops filling the disk)."""
    return (int(getattr(settings, "PORTAL_DRAFTS_PER_HOUR", 20)), 3600)


def _key(scope: str, ident: str, window: int) -> str:
    bucket = int(time.time() // window)
    return f"motcua:rl:{scope}:{ident}:{bucket}"


def is_blocked(*, scope: str, ident: str, limit: int, window: int) -> bool:
    return (cache.get(_key(scope, ident, window)) or 0) >= limit


def hit(*, scope: str, ident: str, window: int) -> int:
    """Count one event; returns the count in the current window."""
    key = _key(scope, ident, window)
    cache.add(key, 0, timeout=window + 5)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window + 5)
        return 1


def client_ip(request) -> str:
    """The address the request came from (X-Forwarded-For only behind a declared proxy, as in core)."""
    ip = request.META.get("REMOTE_ADDR") or "unknown"
    if settings.SECURE_PROXY_SSL_HEADER and request.headers.get("X-Forwarded-For"):
        ip = request.headers["X-Forwarded-For"].split(",")[0].strip() or ip
    return ip
