"""Open311 GeoReport v2: a small client written from the spec (parameter names and response fields as
the spec names them) talks to /open311/v2/ with Django's test client."""

import json
import re
from urllib.parse import urlencode

import pytest
from django.test import Client

from motcua.feedback.models import Feedback
from motcua.feedback.services import feedback_answer, feedback_publish, feedback_start

from .conftest import vn

pytestmark = pytest.mark.django_db

ISO_WITH_OFFSET = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}([+-]\d{2}:\d{2}|Z)$")
REQUEST_FIELDS = {
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
}


class GeoReportClient:
    """What a civic-tech app does: form-encoded POST, JSON GETs, errors as [{code, description}]."""

    def __init__(self, endpoint="/open311/v2", api_key=None):
        self.endpoint, self.api_key = endpoint, api_key
        self.http = Client(enforce_csrf_checks=True)  # a real client has no CSRF cookie

    def _decode(self, response):
        assert response["Content-Type"].startswith("application/json")
        return response.status_code, json.loads(response.content.decode("utf-8"))

    def get_service_list(self, **params):
        return self._decode(self.http.get(f"{self.endpoint}/services.json", params))

    def get_service_requests(self, **params):
        return self._decode(self.http.get(f"{self.endpoint}/requests.json", params))

    def get_service_request(self, service_request_id, **params):
        return self._decode(self.http.get(f"{self.endpoint}/requests/{service_request_id}.json", params))

    def post_service_request(self, **params):
        if self.api_key:
            params["api_key"] = self.api_key
        return self._decode(
            self.http.post(f"{self.endpoint}/requests.json", urlencode(params), content_type="application/x-www-form-urlencoded")
        )


def assert_error_list(body, code):
    assert isinstance(body, list) and body
    for err in body:
        assert set(err) == {"code", "description"} and err["code"] == code and err["description"]


def test_service_list(agency):
    status, services = GeoReportClient().get_service_list()
    assert status == 200
    assert {s["service_code"] for s in services} == {"procedure", "regulation", "attitude", "other"}
    for s in services:
        assert set(s) == {"service_code", "service_name", "description", "metadata", "type", "keywords", "group"}
        assert s["metadata"] is False and s["type"] == "realtime" and isinstance(s["keywords"], str)
        assert s["group"] == "Phản ánh, kiến nghị"


def test_post_then_get_the_request(agency):
    c = GeoReportClient()
    status, body = c.post_service_request(
        service_code="attitude",
        description="Cán bộ tiếp nhận không hướng dẫn rõ.",
        email="hoa@example.vn",
        first_name="Hoa",
        last_name="Lê Thị",
        phone="0987654321",
        lat="16.054400",
        long="108.202200",
        address_string="Trung tâm hành chính",
    )
    assert status == 201
    assert isinstance(body, list) and len(body) == 1
    assert body[0]["service_request_id"].startswith("PAKN-") and body[0]["service_notice"]
    fb = Feedback.objects.get(code=body[0]["service_request_id"])
    assert fb.channel == "open311" and fb.submitter_name == "Lê Thị Hoa" and fb.category == "attitude"
    assert float(fb.lat) == pytest.approx(16.0544)

    status, requests = c.get_service_request(fb.code)
    assert status == 200 and isinstance(requests, list) and len(requests) == 1
    req = requests[0]
    assert set(req) == REQUEST_FIELDS
    assert req["service_request_id"] == fb.code and req["status"] == "open" and req["service_code"] == "attitude"
    assert ISO_WITH_OFFSET.match(req["requested_datetime"]) and req["requested_datetime"].endswith("+07:00")
    assert ISO_WITH_OFFSET.match(req["updated_datetime"]) and ISO_WITH_OFFSET.match(req["expected_datetime"])
    assert req["status_notes"].startswith("Đã tiếp nhận")
    assert req["lat"] == pytest.approx(16.0544) and req["long"] == pytest.approx(108.2022)
    # personal data and unpublished content never go out on the public API
    text = json.dumps(requests, ensure_ascii=False)
    assert "hoa@example.vn" not in text and "0987654321" not in text and "Lê Thị Hoa" not in text
    assert req["description"] == ""


def test_post_with_address_string_only_and_api_key_ignored_when_not_configured(agency):
    status, body = GeoReportClient(api_key="anything").post_service_request(
        service_code="procedure", description="Hướng dẫn thủ tục chưa rõ.", phone="0905000111", address_string="KKT"
    )
    assert status == 201 and body[0]["service_request_id"]


def test_post_errors_follow_the_spec(agency, settings):
    c = GeoReportClient()
    status, body = c.post_service_request(description="Thiếu mã dịch vụ", email="a@example.vn")
    assert status == 400
    assert_error_list(body, 400)
    status, body = c.post_service_request(service_code="pothole", description="x", email="a@example.vn")
    assert status == 404
    assert_error_list(body, 404)
    status, body = c.post_service_request(service_code="other", description="x", email="a@example.vn", lat="16.0")
    assert status == 400
    assert_error_list(body, 400)
    status, body = c.post_service_request(service_code="other", description="Không có liên hệ")
    assert status == 400
    assert_error_list(body, 400)
    status, body = c.post_service_request(service_code="other", description="", email="a@example.vn")
    assert status == 400
    settings.MOTCUA_OPEN311_API_KEYS = ["secret-key"]
    status, body = c.post_service_request(service_code="other", description="Có khóa sai", email="a@example.vn", api_key="wrong")
    assert status == 403
    assert_error_list(body, 403)
    status, body = GeoReportClient(api_key="secret-key").post_service_request(
        service_code="other", description="Có khóa đúng", email="a@example.vn"
    )
    assert status == 201
    assert Feedback.objects.count() == 1


def test_unknown_request_id_is_404_in_the_spec_format(agency):
    status, body = GeoReportClient().get_service_request("PAKN-000101-0001")
    assert status == 404
    assert_error_list(body, 404)


def test_get_requests_filters(agency, make_feedback, officer, leader):
    a = make_feedback(category="procedure", received_at=vn(2026, 3, 2, 9, 0))
    b = make_feedback(category="regulation", received_at=vn(2026, 3, 10, 9, 0))
    c_ = make_feedback(category="procedure", received_at=vn(2026, 4, 1, 9, 0), content="Đã công khai.")
    c_ = feedback_start(feedback=c_, actor=officer)
    c_ = feedback_answer(feedback=c_, actor=officer, answer="Câu trả lời công khai.")
    feedback_publish(feedback=c_, actor=leader)
    cl = GeoReportClient()

    def ids(**params):
        status, body = cl.get_service_requests(**params)
        assert status == 200 and isinstance(body, list)
        for req in body:
            assert set(req) == REQUEST_FIELDS
        return [r["service_request_id"] for r in body]

    window = {"start_date": "2026-03-01T00:00:00+07:00", "end_date": "2026-04-30T23:59:59+07:00"}
    assert ids(**window) == [c_.code, b.code, a.code]  # newest first
    assert ids(service_code="procedure", **window) == [c_.code, a.code]
    assert ids(status="closed", **window) == [c_.code]
    assert ids(status="open", **window) == [b.code, a.code]
    assert ids(status="open,closed", **window) == [c_.code, b.code, a.code]
    assert ids(start_date="2026-03-05T00:00:00Z", end_date="2026-03-31T00:00:00Z") == [b.code]
    assert ids(service_request_id=f"{a.code},{b.code}") == [b.code, a.code]
    assert ids() == []  # default window: the last 90 days

    _, body = cl.get_service_request(c_.code)
    assert body[0]["status"] == "closed" and body[0]["description"] == "Đã công khai."
    assert "Câu trả lời công khai." in body[0]["status_notes"] and body[0]["expected_datetime"] is None

    status, body = cl.get_service_requests(start_date="hôm qua")
    assert status == 400
    assert_error_list(body, 400)
    status, body = cl.get_service_requests(status="pending")
    assert status == 400
    status, body = cl.get_service_requests(jurisdiction_id="X99")
    assert status == 404
    assert_error_list(body, 404)
    status, body = cl.get_service_requests(jurisdiction_id=agency.code, **window)
    assert status == 200 and len(body) == 3
