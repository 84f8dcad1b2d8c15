"""core.sql.insert stores rows exactly as Model.save() does (the intake's writes go through it)."""

from datetime import date, timedelta

import pytest
from django.db import connection, transaction
from django.utils import timezone

from motcua.core.services import audit_record
from motcua.core.sql import insert
from motcua.core.transitions import SYSTEM
from motcua.dossiers.models import Dossier, DossierEvent, DossierStep
from motcua.dossiers.tests.factories import World, receive
from motcua.notifications.models import Message

pytestmark = pytest.mark.django_db


def _row(model, pk, *skip):
    return {k: v for k, v in model.objects.filter(pk=pk).values().get().items() if k not in {"id", *skip}}


def test_an_inserted_row_equals_a_saved_one():
    world = World()
    dossier = receive(world)
    at = timezone.now() - timedelta(days=3)
    data = {"channel": "counter", "items": ["Bản sao giấy phép", "Đơn đề nghị"], "amount_vnd": 150000, "note": None}
    saved = DossierEvent(
        dossier=dossier,
        at=at,
        action="accept",
        actor=world.officer,
        status_from="submitted",
        status_to="accepted",
        note="Đủ thành phần",
        data=data,
    )
    saved.save()
    inserted = DossierEvent(
        dossier=dossier,
        at=at,
        action="accept",
        actor=world.officer,
        status_from="submitted",
        status_to="accepted",
        note="Đủ thành phần",
        data=data,
    )
    insert(inserted)
    assert inserted.pk and inserted.pk != saved.pk
    assert not inserted._state.adding and inserted._state.db == "default"
    assert _row(DossierEvent, inserted.pk) == _row(DossierEvent, saved.pk)
    assert DossierEvent.objects.get(pk=inserted.pk).data == data


def test_several_rows_in_one_statement_get_their_own_keys_in_order(django_assert_num_queries):
    now = timezone.now()
    messages = [
        Message(channel="email", template_code="t", recipient=f"nguoi{i}@example.vn", body=f"Nội dung {i}", next_attempt_at=now)
        for i in range(3)
    ]
    with django_assert_num_queries(1):
        insert(*messages)
    for i, message in enumerate(messages):
        stored = Message.objects.get(pk=message.pk)
        assert stored.recipient == f"nguoi{i}@example.vn" and stored.body == f"Nội dung {i}"
        assert stored.status == Message.Status.QUEUED and stored.attempts == 0
        assert stored.created_at is not None  # auto_now_add filled as save() fills it


def test_insert_refuses_a_mix_of_models():
    with pytest.raises(TypeError):
        insert(Message(channel="email", body="x", next_attempt_at=timezone.now()), DossierEvent())


def test_rows_written_with_the_audit_entry_are_written_and_the_entry_returned(django_assert_num_queries):
    world = World()
    dossier = receive(world)
    now = timezone.now()
    events = [
        DossierEvent(dossier=dossier, at=now, action="note", status_from="accepted", status_to="accepted", note=f"Ghi chú {i}")
        for i in range(2)
    ]
    message = Message(channel="sms", template_code="t", recipient="0977000111", body="Hồ sơ đã tiếp nhận", next_attempt_at=now)
    # PostgreSQL: the head lock (the entry's HMAC is computed in Python over the head's hash), then one
    # statement (the INSERTs as CTEs of the entry's and the head update); elsewhere the head lock, one
    # statement per group, the entry and the head update.
    with django_assert_num_queries(2 if connection.vendor == "postgresql" else 5):
        entry = audit_record(actor=SYSTEM, action="test.together", obj=dossier, together=[events, [message], []])
    assert entry.pk and entry.object_id == str(dossier.pk)
    assert list(DossierEvent.objects.filter(dossier=dossier, action="note").order_by("note").values_list("note", flat=True)) == [
        "Ghi chú 0",
        "Ghi chú 1",
    ]
    assert Message.objects.get(recipient="0977000111").body == "Hồ sơ đã tiếp nhận"


def test_rows_written_with_the_audit_entry_vanish_with_a_rollback():
    now = timezone.now()
    message = Message(channel="email", template_code="t", recipient="lan@example.vn", body="x", next_attempt_at=now)
    with pytest.raises(RuntimeError), transaction.atomic():
        audit_record(actor=SYSTEM, action="test.together", object_type="x", object_id="1", together=[[message]])
        raise RuntimeError("the service failed after writing")
    assert not Message.objects.filter(recipient="lan@example.vn").exists()


def test_a_dossier_inserted_equals_one_saved():
    """Every kind of column of the widest row: text, e-mail, choices, dates, booleans, counters, keys."""
    world = World()
    first = receive(world)
    at = timezone.now() - timedelta(hours=5)

    def copy(code):
        return Dossier(
            code=code,
            agency=world.agency,
            procedure_version=world.version,
            channel="postal",
            status="accepted",
            received_at=at,
            accepted_at=at,
            due_at=first.due_at,
            original_due_at=first.due_at,
            extended=True,
            supplement_count=2,
            result_delivery="post",
            postal_tracking="EMS123456789VN",
            return_address="Số 5 Lê Lợi, Quảng Ngãi",
            applicant_kind="organisation",
            applicant_name="Công ty TNHH Dung Quất",
            applicant_tax_code="4300123456",
            applicant_representative="Trần Văn Bình",
            applicant_birth_date=date(1980, 2, 29),
            applicant_email="lienhe@dungquat.vn",
            authorised_name="Lê Thị Cúc",
            created_by=world.officer,
            note="Nộp qua bưu chính",
        )

    saved, inserted = copy("H15.99-261126-0001"), copy("H15.99-261126-0002")
    saved.save()
    insert(inserted)
    skip = ("code", "created_at", "updated_at")
    assert _row(Dossier, inserted.pk, *skip) == _row(Dossier, saved.pk, *skip)
    stored = Dossier.objects.get(pk=inserted.pk)
    assert stored.created_at is not None and stored.updated_at is not None


def test_rows_written_with_the_audit_entry_equal_saved_ones():
    """The audit statement's rows (sent to PostgreSQL as JSON records) come back exactly as save() stores
    them: keys and empty keys, aware date-times to the microsecond, text with quotes, backslashes and
    Vietnamese, a JSON document with nesting, unicode, numbers and nulls."""
    world = World()
    dossier = receive(world)
    at = timezone.now().replace(microsecond=123456) - timedelta(days=2)
    data = {"lý do": 'Thiếu "bản sao" \\ chứng thực', "items": [1, 2.5, None, {"a": [True, False]}], "amount_vnd": 10**12}

    def rows():
        step = DossierStep(
            dossier=dossier,
            seq=90,
            name="Thẩm định hồ sơ 'đầu tư'",
            unit=world.units["MC"],
            agency=world.agency,
            assignee=None,
            giver=world.officer,
            received_at=at,
            due_at=at + timedelta(days=3, microseconds=7),
            handed_over_at=at + timedelta(hours=5),  # closed: a dossier has one open step
            timeliness="early",
            note="Dòng 1\nDòng 2\t€",
        )
        event = DossierEvent(
            dossier=dossier, at=at, action="note", actor=world.officer, status_from="accepted", status_to="accepted", data=data
        )
        return step, event

    saved_step, saved_event = rows()
    saved_step.save()
    saved_event.save()
    step, event = rows()
    step.seq = 91
    audit_record(actor=SYSTEM, action="test.together", obj=dossier, together=[[step], [event]])
    stored_step = DossierStep.objects.filter(dossier=dossier, seq=91).values().get()
    assert {k: v for k, v in stored_step.items() if k not in ("id", "seq")} == _row(DossierStep, saved_step.pk, "seq")
    stored_event = DossierEvent.objects.exclude(pk=saved_event.pk).filter(dossier=dossier, action="note").values().get()
    assert {k: v for k, v in stored_event.items() if k != "id"} == _row(DossierEvent, saved_event.pk)
    assert stored_event["data"] == data


def test_the_audit_statement_keeps_few_parameters_however_many_rows():
    """psycopg re-parses a statement of more than 50 parameters on every call; the audit statement sends
    each group of rows as one parameter, so a transition's statement stays under that whatever it writes."""
    world = World()
    dossier = receive(world)
    now = timezone.now()
    counts = []

    def count(execute, sql, params, many, context):
        counts.append(len(params or ()))
        return execute(sql, params, many, context)

    events = [
        DossierEvent(dossier=dossier, at=now, action="note", status_from="accepted", status_to="accepted", note=str(i))
        for i in range(20)
    ]
    messages = [
        Message(channel="sms", template_code="t", recipient=f"09770001{i:02d}", body="x", next_attempt_at=now) for i in range(5)
    ]
    with connection.execute_wrapper(count):
        audit_record(actor=SYSTEM, action="test.together", obj=dossier, together=[events, messages])
    assert DossierEvent.objects.filter(dossier=dossier, action="note").count() == 20
    assert Message.objects.filter(recipient__startswith="09770001").count() == 5
    if connection.vendor == "postgresql":
        assert len(counts) == 2 and max(counts) <= 50, counts
