"""The audit chain has one computation (core.audit_hash.audit_chain over audit_entry_hash): the entries
audit_record writes are exactly what it gives, and a writer of many entries at once that uses it (as the
dossier generator may) leaves a log verify_audit accepts."""

import pytest
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from motcua.core.audit_hash import GENESIS_HASH, audit_chain
from motcua.core.models import AuditHead, AuditLog
from motcua.core.selectors import audit_verify_chain
from motcua.core.services import audit_record
from motcua.core.sql import insert
from motcua.core.transitions import SYSTEM

pytestmark = pytest.mark.django_db

FIELDS = ("at", "actor_id", "actor_repr", "action", "object_type", "object_id", "object_repr", "changes", "request_id", "ip")


def _fields(entry: AuditLog) -> dict:
    return {name: getattr(entry, name) for name in FIELDS}


def test_audit_record_writes_the_chain_audit_chain_computes():
    for n in range(3):
        audit_record(actor=SYSTEM, action="test.chain", object_type="x", object_id=str(n), changes={"n": n, "tên": "Ơn"})
    entries = list(AuditLog.objects.order_by("id"))
    expected = list(audit_chain([_fields(e) for e in entries], prev_hash=GENESIS_HASH))
    assert [(e.prev_hash, e.hash) for e in entries] == expected
    assert len({h for _, h in expected}) == 3


def test_a_bulk_writer_using_audit_chain_leaves_a_log_that_verifies(tmp_path):
    audit_record(actor=SYSTEM, action="test.before", object_type="x", object_id="0")
    with transaction.atomic():
        head = AuditHead.objects.select_for_update().get(id=1)
        now = timezone.now()
        entries = [
            AuditLog(
                at=now,
                actor_repr=SYSTEM.describe(),
                action="dossier.receive",
                object_type="dossiers.dossier",
                object_id=str(n),
                object_repr=f"H15.99-261126-{n:04d}",
                changes={"status": ["", "accepted"]},
            )
            for n in range(1, 6)
        ]
        for entry, (prev, digest) in zip(
            entries, audit_chain([_fields(e) for e in entries], prev_hash=head.last_hash), strict=True
        ):
            entry.prev_hash, entry.hash = prev, digest
        insert(*entries)
        AuditHead.objects.filter(id=1).update(last_hash=entries[-1].hash, count=F("count") + len(entries))
    audit_record(actor=SYSTEM, action="test.after", object_type="x", object_id="9")
    assert audit_verify_chain(checkpoint_file=tmp_path / "none.jsonl") == []
    assert AuditHead.objects.get(id=1).count == AuditLog.objects.count() == 7
