"""Public PAKN pages: the agency's address for PAKN and the web form; a submission gets a code; lookup
needs the code and the sender's contact; a rejected upload keeps what was typed and creates nothing."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from motcua.core.models import AuditLog
from motcua.core.testing import pdf_bytes
from motcua.core.transitions import Applicant
from motcua.feedback import services
from motcua.feedback.models import Feedback, FeedbackAttachment
from motcua.feedback.services import feedback_request_more_info

from .test_open311_georeport_v2 import GeoReportClient

pytestmark = pytest.mark.django_db

PDF = pdf_bytes(1)  # a real one-page PDF: the upload policy parses what it accepts
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200 + b"This program cannot be run in DOS mode."
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde"


def form_data(**extra):
    data = {
        "kind": "kien_nghi",
        "category": "procedure",
        "title": "Rút ngắn thời gian cấp giấy chứng nhận",
        "content": "Đề nghị rút ngắn thời gian giải quyết thủ tục đăng ký đầu tư.",
        "submitter_name": "Trần Thị Bình",
        "submitter_phone": "0905 123 456",
        "submitter_email": "binh@example.vn",
        "submitter_address": "45 Trần Phú, phường Hải Châu",
        "consent": "on",
    }
    data.update(extra)
    return data


def test_public_page_shows_agency_address_phone_email_and_form(client, agency):
    body = client.get("/phan-anh-kien-nghi/").content.decode()
    assert agency.address in body and agency.phone in body and agency.email in body
    assert 'name="csrfmiddlewaretoken"' in body
    assert 'enctype="multipart/form-data"' in body
    assert "Gửi phản ánh, kiến nghị trực tuyến" in body


def test_submission_creates_an_item_and_shows_its_code(client, agency):
    upload = SimpleUploadedFile("giay-to.pdf", PDF, content_type="application/pdf")
    response = client.post("/phan-anh-kien-nghi/", form_data(attachments=[upload]))
    assert response.status_code == 302 and response["Location"] == "/phan-anh-kien-nghi/da-gui/"
    fb = Feedback.objects.get()
    assert fb.kind == "kien_nghi" and fb.channel == "web" and fb.submitter_name == "Trần Thị Bình"
    att = fb.attachments.get()
    assert att.content_type == "application/pdf" and att.size == len(PDF)
    page = client.get(response["Location"]).content.decode()
    assert fb.code in page
    assert AuditLog.objects.filter(action="feedback.submit", object_id=str(fb.pk)).exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("quyet-dinh.pdf", EXE, "không đúng định dạng được chấp nhận"),  # an .exe renamed .pdf
        ("anh-chup.pdf", PNG, "tên tệp không khớp với nội dung"),  # a real PNG named .pdf
    ],
)
def test_upload_of_the_wrong_type_keeps_the_form_and_creates_nothing(client, agency, name, content, message):
    upload = SimpleUploadedFile(name, content, content_type="application/pdf")
    response = client.post("/phan-anh-kien-nghi/", form_data(attachments=[upload]))
    assert response.status_code == 400
    body = response.content.decode()
    assert message in body
    # what the person typed is still there
    assert 'value="Trần Thị Bình"' in body
    assert 'value="0905 123 456"' in body
    assert "Đề nghị rút ngắn thời gian giải quyết thủ tục đăng ký đầu tư." in body
    assert re.search(r'<input type="radio" name="kind" value="kien_nghi"[^>]*checked', body)
    assert "nội dung bạn đã nhập vẫn được giữ nguyên" in body
    assert Feedback.objects.count() == 0 and FeedbackAttachment.objects.count() == 0
    assert not AuditLog.objects.filter(action="feedback.submit").exists()


def test_upload_too_large_keeps_the_form_and_creates_nothing(client, agency, settings):
    settings.MOTCUA_MAX_UPLOAD_BYTES = 1024
    upload = SimpleUploadedFile("bien-ban.pdf", PDF + b"0" * 2048, content_type="application/pdf")
    response = client.post("/phan-anh-kien-nghi/", form_data(attachments=[upload]))
    assert response.status_code == 400
    body = response.content.decode()
    assert "vượt quá giới hạn" in body
    assert 'value="binh@example.vn"' in body and 'value="45 Trần Phú, phường Hải Châu"' in body
    assert Feedback.objects.count() == 0


def test_missing_fields_get_vietnamese_errors_and_keep_input(client, agency):
    response = client.post("/phan-anh-kien-nghi/", form_data(content="", submitter_phone="", submitter_email=""))
    assert response.status_code == 400
    body = response.content.decode()
    assert "Vui lòng nhập nội dung phản ánh, kiến nghị." in body
    assert "Vui lòng nhập số điện thoại hoặc thư điện tử" in body
    assert 'value="Rút ngắn thời gian cấp giấy chứng nhận"' in body
    assert Feedback.objects.count() == 0


def test_form_without_csrf_token_is_refused(agency):
    strict = Client(enforce_csrf_checks=True)
    assert strict.post("/phan-anh-kien-nghi/", form_data()).status_code == 403
    assert Feedback.objects.count() == 0


def test_lookup_needs_code_and_the_senders_contact(client, make_feedback):
    fb = make_feedback(submitter_phone="0912 345 678", submitter_email="an@example.vn")
    ok = client.post("/phan-anh-kien-nghi/tra-cuu/", {"code": fb.code.lower(), "contact": "0912345678"}).content.decode()
    assert "Đã tiếp nhận" in ok and fb.content in ok
    ok_mail = client.post("/phan-anh-kien-nghi/tra-cuu/", {"code": fb.code, "contact": "AN@example.vn"}).content.decode()
    assert fb.content in ok_mail
    wrong = client.post("/phan-anh-kien-nghi/tra-cuu/", {"code": fb.code, "contact": "0999999999"}).content.decode()
    unknown = client.post("/phan-anh-kien-nghi/tra-cuu/", {"code": "PAKN-000101-9999", "contact": "0912345678"}).content.decode()
    message = "Không tìm thấy phản ánh, kiến nghị với mã và thông tin liên hệ đã nhập."
    assert message in wrong and message in unknown
    assert fb.content not in wrong


def test_lookup_is_rate_limited(client, make_feedback):
    fb = make_feedback()
    statuses = [
        client.post("/phan-anh-kien-nghi/tra-cuu/", {"code": f"PAKN-260101-{i:04d}", "contact": "0912345678"}).status_code
        for i in range(21)
    ]
    assert statuses[:20] == [200] * 20 and statuses[20] == 429
    # even the right answer is refused until the window passes
    assert client.post("/phan-anh-kien-nghi/tra-cuu/", {"code": fb.code, "contact": "0912345678"}).status_code == 429


def test_sender_answers_a_request_for_more_information_from_the_lookup_page(client, make_feedback, officer):
    fb = make_feedback(submitter_phone="0912345678")
    feedback_request_more_info(feedback=fb, actor=officer, request="Cho biết số hồ sơ đã nộp.")
    page = client.post("/phan-anh-kien-nghi/tra-cuu/", {"code": fb.code, "contact": "0912345678"}).content.decode()
    assert "Cho biết số hồ sơ đã nộp." in page and 'name="reply"' in page
    # a wrong contact cannot answer
    client.post("/phan-anh-kien-nghi/tra-cuu/", {"code": fb.code, "contact": "0900000000", "reply": "Giả mạo"})
    fb.refresh_from_db()
    assert fb.status == "more_info_requested" and "Giả mạo" not in fb.more_info_reply
    client.post("/phan-anh-kien-nghi/tra-cuu/", {"code": fb.code, "contact": "0912345678", "reply": "Hồ sơ H15.50-260105-0001."})
    fb.refresh_from_db()
    assert fb.status == "received" and "H15.50-260105-0001" in fb.more_info_reply
    assert AuditLog.objects.filter(action="feedback.receive_more_info", object_id=str(fb.pk)).exists()


def _spy(monkeypatch, name: str) -> list:
    """Record the actor every call of services.<name> receives (the real service still runs)."""
    seen, real = [], getattr(services, name)

    def spy(**kwargs):
        seen.append(kwargs.get("actor"))
        return real(**kwargs)

    monkeypatch.setattr(services, name, spy)
    return seen


def test_a_public_pakn_request_reaches_the_service_as_an_applicant(client, agency, make_feedback, officer, monkeypatch):
    submitted, replied = _spy(monkeypatch, "feedback_submit"), _spy(monkeypatch, "feedback_receive_more_info")
    assert client.post("/phan-anh-kien-nghi/", form_data()).status_code == 302
    status, _ = GeoReportClient().post_service_request(service_code="other", description="Đèn đường hỏng.", email="an@example.vn")
    assert status == 201
    fb = make_feedback(submitter_phone="0912345678")
    feedback_request_more_info(feedback=fb, actor=officer, request="Cho biết số hồ sơ.")
    client.post("/phan-anh-kien-nghi/tra-cuu/", {"code": fb.code, "contact": "0912345678", "reply": "Hồ sơ số 7."})
    assert len(submitted) == 2 and len(replied) == 1
    assert all(isinstance(actor, Applicant) for actor in submitted + replied)
    entries = AuditLog.objects.filter(action__in=["feedback.submit", "feedback.receive_more_info"]).exclude(
        object_id=str(fb.pk), action="feedback.submit"
    )
    assert entries.count() == 3
    assert {e.actor_id for e in entries} == {None} and all(e.actor_repr.startswith("applicant:") for e in entries)


def test_a_reply_to_an_item_not_waiting_for_information_is_a_409_page(client, make_feedback):
    fb = make_feedback(submitter_phone="0912345678")
    response = client.post("/phan-anh-kien-nghi/tra-cuu/", {"code": fb.code, "contact": "0912345678", "reply": "Thêm ý."})
    assert response.status_code == 409
    fb.refresh_from_db()
    assert fb.status == "received" and "Thêm ý." not in fb.more_info_reply
