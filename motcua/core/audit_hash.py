"""The audit chain's hashes: pure computation over an entry's fields and the audit key, shared by the
writer (core.services.audit_record, the dossier generator) and the verifier (core.selectors)."""

import hashlib
import hmac
import json
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from typing import Any

from django.conf import settings

GENESIS_HASH = "0" * 64


def _entry_tail(
    *,
    at: datetime,
    actor_id: int | None,
    actor_repr: str,
    action: str,
    object_type: str,
    object_id: str,
    object_repr: str,
    changes: Any,
    request_id: str,
    ip: str | None,
) -> str:
    """The entry's canonical JSON list after its first element, the previous hash: what is hashed is
    '[' + the previous hash as JSON + ',' + this."""
    return json.dumps(
        [
            at.astimezone(UTC).isoformat(timespec="microseconds"),
            actor_id,
            actor_repr,
            action,
            object_type,
            object_id,
            object_repr,
            changes,
            request_id,
            ip,
        ],
        ensure_ascii=False,
        sort_keys=True,
        separators=(",", ":"),
        default=str,
    )[1:]


def audit_key() -> bytes:
    """The audit HMAC key (settings.AUDIT_HMAC_KEY, from the environment): never stored in the database."""
    return settings.AUDIT_HMAC_KEY.encode("utf-8")


def audit_entry_hash(*, prev_hash: str, key: bytes | None = None, **entry: Any) -> str:
    """HMAC-SHA256, keyed with the audit key, over the previous hash and the entry's canonical JSON
    (shared by writing and verifying). Without the key nobody can compute a hash that verifies, so an
    entry rewritten in the database, and every later hash recomputed, is detected."""
    payload = f"[{json.dumps(prev_hash, ensure_ascii=False)},{_entry_tail(**entry)}"
    return hmac.new(key or audit_key(), payload.encode("utf-8"), hashlib.sha256).hexdigest()


def audit_chain(entries: Iterable[dict[str, Any]], *, prev_hash: str, key: bytes | None = None) -> Iterator[tuple[str, str]]:
    """(previous hash, hash) of each entry (its fields as audit_entry_hash takes them), chained in order
    after `prev_hash`: the one computation of the chain, used by audit_record for its entry and callable
    by a writer of many entries at once (e.g. generated dossiers), which reads the head's hash under its
    lock, chains its entries, writes them and moves the head to the last hash (count + their number)."""
    key = key or audit_key()
    for fields in entries:
        digest = audit_entry_hash(prev_hash=prev_hash, key=key, **fields)
        yield prev_hash, digest
        prev_hash = digest


def checkpoint_signature(
    *, taken_at: str, count: int, last_entry_id: int | None, head_hash: str, key: bytes | None = None
) -> str:
    payload = json.dumps([taken_at, count, last_entry_id, head_hash], separators=(",", ":"))
    return hmac.new(key or audit_key(), b"checkpoint:" + payload.encode("utf-8"), hashlib.sha256).hexdigest()
