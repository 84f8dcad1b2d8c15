"""Per-process memory of reference data that hot paths read on every request (days off, message
templates): administrators change it a few times a year, intakes read it hundreds of times a second.

A value is kept `MOTCUA_REFERENCE_CACHE_SECONDS` (default 60; 0 = always read the database). Saving or
deleting a watched model clears the memory at once in the process that made the change, and again when
its transaction commits; the other server processes see the change within that many seconds."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_delete, post_save

_all: list[Memo] = []
MAX_ENTRIES = 10_000  # a bound, not a tuning knob: a memo is emptied when it is reached


class Memo:
    def __init__(self, name: str, *watched: type) -> None:
        self.name = name
        self._values: dict[Any, tuple[float, Any]] = {}
        self._lock = threading.Lock()
        for model in watched:
            post_save.connect(self._changed, sender=model, dispatch_uid=f"memo.{name}.{model.__name__}.save", weak=False)
            post_delete.connect(self._changed, sender=model, dispatch_uid=f"memo.{name}.{model.__name__}.delete", weak=False)
        _all.append(self)

    def get(self, key: Any, load: Callable[[], Any]) -> Any:
        ttl = settings.MOTCUA_REFERENCE_CACHE_SECONDS
        if ttl <= 0:
            return load()
        now = time.monotonic()
        hit = self._values.get(key)
        if hit is not None and hit[0] > now:
            return hit[1]
        value = load()
        with self._lock:
            if len(self._values) >= MAX_ENTRIES:
                self._values.clear()
            self._values[key] = (now + ttl, value)
        return value

    def clear(self) -> None:
        with self._lock:
            self._values.clear()

    def _changed(self, using=None, **_kwargs) -> None:
        self.clear()
        transaction.on_commit(self.clear, using=using)


def clear_all() -> None:
    """Forget every memo (tests, after a rollback the signals cannot see)."""
    for memo in _all:
        memo.clear()
