"""Every step of a document names its actor (core.transitions): staff by their roles, SYSTEM for the
copies the system delivers to another agency in it; an applicant takes none, and no actor is an error.
The pages show only the steps the user may take, and a step taken from the wrong status is a 409 page."""

import pytest

from motcua.core.errors import PermissionDeniedError
from motcua.core.models import AuditLog
from motcua.core.transitions import Applicant
from motcua.documents import services
from motcua.documents.models import IncomingDocument, OutgoingDocument
from motcua.documents.samples import one_page_pdf

pytestmark = pytest.mark.django_db

S = OutgoingDocument.Status


@pytest.fixture
def draft(specialist, registers, types, units, other_agency):
    return services.outgoing_create_draft(
        actor=specialist,
        register=registers["out"],
        doc_type=types["CV"],
        summary="V/v lịch tiếp công dân",
        drafting_unit=units["QLĐT"],
        recipients=[{"agency": other_agency}],
        files=[("cong-van.pdf", one_page_pdf())],
    )


@pytest.fixture
def incoming(clerk, registers, types):
    return services.incoming_register(
        actor=clerk, register=registers["in"], sender="Sở Nội vụ", doc_type=types["CV"], summary="Về việc tuyển dụng"
    )


def test_an_applicant_cannot_take_a_document_step(draft, incoming, registers, types, units):
    applicant = Applicant(via="lookup")
    steps = [
        lambda: services.incoming_register(
            actor=applicant, register=registers["in"], sender="Tôi", doc_type=types["CV"], summary="Đơn"
        ),
        lambda: services.incoming_assign(actor=applicant, document=incoming, lead_unit=units["QLĐT"]),
        lambda: services.outgoing_create_draft(
            actor=applicant, register=registers["out"], doc_type=types["CV"], summary="Dự thảo", drafting_unit=units["QLĐT"]
        ),
        lambda: services.outgoing_submit(actor=applicant, document=draft),
    ]
    audit_count = AuditLog.objects.count()
    for step in steps:
        with pytest.raises(PermissionDeniedError) as exc:
            step()
        assert exc.value.status_code == 403
    assert AuditLog.objects.count() == audit_count
    assert IncomingDocument.objects.count() == 1 and OutgoingDocument.objects.get().status == S.DRAFT


def test_a_document_step_without_an_actor_is_refused(draft, incoming, agency, registers, types, units):
    with pytest.raises(TypeError):
        services.outgoing_submit(actor=None, document=draft)
    with pytest.raises(TypeError):
        services.incoming_register(
            actor=None, register=registers["in"], sender="Sở Nội vụ", doc_type=types["CV"], summary="Về việc tuyển dụng"
        )
    with pytest.raises(TypeError):
        services.incoming_record_handling(actor=None, document=incoming, note="Đã xem")
    with pytest.raises(TypeError):
        services.register_create(actor=None, agency=agency, kind="incoming", name="Sổ khác")
    assert OutgoingDocument.objects.get().status == S.DRAFT and IncomingDocument.objects.count() == 1


def test_the_copy_delivered_to_another_agency_is_registered_by_the_system(draft, specialist, leader, clerk, other_agency):
    services.outgoing_submit(actor=specialist, document=draft)
    services.outgoing_approve(actor=leader, document=draft, digital=False)
    services.outgoing_number(actor=clerk, document=draft)
    services.outgoing_seal(actor=clerk, document=draft, digital=False)
    services.outgoing_dispatch(actor=clerk, document=draft, paper=False)
    copy = IncomingDocument.objects.get(register__agency=other_agency)
    assert copy.registered_by is None and copy.steps.get().actor is None
    registered = AuditLog.objects.get(action="incoming_document.register", object_id=str(copy.pk))
    assert registered.actor_id is None and registered.actor_repr == "system"
    dispatched = AuditLog.objects.get(action="outgoing_document.dispatch", object_id=str(draft.pk))
    assert dispatched.actor_id == clerk.pk


def test_the_outgoing_page_shows_only_the_steps_the_user_may_take(client, draft, specialist, leader, clerk):
    services.outgoing_submit(actor=specialist, document=draft)
    page = f"/staff/van-ban/di/{draft.pk}/"
    client.force_login(specialist)
    assert "Duyệt và ký số" not in client.get(page).content.decode()
    client.force_login(clerk)
    assert "Duyệt và ký số" not in client.get(page).content.decode()
    client.force_login(leader)
    body = client.get(page).content.decode()
    assert "Duyệt và ký số" in body and "Trả lại để sửa" in body and "Cấp số" not in body


def test_closing_an_incoming_document_before_it_is_assigned_is_a_409_page(client, incoming, specialist):
    client.force_login(specialist)
    response = client.post(f"/staff/van-ban/den/{incoming.pk}/xu-ly/", {"note": "Đã giải quyết", "action": "close"})
    assert response.status_code == 409
    assert "Không thể “kết thúc xử lý” khi văn bản đến đang ở trạng thái “Đã đăng ký, chờ phân công”" in response.content.decode()
    incoming.refresh_from_db()
    assert incoming.status == IncomingDocument.Status.REGISTERED


def test_a_clerk_records_handling_but_cannot_close_an_incoming_document(client, incoming, clerk, leader, units):
    services.incoming_assign(actor=leader, document=incoming, lead_unit=units["QLĐT"])
    client.force_login(clerk)
    assert client.post(f"/staff/van-ban/den/{incoming.pk}/xu-ly/", {"note": "Đã chuyển bản giấy"}).status_code == 302
    assert client.post(f"/staff/van-ban/den/{incoming.pk}/xu-ly/", {"note": "Xong", "action": "close"}).status_code == 403
    incoming.refresh_from_db()
    assert incoming.status == IncomingDocument.Status.ASSIGNED
