"""Staff pages: the clerk registers incoming documents, the leader assigns, the outgoing workflow runs
through the pages; roles are checked."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.core.roles import Role
from motcua.core.testing import make_staff
from motcua.documents.models import IncomingDocument, OutgoingDocument
from motcua.documents.samples import one_page_pdf


@pytest.mark.django_db
def test_anonymous_goes_to_login_and_wrong_role_gets_403(client, registers):
    assert client.get("/staff/van-ban/den/").status_code == 302
    client.force_login(make_staff("motcua1", Role.ONE_STOP_OFFICER))
    assert client.get("/staff/van-ban/den/").status_code == 403
    assert client.get("/staff/van-ban/").status_code == 403


@pytest.mark.django_db
def test_clerk_registers_and_leader_assigns(client, clerk, leader, registers, types, units):
    client.force_login(clerk)
    assert client.get("/staff/van-ban/den/dang-ky/").status_code == 200
    response = client.post(
        "/staff/van-ban/den/dang-ky/",
        {
            "register": registers["in"].pk,
            "sender": "Sở Tài chính",
            "sender_symbol": "12/STC-NS",
            "sender_date": "2021-03-01",
            "doc_type": types["CV"].pk,
            "summary": "Về việc dự toán",
            "urgency": "normal",
            "confidentiality": "normal",
            "is_electronic": "on",
            "files": [SimpleUploadedFile("cv.pdf", one_page_pdf(), content_type="application/pdf")],
        },
    )
    doc = IncomingDocument.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/staff/van-ban/den/{doc.pk}/")
    assert doc.files.count() == 1 and doc.files.get().verified_at is not None
    # the clerk cannot assign
    assert client.post(f"/staff/van-ban/den/{doc.pk}/phan-cong/", {"lead_unit": units["QLĐT"].pk}).status_code == 403
    client.force_login(leader)
    page = client.get(f"/staff/van-ban/den/{doc.pk}/")
    assert "Phân công xử lý" in page.content.decode()
    response = client.post(
        f"/staff/van-ban/den/{doc.pk}/phan-cong/",
        {"lead_unit": units["QLĐT"].pk, "coordinating_units": [units["QLDN"].pk], "deadline": "2030-01-10"},
    )
    assert response.status_code == 302
    doc.refresh_from_db()
    assert doc.lead_unit == units["QLĐT"] and doc.status == IncomingDocument.Status.ASSIGNED
    # list and search pages
    assert "Sở Tài chính" in client.get("/staff/van-ban/den/", {"q": "so tai chinh"}).content.decode()
    assert "Sở Tài chính" not in client.get("/staff/van-ban/den/", {"q": "xay dung"}).content.decode()


@pytest.mark.django_db
def test_outgoing_workflow_through_pages(client, specialist, leader, clerk, registers, types, units, identities, other_agency):
    client.force_login(specialist)
    response = client.post(
        "/staff/van-ban/di/du-thao/",
        {
            "register": registers["out"].pk,
            "doc_type": types["QD"].pk,
            "drafting_unit": units["QLĐT"].pk,
            "summary": "Quyết định thành lập Tổ công tác",
            "urgency": "normal",
            "confidentiality": "normal",
            "is_electronic": "on",
            "internal_recipients": [other_agency.pk],
            "other_recipients": "Lưu: VT, QLĐT",
            "main_file": SimpleUploadedFile("qd.pdf", one_page_pdf(), content_type="application/pdf"),
        },
    )
    doc = OutgoingDocument.objects.get()
    assert response.status_code == 302
    base = f"/staff/van-ban/di/{doc.pk}/"
    assert client.post(base + "submit/").status_code == 302
    assert client.post(base + "approve/").status_code == 403  # a specialist cannot sign
    client.force_login(leader)
    assert client.post(base + "number/").status_code == 403
    assert client.post(base + "approve/").status_code == 302
    client.force_login(clerk)
    for action in ("number", "seal", "dispatch", "archive"):
        assert client.post(base + f"{action}/").status_code == 302, action
    doc.refresh_from_db()
    assert doc.status == OutgoingDocument.Status.ARCHIVED and doc.symbol == "01/QĐ-BQL"
    html = client.get(base).content.decode()
    assert "Lê Quang Hưng" in html and "Ban Quản lý Khu kinh tế tỉnh" in html
    # a second number attempt is a 409 with a friendly page
    assert client.post(base + "number/").status_code == 409
    # file download is for the agency's staff
    file_id = doc.files.get().pk
    assert client.get(f"/staff/van-ban/tep/{file_id}/").status_code == 200
