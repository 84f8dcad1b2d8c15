"""Short-lived caches of what everyone sees of the catalog: the anonymous search page and API list, the
field filter and the procedures offered on the PAKN form. The catalog changes by publication decision, not by the
second, so an answer may be reused for MOTCUA_PUBLIC_CACHE_SECONDS (default 60; 0 turns the response cache off).

Every key holds a catalog version that the catalog's writes replace (`catalog_changed`), so the next
request after a decision or an import reads the new catalog. The version lives in Django's cache: with the
default per-process memory cache another server process sees a change within the TTL, with a shared cache
(CACHE_URL=redis://…) at once."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.translation import get_language

from motcua.core.memo import Memo

from .models import Field

T = TypeVar("T")

VERSION_KEY = "catalog:public:version"


def _seconds() -> int:
    return settings.MOTCUA_PUBLIC_CACHE_SECONDS


def _bump() -> None:
    cache.set(VERSION_KEY, secrets.token_hex(6), None)


def catalog_changed() -> None:
    """Call after any write that changes what the public sees. The version is replaced now and again after
    commit: a request in between reads the old rows and files them under the new version, which the second
    replacement abandons."""
    _bump()
    transaction.on_commit(_bump)


def catalog_version() -> str:
    version = cache.get(VERSION_KEY)
    if version is None:  # never set, or evicted: a fresh value, never the one entries were filed under
        cache.add(VERSION_KEY, secrets.token_hex(6), None)
        version = cache.get(VERSION_KEY, "")
    return version


# --- per process -------------------------------------------------------------------------------------------

# Reference data such as the 283 fields the filter lists on every search (core.memo: kept
# MOTCUA_REFERENCE_CACHE_SECONDS, cleared when a field is saved in this process).
_reference = Memo("catalog.public", Field)


def per_process(name: str, build: Callable[[], T]) -> T:
    """`build()` kept in this process, and built again as soon as the catalog version changes (imports write
    fields in bulk, without the signals core.memo watches)."""
    version = catalog_version()
    kept = _reference.get(name, lambda: (version, build()))
    if kept[0] != version:
        _reference.clear()
        kept = _reference.get(name, lambda: (version, build()))
    return kept[1]


# --- responses ---------------------------------------------------------------------------------------------


def anonymous_key(request, kind: str, user=None) -> str | None:
    """The cache key of this request, or None when its answer must not be shared: a logged-in user, pending
    messages (the page would show them once), the cache turned off. The key holds the URL as sent (the page
    repeats the parameters as typed: in the search box, the page links and the language form; the API's page
    links hold scheme and host), the language, today (what is in force) and the catalog version."""
    if _seconds() <= 0 or request.method != "GET":
        return None
    user = user if user is not None else request.user
    if user.is_authenticated or len(get_messages(request)):
        return None
    url = hashlib.sha256(request.build_absolute_uri().encode()).hexdigest()[:32]
    return f"catalog:public:{kind}:{catalog_version()}:{get_language()}:{timezone.localdate().isoformat()}:{url}"


def shared_key(kind: str, *parts) -> str | None:
    """The cache key of a piece of the public catalog that is the same for every visitor and page (e.g. the
    PAKN form's list of procedures), or None when the cache is off: the catalog version, the language, `parts`."""
    if _seconds() <= 0:
        return None
    return f"catalog:public:{kind}:{catalog_version()}:{get_language()}:" + ":".join(str(p) for p in parts)


def cached_data(key: str | None, build: Callable[[], T]) -> T:
    """`build()`, from the cache under `key` when there (None: always built)."""
    if key is None:
        return build()
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, _seconds())
    return value


# Stands for the CSRF token in a stored page; each answer gets the visitor's own token (the language form of
# every page posts with it). Random: a visitor cannot type it into the search box to be replaced.
_TOKEN_MARK = secrets.token_hex(16)


def cached_page(request, kind: str, render: Callable[[dict], HttpResponse]) -> HttpResponse:
    """The page `render(extra_context)` makes, reused for equal anonymous requests. What is stored is the body
    with a mark where the CSRF token goes, so every visitor gets and is sent (by the CSRF middleware) their own
    token; headers and cookies are set per request by the middleware, as for a page rendered now."""
    key = anonymous_key(request, kind)
    if key is None:
        return render({})
    stored = cache.get(key)
    if stored is None:
        response = render({"csrf_token": _TOKEN_MARK})
        if response.status_code != 200 or response.cookies:
            return _with_token(response, _TOKEN_MARK, request)
        stored = (_TOKEN_MARK, response.content, response["Content-Type"])
        cache.set(key, stored, _seconds())
    else:
        response = HttpResponse(content_type=stored[2])
    mark, body, _ = stored
    response.content = body
    return _with_token(response, mark, request)


def _with_token(response: HttpResponse, mark: str, request) -> HttpResponse:
    response.content = response.content.replace(mark.encode(), get_token(request).encode())
    return response
