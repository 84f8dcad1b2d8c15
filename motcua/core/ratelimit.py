"""The rate limiter every limit uses (portal lookups and drafts, PAKN lookups, Open311 POSTs).

Fixed windows counted in the database: one atomic `INSERT … ON CONFLICT … DO UPDATE SET count = count + 1
RETURNING count` per event (SQLite 3.35+ and PostgreSQL), so every server process — gunicorn `-w 4`, several
machines — sees one count, with the default settings and no shared cache. A request is let through only when
the count its own increment returned is within the limit, so concurrent requests cannot overshoot.

Use `take(...)` before doing the limited thing; `give_back(...)` when the event turned out not to count (a
successful lookup), `is_blocked(...)` to ask without counting."""

from __future__ import annotations

import random
import time
from dataclasses import dataclass

from django.db import DEFAULT_DB_ALIAS, connection, transaction
from django.db.models import F

from .models import RateLimitCounter

# One in this many increments also deletes expired counters (cheap: indexed on expires_at).
PURGE_ONE_IN = 200


@dataclass(frozen=True)
class Limit:
    scope: str
    limit: int
    window: int  # seconds


def _window(window: int, now: float | None = None) -> tuple[int, int]:
    now = time.time() if now is None else now
    start = int(now // window) * window
    return start, start + window


def _key(scope: str, ident: str) -> str:
    return f"{scope}:{ident}"[:200]


def retry_after(window: int) -> int:
    """Seconds until the current window ends (for the Retry-After header)."""
    _, end = _window(window)
    return max(int(end - time.time()), 1)


def _table() -> str:
    return connection.ops.quote_name(RateLimitCounter._meta.db_table)


def _add(key: str, start: int, expires: int, delta: int) -> int:
    q = connection.ops.quote_name
    table, k, w, c, e = _table(), q("key"), q("window_start"), q("count"), q("expires_at")
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({k}, {w}, {c}, {e}) VALUES (%s, %s, %s, %s) "  # noqa: S608 - names from the model
            f"ON CONFLICT ({k}, {w}) DO UPDATE SET {c} = {table}.{c} + %s RETURNING {c}",
            [key, start, max(delta, 0), expires, delta],
        )
        return int(cursor.fetchone()[0])


def hit(*, scope: str, ident: str, window: int) -> int:
    """Count one event; the count in the current window, this event included."""
    start, end = _window(window)
    n = _add(_key(scope, ident), start, end + 5, 1)
    if random.randrange(PURGE_ONE_IN) == 0:  # noqa: S311 - not security relevant
        purge_expired()
    return n


def take(*, scope: str, ident: str, limit: int, window: int) -> bool:
    """Count one event and say whether it is within the limit."""
    return hit(scope=scope, ident=ident, window=window) <= limit


def give_back(*, scope: str, ident: str, window: int) -> None:
    """Undo one `take` in the current window (the event did not count after all)."""
    start, _ = _window(window)
    RateLimitCounter.objects.filter(key=_key(scope, ident), window_start=start, count__gt=0).update(count=F("count") - 1)


def count(*, scope: str, ident: str, window: int) -> int:
    start, _ = _window(window)
    row = (
        RateLimitCounter.objects.using(DEFAULT_DB_ALIAS)  # counters are read where they are written, never a replica
        .filter(key=_key(scope, ident), window_start=start)
        .values_list("count", flat=True)
        .first()
    )
    return int(row or 0)


def is_blocked(*, scope: str, ident: str, limit: int, window: int) -> bool:
    return count(scope=scope, ident=ident, window=window) >= limit


def purge_expired() -> int:
    deleted, _ = RateLimitCounter.objects.filter(expires_at__lt=int(time.time())).delete()
    return deleted
