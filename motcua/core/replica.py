"""Reads that tolerate lag go to a read replica when one is configured (DATABASE_REPLICA_URL).

Everything reads from the primary unless it runs inside `lag_tolerant()` (a view decorator and a context
manager): public search, statistics, reports, the index, exports. Even there the primary answers when
- the request (or this client a moment ago) wrote: a client that has just posted reads its own writes
  (`ReadYourWritesMiddleware` keeps it on the primary for MOTCUA_REPLICA_PIN_SECONDS after an unsafe request);
- the replica is not configured, is down, is not streaming, or lags more than MOTCUA_REPLICA_MAX_LAG_SECONDS
  (checked at most every MOTCUA_REPLICA_CHECK_SECONDS per process);
- the replica fails in the middle of a view: the view is run again on the primary (views marked lag-tolerant
  only read, so running one again is safe).
Writes always go to the primary; migrations run only there (the replica is a physical copy).
"""

from __future__ import annotations

import contextvars
import functools
import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from django.conf import settings
from django.db import DatabaseError, connections

REPLICA = "replica"
T = TypeVar("T")
PIN_COOKIE = "motcua_primary"

logger = logging.getLogger(__name__)

_tolerant: contextvars.ContextVar[bool] = contextvars.ContextVar("motcua_replica_tolerant", default=False)
_pinned: contextvars.ContextVar[bool] = contextvars.ContextVar("motcua_replica_pinned", default=False)
_used: contextvars.ContextVar[bool] = contextvars.ContextVar("motcua_replica_used", default=False)

# Per process: when the replica was last checked and what was found. A bounded staleness on purpose (a query per
# request would cost a round trip); a replica that dies between checks is caught by the view's retry below.
_health = {"checked_at": float("-inf"), "ok": False}

# Lag as the replica sees it: zero when it has replayed all it received, else the age of the last replayed
# transaction. `status = 'streaming'` rules out a replica cut off from the primary (it would look caught up).
_LAG_SQL = """
select pg_is_in_recovery(),
       coalesce((select status = 'streaming' from pg_stat_wal_receiver), false),
       case when pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() then 0
            else coalesce(extract(epoch from now() - pg_last_xact_replay_timestamp()), 0) end
"""


def configured() -> bool:
    return REPLICA in connections.settings


def forget_health() -> None:
    """The next read checks the replica again (after a failure, and in tests)."""
    _health["checked_at"] = float("-inf")


def _mark_down() -> None:
    _health.update(checked_at=time.monotonic(), ok=False)


def healthy() -> bool:
    now = time.monotonic()
    if now - _health["checked_at"] < settings.MOTCUA_REPLICA_CHECK_SECONDS:
        return _health["ok"]
    ok = False
    try:
        with connections[REPLICA].cursor() as cursor:
            cursor.execute(_LAG_SQL)
            in_recovery, streaming, lag = cursor.fetchone()
        ok = bool(in_recovery and streaming and float(lag) <= settings.MOTCUA_REPLICA_MAX_LAG_SECONDS)
        if not ok:
            logger.warning("read replica not used: recovery=%s streaming=%s lag=%ss", in_recovery, streaming, lag)
    except DatabaseError as exc:
        logger.warning("read replica unreachable, reading from the primary: %s", exc)
        connections[REPLICA].close()
    _health.update(checked_at=now, ok=ok)
    return ok


def read_alias() -> str:
    if _tolerant.get() and not _pinned.get() and configured() and healthy():
        _used.set(True)
        return REPLICA
    return "default"


@contextmanager
def lag_tolerant() -> Iterator[None]:
    """Reads inside may come from the replica (when it is healthy and the client has not just written)."""
    token = _tolerant.set(True)
    pinned = _pinned.set(_pinned.get())  # a write inside pins the reads after it, until the block ends
    try:
        yield
    finally:
        _pinned.reset(pinned)
        _tolerant.reset(token)


@contextmanager
def on_primary() -> Iterator[None]:
    """Reads inside come from the primary, whatever the caller allowed (the client has just written)."""
    token = _pinned.set(True)
    try:
        yield
    finally:
        _pinned.reset(token)


def read_tolerant(read: Callable[[], T]) -> T:
    """Runs a read-only callable whose answer may be a few seconds old, on the replica when it is usable. Should the
    replica fail meanwhile, the callable runs again on the primary: the user gets an answer, not an error."""
    used = _used.set(False)
    try:
        with lag_tolerant():
            return read()
    except DatabaseError:
        if not _used.get():
            raise
        logger.warning("read replica failed during a read; answered from the primary", exc_info=True)
        _mark_down()
        connections[REPLICA].close()
        with on_primary():
            return read()
    finally:
        _used.reset(used)


def lag_tolerant_view(view: Callable) -> Callable:
    """Marks a read-only view whose answer may be a few seconds old (see `read_tolerant`)."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        return read_tolerant(lambda: view(request, *args, **kwargs))

    return wrapped


class ReplicaRouter:
    """DATABASE_ROUTERS entry: reads as `read_alias()` decides, writes and migrations on the primary."""

    def db_for_read(self, model, **hints):
        return read_alias()

    def db_for_write(self, model, **hints):
        # Whoever writes inside a lag-tolerant block reads its own writes for the rest of the block.
        if _tolerant.get():
            _pinned.set(True)
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db != REPLICA


class ReadYourWritesMiddleware:
    """After an unsafe request (POST, PUT, PATCH, DELETE) the client's next requests read from the primary for
    MOTCUA_REPLICA_PIN_SECONDS: a cookie holds the time until which it is pinned. A forged cookie can only send a
    client to the primary, never to stale data."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not configured():
            return self.get_response(request)
        pinned = request.method not in ("GET", "HEAD", "OPTIONS")
        try:
            pinned = pinned or float(request.COOKIES.get(PIN_COOKIE, "0")) > time.time()
        except ValueError:
            pass
        token = _pinned.set(pinned)
        try:
            response = self.get_response(request)
        finally:
            _pinned.reset(token)
        if request.method not in ("GET", "HEAD", "OPTIONS"):
            seconds = settings.MOTCUA_REPLICA_PIN_SECONDS
            response.set_cookie(
                PIN_COOKIE,
                f"{time.time() + seconds:.0f}",
                max_age=seconds,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response
