"""Migration core 0005 checks a log written before the keyed hash (plain SHA-256 chain) and chains it again
with the audit key; a legacy chain that does not verify stops the migration instead of being laundered."""

import hashlib
import importlib
import json
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import connection

from motcua.core.audit_hash import _entry_tail
from motcua.core.models import AuditHead, AuditLog
from motcua.core.selectors import audit_verify_chain
from motcua.core.services import audit_record
from motcua.core.testing import audit_triggers_off
from motcua.core.transitions import SYSTEM

pytestmark = pytest.mark.django_db

migration = importlib.import_module("motcua.core.migrations.0005_audit_keyed_hash_checkpoints_triggers")


def _legacy_chain(n=4):
    """Entries as the previous release wrote them: SHA-256 over the same payload, no key."""
    for i in range(n):
        audit_record(actor=SYSTEM, action="test.legacy", object_type="x", object_id=str(i), changes={"lần": i})
    prev = "0" * 64
    with audit_triggers_off(), connection.cursor() as cursor:
        for entry in AuditLog.objects.order_by("id"):
            tail = _entry_tail(
                at=entry.at,
                actor_id=entry.actor_id,
                actor_repr=entry.actor_repr,
                action=entry.action,
                object_type=entry.object_type,
                object_id=entry.object_id,
                object_repr=entry.object_repr,
                changes=entry.changes,
                request_id=entry.request_id,
                ip=entry.ip,
            )
            new = hashlib.sha256(f"[{json.dumps(prev)},{tail}".encode()).hexdigest()
            cursor.execute("UPDATE core_auditlog SET prev_hash = %s, hash = %s WHERE id = %s", [prev, new, entry.id])
            prev = new
        cursor.execute("UPDATE core_audithead SET last_hash = %s", [prev])
    return prev


def test_a_legacy_chain_verifies_after_the_migration_rehashes_it():
    _legacy_chain()
    assert audit_verify_chain() != []  # plain SHA-256 hashes are not HMACs under the key
    with audit_triggers_off():
        migration.rehash_with_the_key(apps, SimpleNamespace(connection=connection))
    assert audit_verify_chain() == []
    assert AuditHead.objects.get().last_hash == AuditLog.objects.order_by("id").last().hash


def test_a_broken_legacy_chain_stops_the_migration():
    _legacy_chain()
    victim = AuditLog.objects.order_by("id")[1]
    with audit_triggers_off(), connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditlog SET action = 'forged' WHERE id = %s", [victim.id])
        with pytest.raises(RuntimeError, match=f"#{victim.id}"):
            migration.rehash_with_the_key(apps, SimpleNamespace(connection=connection))
    assert AuditLog.objects.get(pk=victim.pk).action == "forged"  # nothing re-hashed


def test_an_empty_log_is_left_alone():
    with audit_triggers_off():
        AuditLog.objects.all()._raw_delete(AuditLog.objects.db)
        migration.rehash_with_the_key(apps, SimpleNamespace(connection=connection))
    assert not AuditLog.objects.exists()
