"""Two tamperings are detected and named by verify_audit: the last entries deleted together
with the head row, and an entry rewritten with every later hash recomputed by someone without the audit key.
On PostgreSQL the tables themselves refuse UPDATE, DELETE and TRUNCATE."""

import hashlib
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from motcua.core.audit_hash import _entry_tail, audit_entry_hash
from motcua.core.models import AuditCheckpoint, AuditHead, AuditLog
from motcua.core.selectors import audit_verify_chain
from motcua.core.services import agency_create, audit_checkpoint_take, audit_record
from motcua.core.testing import audit_triggers_off, make_staff, requires_postgres
from motcua.core.transitions import SYSTEM

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _checkpoint_file(settings, tmp_path):
    settings.AUDIT_CHECKPOINT_FILE = tmp_path / "audit" / "checkpoints.jsonl"
    return settings.AUDIT_CHECKPOINT_FILE


def _log(n=12):
    actor = make_staff("kiemtoan")
    agency = agency_create(actor=actor, name="Ban Quản lý Khu kinh tế tỉnh", short_name="BQL", code="H15.50")
    for i in range(n):
        audit_record(actor=actor, action="test.change", obj=agency, changes={"lần": i, "ghi chú": "đầu tư"})
    return list(AuditLog.objects.order_by("id"))


def _messages():
    return [p.message for p in audit_verify_chain()]


def _sha256_without_key(prev_hash, entry):
    """What someone holding the database but not the key can compute: the payload hashed with plain SHA-256."""
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
    return hashlib.sha256(f"[{json.dumps(prev_hash)},{tail}".encode()).hexdigest()


def test_a_clean_log_with_checkpoints_verifies(capsys):
    _log(3)
    audit_checkpoint_take()
    assert audit_record(actor=SYSTEM, action="test.after", object_type="x", object_id="1").pk
    audit_checkpoint_take()
    assert _messages() == []
    call_command("verify_audit")
    assert "toàn vẹn" in capsys.readouterr().out


def test_the_last_five_entries_and_the_head_row_deleted_are_named(capsys):
    entries = _log()
    checkpoint = audit_checkpoint_take()
    assert checkpoint.count == len(entries) and checkpoint.last_entry_id == entries[-1].id
    gone = entries[-5:]
    with audit_triggers_off(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditlog WHERE id >= %s", [gone[0].id])
        cursor.execute("DELETE FROM core_audithead")
    messages = _messages()
    assert f"thiếu 5 mục trong khoảng #{gone[0].id}–#{gone[-1].id}" in " | ".join(messages), messages
    assert any("AuditHead" in m and "xóa" in m for m in messages), messages
    with pytest.raises(CommandError):
        call_command("verify_audit")
    assert f"#{gone[0].id}–#{gone[-1].id}" in capsys.readouterr().err


def test_the_checkpoint_file_still_names_them_when_the_checkpoint_rows_are_deleted_too(_checkpoint_file):
    entries = _log()
    audit_checkpoint_take()
    gone = entries[-5:]
    with audit_triggers_off(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditlog WHERE id >= %s", [gone[0].id])
        cursor.execute("DELETE FROM core_audithead")
        cursor.execute("DELETE FROM core_auditcheckpoint")
    assert not AuditCheckpoint.objects.exists() and _checkpoint_file.exists()
    messages = _messages()
    assert any(f"thiếu 5 mục trong khoảng #{gone[0].id}–#{gone[-1].id}" in m for m in messages), messages


@pytest.mark.parametrize("forge", ["sha256", "wrong key"])
def test_an_entry_rewritten_and_every_later_hash_recomputed_without_the_key_is_named(forge, capsys):
    entries = _log()
    audit_checkpoint_take()
    victim = entries[4]
    with audit_triggers_off(), connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditlog SET object_repr = %s WHERE id = %s", ["sửa trái phép", victim.id])
        prev = entries[3].hash
        for entry in AuditLog.objects.filter(id__gte=victim.id).order_by("id"):
            if forge == "sha256":
                new = _sha256_without_key(prev, entry)
            else:  # the application's own function, with a key that is not the one in use
                new = audit_entry_hash(
                    prev_hash=prev,
                    key=b"doan-thu-khoa",
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
            cursor.execute("UPDATE core_auditlog SET prev_hash = %s, hash = %s WHERE id = %s", [prev, new, entry.id])
            prev = new
        cursor.execute("UPDATE core_audithead SET last_hash = %s", [prev])
    messages = _messages()
    # The links are consistent again: what gives it away is the keyed hash and the checkpoint.
    assert not any("liên kết" in m for m in messages), messages
    assert f"mục #{victim.id}: nội dung đã bị thay đổi" in messages[0], messages
    assert f"đến #{entries[-1].id}" in messages[0]
    assert any(f"mục #{entries[-1].id} đã bị thay đổi so với điểm kiểm tra" in m for m in messages), messages
    with pytest.raises(CommandError):
        call_command("verify_audit")
    assert f"mục #{victim.id}: nội dung đã bị thay đổi" in capsys.readouterr().err


def test_a_single_entry_altered_in_place_is_named_alone():
    entries = _log(6)
    victim = entries[2]
    with audit_triggers_off(), connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditlog SET action = %s WHERE id = %s", ["forged", victim.id])
    assert _messages() == [f"mục #{victim.id}: nội dung đã bị thay đổi (HMAC không khớp)"]


def test_a_checkpoint_forged_without_the_key_is_refused(_checkpoint_file):
    entries = _log(3)
    audit_checkpoint_take()
    line = json.loads(_checkpoint_file.read_text().splitlines()[0])
    forged = {**line, "count": line["count"] - 1, "last_entry_id": entries[-2].id, "head_hash": entries[-2].hash}
    with _checkpoint_file.open("a") as handle:
        handle.write(json.dumps(forged) + "\n")
    messages = _messages()
    assert len(messages) == 1 and "chữ ký không hợp lệ" in messages[0], messages


def test_an_unreadable_checkpoint_line_is_reported(_checkpoint_file):
    _log(2)
    audit_checkpoint_take()
    with _checkpoint_file.open("a") as handle:
        handle.write("{không phải JSON\n")
    assert any("dòng 2" in m for m in _messages())


def test_the_checkpoint_command_skips_an_unchanged_log_when_asked(capsys, _checkpoint_file):
    _log(2)
    call_command("audit_checkpoint")
    call_command("audit_checkpoint", "--if-changed")
    assert AuditCheckpoint.objects.count() == 1
    assert len(_checkpoint_file.read_text().splitlines()) == 1
    audit_record(actor=SYSTEM, action="test.more", object_type="x", object_id="2")
    call_command("audit_checkpoint", "--if-changed")
    assert AuditCheckpoint.objects.count() == 2
    assert "không thay đổi" in capsys.readouterr().out


def test_verify_audit_reads_an_off_host_copy_of_the_checkpoints(tmp_path, _checkpoint_file):
    entries = _log(4)
    audit_checkpoint_take()
    copy = tmp_path / "copy.jsonl"
    copy.write_text(_checkpoint_file.read_text())
    with audit_triggers_off(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditcheckpoint")
        cursor.execute("DELETE FROM core_auditlog WHERE id = %s", [entries[-1].id])
        cursor.execute("UPDATE core_audithead SET last_hash = %s, count = count - 1", [entries[-2].hash])
    _checkpoint_file.unlink()
    assert audit_verify_chain() == []  # without any checkpoint the truncated tail is invisible
    with pytest.raises(CommandError):
        call_command("verify_audit", "--checkpoints", str(copy))


@requires_postgres
@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE core_auditlog SET action = 'forged'",
        "DELETE FROM core_auditlog",
        "DELETE FROM core_audithead",
        "UPDATE core_auditcheckpoint SET count = 0",
        "DELETE FROM core_auditcheckpoint",
    ],
)
def test_postgresql_refuses_update_and_delete_on_the_audit_tables(statement):
    _log(2)
    audit_checkpoint_take()
    before = (AuditLog.objects.count(), AuditHead.objects.count(), AuditCheckpoint.objects.count())
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement)
    assert (AuditLog.objects.count(), AuditHead.objects.count(), AuditCheckpoint.objects.count()) == before
    assert audit_verify_chain() == []


@requires_postgres
@pytest.mark.parametrize("table", ["core_auditlog", "core_audithead", "core_auditcheckpoint"])
def test_postgresql_refuses_truncate_on_the_audit_tables(table):
    _log(2)
    audit_checkpoint_take()
    with connection.cursor() as cursor:  # the test database lets flushes through (conftest): as in production
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER {table}_no_truncate")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {table} CASCADE")
    assert AuditLog.objects.exists() and AuditHead.objects.exists() and AuditCheckpoint.objects.exists()


def test_the_worker_takes_a_checkpoint_when_the_log_has_grown(_checkpoint_file, settings):
    _log(2)
    call_command("run_worker", "--once")
    first = AuditCheckpoint.objects.get()
    assert first.count == AuditLog.objects.count() and _checkpoint_file.exists()
    call_command("run_worker", "--once")
    assert AuditCheckpoint.objects.count() == 1  # nothing new in the log: no new checkpoint
    audit_record(actor=SYSTEM, action="test.more", object_type="x", object_id="3")
    call_command("run_worker", "--once")
    assert AuditCheckpoint.objects.order_by("-id").first().count == first.count + 1
    settings.AUDIT_CHECKPOINT_MINUTES = 0  # 0 turns the worker's checkpoints off
    audit_record(actor=SYSTEM, action="test.more", object_type="x", object_id="4")
    call_command("run_worker", "--once")
    assert AuditCheckpoint.objects.count() == 2


def test_the_admin_lists_checkpoints_read_only(client):
    from django.contrib import admin
    from django.urls import reverse

    from motcua.core.models import User

    _log(1)
    audit_checkpoint_take()
    client.force_login(User.objects.create_superuser("root", "root@example.vn", "pw-root-12345"))
    assert client.get(reverse("admin:core_auditcheckpoint_changelist")).status_code == 200
    checkpoint_admin = admin.site._registry[AuditCheckpoint]
    assert not checkpoint_admin.has_change_permission(None) and not checkpoint_admin.has_delete_permission(None)
