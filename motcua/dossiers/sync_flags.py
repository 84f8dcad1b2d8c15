"""Decision 766 flags of the national portal's message (dossiers.national_sync) answered by the apps above
dossiers, which dossiers may not import (pyproject.toml, layers): payments knows whether a dossier was paid
online, results whether it has an electronic result. An app registers one answer per flag from its
AppConfig.ready() (like dossiers.panels); national_sync asks it while building a message, so it stays the one
mapping module.

An answer takes the dossier's id and returns a bool with at most one cheap, indexed query: it runs inside
every dossier event's transaction (writes.finish), and only while NATIONAL_PORTAL_URL is set. A flag nobody
answered is false."""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import ImproperlyConfigured

PAID_ONLINE = "paid_online"  # ThanhToanTrucTuyen
ELECTRONIC_RESULT = "electronic_result"  # KetQuaDienTu
FLAGS = frozenset({PAID_ONLINE, ELECTRONIC_RESULT})

Answer = Callable[[int], bool]

_ANSWERS: dict[str, Answer] = {}


def register(flag: str, answer: Answer) -> None:
    """Let `answer` answer `flag`. Registering the same function again is a no-op (ready() may run twice in
    tests); a second, different answer for a flag is refused: two apps must not both claim it."""
    if flag not in FLAGS:
        raise ImproperlyConfigured(f"Unknown national sync flag {flag!r} (known: {', '.join(sorted(FLAGS))}).")
    current = _ANSWERS.get(flag)
    if current is not None and current is not answer:
        raise ImproperlyConfigured(
            f"The national sync flag {flag!r} is already answered by {current.__module__}.{current.__qualname__}."
        )
    _ANSWERS[flag] = answer


def answer(flag: str, dossier_id: int) -> bool:
    """The registered answer for the dossier, false when no app answers the flag."""
    func = _ANSWERS.get(flag)
    return bool(func(dossier_id)) if func is not None else False
