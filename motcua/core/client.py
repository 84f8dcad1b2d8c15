"""The client's address: the one place that decides it, for the rate limits, the login lock-out (django-axes)
and the audit log.

Without a proxy (`BEHIND_PROXY=0`) it is the connecting peer, `REMOTE_ADDR`; any `X-Forwarded-For` is the
client's own writing and ignored. Behind N trusted proxies (`BEHIND_PROXY=N`, `1` for one nginx), each proxy
appends the address it saw to `X-Forwarded-For`, so the last N entries were written by our proxies and the client
is the N-th entry from the right; whatever stands to its left was sent by the client and is never believed."""

from __future__ import annotations

import ipaddress

from django.conf import settings


def _valid(value: str) -> str | None:
    value = value.strip()
    if value.startswith("[") and "]" in value:  # "[2001:db8::1]:443"
        value = value[1 : value.index("]")]
    elif value.count(":") == 1 and "." in value:  # "203.0.113.5:51234"
        value = value.split(":", 1)[0]
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def trusted_proxy_hops() -> int:
    return max(settings.TRUSTED_PROXY_HOPS, 0)


def client_ip(request) -> str:
    """The address the request came from; "unknown" when nothing usable was given."""
    meta = getattr(request, "META", {}) or {}
    remote = _valid(meta.get("REMOTE_ADDR") or "")
    hops = trusted_proxy_hops()
    forwarded = meta.get("HTTP_X_FORWARDED_FOR", "")
    if hops and forwarded:
        entries = [e for e in (part.strip() for part in forwarded.split(",")) if e]
        if entries:
            # Fewer entries than proxies: the outermost entry is still one a trusted proxy wrote.
            candidate = _valid(entries[-min(hops, len(entries))])
            if candidate:
                return candidate
    return remote or "unknown"


def axes_client_ip(request) -> str | None:
    """django-axes' AXES_CLIENT_IP_CALLABLE: the same address as everywhere else (None when there is none, e.g. a
    sign-in made in code: axes stores addresses in an IP column)."""
    ip = client_ip(request)
    return None if ip == "unknown" else ip
