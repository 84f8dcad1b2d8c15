import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from motcua.core.models import AppendOnlyError, AuditHead, AuditLog
from motcua.core.services import agency_create, audit_record
from motcua.core.testing import audit_triggers_off, make_staff
from motcua.core.transitions import SYSTEM

pytestmark = pytest.mark.django_db


def _entries(n=3):
    actor = make_staff("auditor")
    agency = agency_create(actor=actor, name="Ban Quản lý Khu kinh tế tỉnh", short_name="BQL", code="H15.50")
    for i in range(n):
        audit_record(actor=actor, action="test.change", obj=agency, changes={"i": i, "ghi_chú": "đầu tư"})
    return agency


def test_every_entry_links_to_the_previous_entry_hash():
    _entries()
    entries = list(AuditLog.objects.order_by("id"))
    assert len(entries) >= 4
    for prev, entry in zip(entries, entries[1:], strict=False):
        assert entry.prev_hash == prev.hash
    assert AuditHead.objects.get().last_hash == entries[-1].hash
    assert AuditHead.objects.get().count == len(entries)


def test_entries_cannot_be_edited_or_deleted_through_the_application():
    _entries(1)
    entry = AuditLog.objects.last()
    entry.action = "forged"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AuditLog.objects.filter(pk=entry.pk).update(action="forged")
    with pytest.raises(AppendOnlyError):
        AuditLog.objects.all().delete()
    assert AuditLog.objects.get(pk=entry.pk).action == "test.change"


def test_verify_audit_passes_on_a_clean_log(capsys):
    _entries()
    call_command("verify_audit")
    assert "toàn vẹn" in capsys.readouterr().out


def test_verify_audit_names_an_entry_altered_directly_in_the_database(capsys):
    _entries()
    victim = AuditLog.objects.order_by("id")[2]
    with audit_triggers_off(), connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditlog SET object_repr = %s WHERE id = %s", ["sửa trái phép", victim.id])
    with pytest.raises(CommandError):
        call_command("verify_audit")
    assert f"#{victim.id}" in capsys.readouterr().err


def test_verify_audit_detects_a_removed_entry(capsys):
    _entries()
    victim = AuditLog.objects.order_by("id")[1]
    successor = AuditLog.objects.filter(id__gt=victim.id).order_by("id").first()
    with audit_triggers_off(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditlog WHERE id = %s", [victim.id])
    with pytest.raises(CommandError):
        call_command("verify_audit")
    assert f"#{successor.id}" in capsys.readouterr().err


def test_verify_audit_detects_a_removed_last_entry():
    _entries()
    last = AuditLog.objects.order_by("id").last()
    with audit_triggers_off(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditlog WHERE id = %s", [last.id])
    with pytest.raises(CommandError):
        call_command("verify_audit")


def test_audit_entry_records_request_id_and_ip_of_the_request(client):
    from motcua.core import context

    token = context.set_current(context.RequestContext(request_id="req-123", ip="10.0.0.5"))
    try:
        _entries(1)
    finally:
        context.reset(token)
    entry = AuditLog.objects.order_by("id").last()
    assert (entry.request_id, entry.ip) == ("req-123", "10.0.0.5")


def test_entries_with_quotes_backslashes_and_vietnamese_verify(capsys):
    actor = make_staff("kiemtra")
    agency = agency_create(actor=actor, name='Ban "Quản lý" \\ Khu kinh tế', short_name="BQL2", code="H15.51")
    audit_record(
        actor=actor, action="test.escape", obj=agency, changes={"ý kiến": 'Đã "sửa" \\ lần 2', "danh sách": ["đầu tư", None, 1.5]}
    )
    call_command("verify_audit")
    assert "toàn vẹn" in capsys.readouterr().out


def test_the_first_entry_starts_the_chain_and_writes_the_callers_rows_once():
    from django.utils import timezone

    from motcua.notifications.models import Message

    with audit_triggers_off():
        AuditHead.objects.all().delete()
        AuditLog.objects.all()._raw_delete(AuditLog.objects.db)  # an empty log, as on a new installation
    message = Message(
        channel="email", template_code="t", recipient="dau-tien@example.vn", body="x", next_attempt_at=timezone.now()
    )
    entry = audit_record(actor=SYSTEM, action="test.first", object_type="x", object_id="1", together=[[message]])
    assert entry.prev_hash == "0" * 64 and entry.pk
    assert Message.objects.filter(recipient="dau-tien@example.vn").count() == 1
    assert AuditHead.objects.get().last_hash == entry.hash and AuditHead.objects.get().count == 1
    call_command("verify_audit")
