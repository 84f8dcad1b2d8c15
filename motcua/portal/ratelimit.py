"""The portal's limits (failed lookups, new drafts). They are counted by the one rate limiter,
`motcua.core.ratelimit` (in the database, shared by every server process), per client address as
`motcua.core.client.client_ip` decides it."""

from __future__ import annotations

from django.conf import settings

from motcua.core.client import client_ip  # noqa: F401 - the portal's views ask here
from motcua.core.ratelimit import give_back, is_blocked, retry_after, take  # noqa: F401


def lookup_limit() -> tuple[int, int]:
    """(failed attempts allowed, window in seconds); default 10 failures per 10 minutes per IP."""
    return (settings.PORTAL_LOOKUP_MAX_FAILURES, settings.PORTAL_LOOKUP_WINDOW_SECONDS)


def draft_limit() -> tuple[int, int]:
    """(new drafts allowed, window in seconds) per IP; default 20 per hour (stops filling the disk)."""
    return (settings.PORTAL_DRAFTS_PER_HOUR, 3600)
