"""PAKN free text has a length limit per field: a 1 MB content, reason, request or answer is refused with
a field error (a Vietnamese message on the form or the 400 page) and nothing changes."""

import pytest

from motcua.core.errors import ValidationFailed
from motcua.core.models import Unit
from motcua.core.roles import Role
from motcua.core.testing import make_staff
from motcua.core.validators import CONTENT_MAX, NOTE_MAX
from motcua.feedback.models import Feedback, Status
from motcua.feedback.services import feedback_answer, feedback_refuse, feedback_request_more_info, feedback_start

from .test_open311_georeport_v2 import GeoReportClient, assert_error_list
from .test_public_pakn_pages import form_data

pytestmark = pytest.mark.django_db

ONE_MB = "a" * (1024 * 1024)


def test_an_open311_description_over_the_limit_is_a_400_not_a_truncated_item(agency):
    status, body = GeoReportClient().post_service_request(service_code="other", description="a" * 10001, email="a@example.vn")
    assert status == 400
    assert_error_list(body, 400)
    assert any("content" in err["description"] for err in body)
    assert not Feedback.objects.exists()


def test_a_1_mb_pakn_content_is_refused_on_the_public_form(client, agency):
    response = client.post("/phan-anh-kien-nghi/", form_data(content=ONE_MB))
    assert response.status_code == 400
    assert "Nội dung tối đa 10.000 ký tự." in response.content.decode()
    assert not Feedback.objects.exists()


@pytest.mark.parametrize(
    "call, field, limit",
    [
        (lambda fb, actor: feedback_refuse(feedback=fb, actor=actor, reason=ONE_MB), "reason", NOTE_MAX),
        (lambda fb, actor: feedback_request_more_info(feedback=fb, actor=actor, request=ONE_MB), "request", NOTE_MAX),
        (
            lambda fb, actor: feedback_answer(feedback=feedback_start(feedback=fb, actor=actor), actor=actor, answer=ONE_MB),
            "answer",
            CONTENT_MAX,
        ),
    ],
    ids=["reason", "request", "answer"],
)
def test_a_1_mb_staff_text_is_a_field_error_and_nothing_changes(make_feedback, officer, call, field, limit):
    fb = make_feedback()
    with pytest.raises(ValidationFailed) as exc:
        call(fb, officer)
    assert list(exc.value.fields) == [field]
    assert exc.value.fields[field][0].startswith(f"Tối đa {limit:,} ký tự".replace(",", "."))
    fb.refresh_from_db()
    assert fb.status in (Status.RECEIVED, Status.IN_PROGRESS) and fb.answer == "" and fb.refuse_reason == ""


def test_the_staff_page_answers_400_with_the_message(client, make_feedback, agency):
    desk = Unit.objects.create(agency=agency, name="Bộ phận Một cửa", short_name="MC", is_one_stop_desk=True)
    officer = make_staff("motcua-pakn", Role.ONE_STOP_OFFICER, unit=desk)  # staff of the item's agency
    fb = feedback_start(feedback=make_feedback(), actor=officer)
    client.force_login(officer)
    response = client.post(f"/staff/pakn/{fb.code}/answer/", {"answer": ONE_MB})
    assert response.status_code == 400
    assert "Tối đa 10.000 ký tự" in response.content.decode()
    assert Feedback.objects.get(pk=fb.pk).answer == ""
