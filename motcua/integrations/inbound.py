"""What every pull from a national system shares (dossiers filed on the portal: dossiers/national_inbound.py;
petitions of the national PAKN system: feedback/national.py): read the inbox once over the system's transport,
take each item through the owning app's `receive_one`, count the outcomes; the refusal sent back with a reason;
the command that runs a pull from cron."""

from __future__ import annotations

from collections.abc import Callable

from django.core.management.base import BaseCommand, CommandError

from motcua.core.errors import ApplicationError

from .systems import transport_for
from .transport import DeliveryError


class Refusal(Exception):
    """An inbound item not taken; the message is the reason sent back (or, without a national ID, only counted)."""


def refusal_reason(exc: ApplicationError) -> str:
    """An intake's validation error as the one-line reason sent back to the national system."""
    fields = getattr(exc, "fields", None) or {}
    details = "; ".join(f"{name}: {' '.join(str(m) for m in messages)}" for name, messages in fields.items())
    return (f"{exc.message}. {details}" if details else str(exc.message))[:2000]


def pull_inbox(*, system: str, path: str, receive_one: Callable[[object], str], unreadable: str) -> dict[str, int]:
    """Read `path` of `system` once and take each item; counts per outcome ("unanswerable": no national ID).
    RuntimeError when the system is not configured or cannot be read (`unreadable` says what was not read)."""
    transport = transport_for(system)
    if transport is None:
        raise RuntimeError("NATIONAL_PORTAL_URL chưa được cấu hình.")
    try:
        body = transport.get(path)
    except DeliveryError as exc:
        raise RuntimeError(f"{unreadable}: {exc}") from exc
    done = {"accepted": 0, "refused": 0, "duplicate": 0, "unanswerable": 0}
    for item in body.get("items", []):
        try:
            done[receive_one(item)] += 1
        except Refusal:
            done["unanswerable"] += 1
    return done


class PullCommand(BaseCommand):
    """A command that pulls once (from cron) and prints the counts; the subclass gives `help` and `pull`."""

    pull: Callable[[], dict[str, int]]

    def handle(self, *args, **options):
        try:
            done = type(self).pull()
        except RuntimeError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"tiếp nhận {done['accepted']}, từ chối {done['refused']}, trùng {done['duplicate']}, "
            f"không trả lời được {done['unanswerable']}"
        )
