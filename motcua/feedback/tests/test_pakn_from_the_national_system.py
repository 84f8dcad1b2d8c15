"""Petitions received on the national PAKN system (the fake national portal) are pulled into the addressed
agency's worklist once, acknowledged with our code; an unknown agency or invalid data is refused back with the
reason; every later stage and the answer go back through the integration outbox, in order, also after an
outage; another agency's staff neither see nor answer them."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from motcua.core.models import Agency, AuditLog, Unit
from motcua.core.roles import Role
from motcua.core.testing import make_staff
from motcua.feedback.models import Feedback
from motcua.feedback.national import pull
from motcua.feedback.selectors import feedback_worklist
from motcua.feedback.services import (
    feedback_answer,
    feedback_publish,
    feedback_receive_more_info,
    feedback_request_more_info,
    feedback_start,
)
from motcua.integrations.models import InboundMessage, IntegrationMessage
from motcua.integrations.services import deliver_due
from motcua.integrations.tests.conftest import portal  # noqa: F401 - the fake national portal fixture
from motcua.integrations.tests.support import drain

pytestmark = pytest.mark.django_db(transaction=True)


def _petition(national_id: str, agency_code: str, **extra) -> dict:
    item = {
        "MaPAKNQG": national_id,
        "MaCoQuan": agency_code,
        "LoaiPAKN": 2,
        "NoiDungLienQuan": 1,
        "TieuDe": "Thời hạn cấp giấy chứng nhận",
        "NoiDung": "Đề nghị rút ngắn thời hạn cấp giấy chứng nhận đăng ký đầu tư.",
        "NgayGui": "20261207083000",
        "NguoiGui": {"HoTen": "Lê Văn Cường", "SoDienThoai": "0911222333", "Email": "cuong@example.vn"},
    }
    item.update(extra)
    return item


def _updates(fake, national_id: str) -> list[tuple]:
    entries = [e for e in fake.received if e["kind"] == "pakn" and e["national_id"] == national_id]
    return [(e["action"], e["status_code"]) for e in sorted(entries, key=lambda e: e["sequence"])]


@pytest.fixture
def staff(agency):
    desk = Unit.objects.create(agency=agency, name="Bộ phận Một cửa", short_name="MC", is_one_stop_desk=True)
    return make_staff("motcua-qg", Role.ONE_STOP_OFFICER, unit=desk), make_staff("lanhdao-qg", Role.LEADER, unit=desk)


def test_a_petition_offered_twice_and_pulled_twice_is_received_once_and_acknowledged(portal, agency):  # noqa: F811
    portal.control(pakn=[_petition("PAKN-QG-0001", agency.code)], duplicate_callbacks=True)
    assert pull() == {"accepted": 1, "refused": 0, "duplicate": 1, "unanswerable": 0}
    assert pull() == {"accepted": 0, "refused": 0, "duplicate": 2, "unanswerable": 0}  # not acknowledged yet
    item = Feedback.objects.get()
    assert item.agency == agency and item.channel == "national" and item.kind == "kien_nghi"
    assert item.category == "procedure" and item.submitter_name == "Lê Văn Cường"
    assert item in feedback_worklist(agency=agency).items
    record = InboundMessage.objects.get()
    assert record.status == "accepted" and record.local_key == item.code and record.external_id == "pakn:PAKN-QG-0001"
    drain()
    (ack,) = [e for e in portal.received if e["kind"] == "pakn"]
    assert (ack["action"], ack["status_code"], ack["dossier_code"]) == ("receive", "received", item.code)
    # Acknowledged: the national system stops offering it.
    assert pull() == {"accepted": 0, "refused": 0, "duplicate": 0, "unanswerable": 0}
    assert Feedback.objects.count() == 1


def test_an_unknown_agency_and_invalid_data_are_refused_back_with_the_reason(portal, agency, capsys):  # noqa: F811
    portal.control(
        pakn=[
            _petition("PAKN-QG-0002", "H99.99"),
            _petition("PAKN-QG-0003", agency.code, NguoiGui={"HoTen": "Không Liên Lạc"}),  # neither phone nor e-mail
        ]
    )
    call_command("pull_national_pakn")
    assert "từ chối 2" in capsys.readouterr().out
    assert not Feedback.objects.exists()
    unknown = InboundMessage.objects.get(external_id="pakn:PAKN-QG-0002")
    assert unknown.status == "refused" and "H99.99" in unknown.reason and unknown.agency is None
    invalid = InboundMessage.objects.get(external_id="pakn:PAKN-QG-0003")
    assert invalid.status == "refused" and "submitter_phone" in invalid.reason and invalid.agency == agency
    assert AuditLog.objects.filter(action="integration.inbound_refused").count() == 2
    drain()
    refusals = {e["national_id"]: e for e in portal.received if e["kind"] == "pakn"}
    assert refusals["PAKN-QG-0002"]["action"] == "reject" and refusals["PAKN-QG-0002"]["reason"] == unknown.reason
    assert refusals["PAKN-QG-0003"]["status_code"] == "rejected" and refusals["PAKN-QG-0003"]["reason"] == invalid.reason
    assert pull()["refused"] == 0  # answered: not offered again


def test_the_answer_and_every_stage_reach_the_national_system_in_order(portal, agency, staff):  # noqa: F811
    officer, leader = staff
    portal.control(pakn=[_petition("PAKN-QG-0004", agency.code)])
    pull()
    item = Feedback.objects.get()
    item = feedback_start(feedback=item, actor=officer)
    answer = "Ban Quản lý đã rút ngắn thời hạn còn 12 ngày làm việc từ ngày 01/12/2026."
    item = feedback_answer(feedback=item, actor=officer, answer=answer)
    feedback_publish(feedback=item, actor=leader)
    drain()
    assert _updates(portal, "PAKN-QG-0004") == [
        ("receive", "received"),
        ("start", "in_progress"),
        ("answer", "answered"),
        ("publish", "published"),
    ]
    answered = [e for e in portal.received if e.get("action") == "answer"]
    assert answered[0]["answer"] == answer and answered[0]["dossier_code"] == item.code
    assert not portal.rejected and not any(e["out_of_order"] for e in portal.received)
    assert set(IntegrationMessage.objects.values_list("status", flat=True)) == {"delivered"}


def test_an_outage_loses_nothing_and_delivers_in_order_after_it(portal, agency, staff):  # noqa: F811
    officer, _leader = staff
    portal.control(pakn=[_petition("PAKN-QG-0005", agency.code)])
    pull()
    portal.stop()  # the national system goes away; the agency keeps working
    item = Feedback.objects.get()
    item = feedback_request_more_info(feedback=item, actor=officer, request="Xin ghi rõ số giấy chứng nhận.")
    item = feedback_receive_more_info(feedback=item, actor=officer, reply="Số 1234567890")
    item = feedback_start(feedback=item, actor=officer)
    feedback_answer(feedback=item, actor=officer, answer="Đã trả lời.")
    for _ in range(3):
        done = deliver_due()
        assert done["delivered"] == 0 and done["dead"] == 0
    assert IntegrationMessage.objects.filter(status="queued").exclude(last_error="").exists()
    portal.restart()
    drain()
    assert _updates(portal, "PAKN-QG-0005") == [
        ("receive", "received"),
        ("request_more_info", "more_info_requested"),
        ("receive_more_info", "received"),
        ("start", "in_progress"),
        ("answer", "answered"),
    ]
    assert not any(e["out_of_order"] for e in portal.received)


def test_another_agencys_staff_neither_see_nor_answer_it(portal, client, agency, staff):  # noqa: F811
    officer, _leader = staff
    portal.control(pakn=[_petition("PAKN-QG-0006", agency.code)])
    pull()
    item = Feedback.objects.get()
    other = Agency.objects.create(name="Sở Tài chính", short_name="STC", code="H15.12")
    stranger = make_staff(
        "stc-motcua", Role.ONE_STOP_OFFICER, unit=Unit.objects.create(agency=other, name="Một cửa STC", short_name="MC2")
    )
    client.force_login(stranger)
    assert item.code not in client.get(reverse("feedback:worklist")).content.decode()
    assert client.get(reverse("feedback:detail", args=[item.code])).status_code == 404
    response = client.post(reverse("feedback:action", args=[item.code, "start"]))
    assert response.status_code == 404
    item.refresh_from_db()
    assert item.status == "received"
    drain()
    assert _updates(portal, "PAKN-QG-0006") == [("receive", "received")]  # nothing else went out
    client.force_login(officer)
    assert client.get(reverse("feedback:detail", args=[item.code])).status_code == 200
