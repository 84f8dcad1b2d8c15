"""Each PAKN transition is allowed only from its statuses (else TransitionNotAllowed → 409), only for
its roles, and leaves an audit entry."""

import pytest

from motcua.core.errors import PermissionDeniedError, TransitionNotAllowed, ValidationFailed
from motcua.core.models import AuditLog
from motcua.core.transitions import SYSTEM, Applicant
from motcua.feedback.models import Feedback, Status
from motcua.feedback.services import (
    feedback_answer,
    feedback_publish,
    feedback_receive_more_info,
    feedback_refuse,
    feedback_request_more_info,
    feedback_start,
    feedback_submit,
)
from motcua.notifications.models import Message

pytestmark = pytest.mark.django_db


def test_full_path_received_in_progress_answered_published(make_feedback, officer, specialist, leader):
    fb = make_feedback()
    assert fb.status == Status.RECEIVED
    fb = feedback_start(feedback=fb, actor=specialist)
    assert fb.status == Status.IN_PROGRESS and fb.handler == specialist
    fb = feedback_answer(feedback=fb, actor=specialist, answer="Đã rút ngắn thời gian giải quyết.")
    assert fb.status == Status.ANSWERED and fb.publish_due is not None
    assert not fb.is_published
    fb = feedback_publish(feedback=fb, actor=leader)
    fb.refresh_from_db()
    assert fb.status == Status.PUBLISHED and fb.is_published and fb.published_at is not None
    actions = list(
        AuditLog.objects.filter(object_id=str(fb.pk), object_type="feedback.feedback").values_list("action", flat=True)
    )
    assert actions == ["feedback.submit", "feedback.start", "feedback.answer", "feedback.publish"]


def test_more_info_loop_then_refuse(make_feedback, officer):
    fb = make_feedback()
    fb = feedback_request_more_info(feedback=fb, actor=officer, request="Cung cấp số hồ sơ.")
    assert fb.status == Status.MORE_INFO_REQUESTED
    fb = feedback_receive_more_info(feedback=fb, actor=officer, reply="Số hồ sơ 123.")
    assert fb.status == Status.RECEIVED
    fb = feedback_refuse(feedback=fb, actor=officer, reason="Không thuộc thẩm quyền.")
    assert fb.status == Status.REFUSED and fb.current_due is None


@pytest.mark.parametrize(
    ("setup", "action"),
    [
        ([], "answer"),
        ([], "publish"),
        ([], "receive_more_info"),
        (["start"], "refuse"),
        (["start"], "start"),
        (["start"], "request_more_info"),
        (["start", "answer"], "answer"),
        (["start", "answer", "publish"], "publish"),
        (["refuse"], "start"),
        (["more"], "start"),
        (["more"], "answer"),
    ],
)
def test_disallowed_transitions_raise_409(make_feedback, officer, leader, setup, action):
    fb = make_feedback()
    calls = {
        "start": lambda f: feedback_start(feedback=f, actor=officer),
        "answer": lambda f: feedback_answer(feedback=f, actor=officer, answer="Trả lời."),
        "publish": lambda f: feedback_publish(feedback=f, actor=leader),
        "refuse": lambda f: feedback_refuse(feedback=f, actor=officer, reason="Lý do."),
        "more": lambda f: feedback_request_more_info(feedback=f, actor=officer, request="Bổ sung."),
        "request_more_info": lambda f: feedback_request_more_info(feedback=f, actor=officer, request="Bổ sung."),
        "receive_more_info": lambda f: feedback_receive_more_info(feedback=f, actor=officer, reply="Đây."),
    }
    for step in setup:
        fb = calls[step](fb)
    before = Feedback.objects.get(pk=fb.pk).status
    audit_count = AuditLog.objects.count()
    with pytest.raises(TransitionNotAllowed) as exc:
        calls[action](fb)
    assert exc.value.status_code == 409
    assert Feedback.objects.get(pk=fb.pk).status == before
    assert AuditLog.objects.count() == audit_count


def test_roles_handlers_handle_and_only_leaders_publish(make_feedback, officer, leader):
    fb = make_feedback()
    with pytest.raises(PermissionDeniedError):
        feedback_start(feedback=fb, actor=leader)  # leaders approve publication, they do not handle
    fb = feedback_start(feedback=fb, actor=officer)
    fb = feedback_answer(feedback=fb, actor=officer, answer="Trả lời.")
    with pytest.raises(PermissionDeniedError):
        feedback_publish(feedback=fb, actor=officer)
    assert feedback_publish(feedback=fb, actor=leader).status == Status.PUBLISHED


def test_refusing_needs_a_reason_and_answering_needs_text(make_feedback, officer):
    fb = make_feedback()
    with pytest.raises(ValidationFailed):
        feedback_refuse(feedback=fb, actor=officer, reason="  ")
    fb = feedback_start(feedback=fb, actor=officer)
    with pytest.raises(ValidationFailed):
        feedback_answer(feedback=fb, actor=officer, answer="")


def test_staff_action_page_answers_409_for_a_disallowed_move(client, make_feedback, officer):
    fb = make_feedback()
    client.force_login(officer)
    response = client.post(f"/staff/pakn/{fb.code}/answer/", {"answer": "Trả lời."})
    assert response.status_code == 409
    assert "Không thể “trả lời” khi phản ánh, kiến nghị đang ở trạng thái “Đã tiếp nhận”" in response.content.decode()
    assert Feedback.objects.get(pk=fb.pk).status == Status.RECEIVED


@pytest.mark.parametrize("via", ["unverified", "lookup"])
@pytest.mark.parametrize("action", ["refuse", "request_more_info", "start", "answer", "publish"])
def test_an_applicant_cannot_take_a_staff_transition(make_feedback, officer, via, action):
    fb = make_feedback()
    if action == "answer":
        fb = feedback_start(feedback=fb, actor=officer)
    elif action == "publish":
        fb = feedback_answer(feedback=feedback_start(feedback=fb, actor=officer), actor=officer, answer="Trả lời.")
    calls = {
        "refuse": lambda actor: feedback_refuse(feedback=fb, actor=actor, reason="Lý do."),
        "request_more_info": lambda actor: feedback_request_more_info(feedback=fb, actor=actor, request="Bổ sung."),
        "start": lambda actor: feedback_start(feedback=fb, actor=actor, handler=officer),
        "answer": lambda actor: feedback_answer(feedback=fb, actor=actor, answer="Tự trả lời."),
        "publish": lambda actor: feedback_publish(feedback=fb, actor=actor),
    }
    before, audit_count = Feedback.objects.get(pk=fb.pk).status, AuditLog.objects.count()
    with pytest.raises(PermissionDeniedError) as exc:
        calls[action](Applicant(via=via))
    assert exc.value.status_code == 403
    assert Feedback.objects.get(pk=fb.pk).status == before
    assert AuditLog.objects.count() == audit_count


def test_the_submitter_may_send_the_information_asked_for_only_while_it_is_asked(make_feedback, officer):
    fb = make_feedback()
    with pytest.raises(TransitionNotAllowed):
        feedback_receive_more_info(feedback=fb, actor=Applicant(via="lookup"), reply="Chưa ai hỏi.")
    feedback_request_more_info(feedback=fb, actor=officer, request="Cung cấp số hồ sơ.")
    with pytest.raises(PermissionDeniedError):  # someone who proved nothing (the public form) may not answer
        feedback_receive_more_info(feedback=fb, actor=Applicant(via="unverified"), reply="Giả mạo.")
    fb = feedback_receive_more_info(feedback=fb, actor=Applicant(via="lookup"), reply="Số hồ sơ 123.")
    assert fb.status == Status.RECEIVED
    entry = AuditLog.objects.get(action="feedback.receive_more_info", object_id=str(fb.pk))
    assert entry.actor_id is None and entry.actor_repr == "applicant:lookup" and entry.changes["by_submitter"] is True


def test_a_transition_without_an_actor_is_refused(make_feedback, officer, agency):
    fb = make_feedback()
    audit_count = AuditLog.objects.count()
    with pytest.raises(TypeError):
        feedback_start(feedback=fb, actor=None, handler=officer)
    with pytest.raises(TypeError):
        feedback_receive_more_info(feedback=fb, actor=None, reply="Đây.")
    with pytest.raises(TypeError):
        feedback_submit(
            kind="phan_anh",
            category="procedure",
            content="Nội dung.",
            submitter_name="An",
            submitter_phone="0912345678",
            agency=agency,
            actor=None,
        )
    assert Feedback.objects.get(pk=fb.pk).status == Status.RECEIVED
    assert AuditLog.objects.count() == audit_count


def test_system_takes_a_step_with_a_named_handler_and_is_audited_as_system(make_feedback, officer):
    fb = feedback_start(feedback=make_feedback(), actor=SYSTEM, handler=officer)
    assert fb.status == Status.IN_PROGRESS and fb.handler == officer
    assert AuditLog.objects.get(action="feedback.start", object_id=str(fb.pk)).actor_repr == "system"
    with pytest.raises(ValidationFailed):
        feedback_start(feedback=make_feedback(), actor=SYSTEM)  # nobody to hand it to


def test_submitter_is_told_by_mail_on_reception_and_answer(make_feedback, officer):
    fb = make_feedback(submitter_email="an@example.vn")
    received = Message.objects.filter(template_code="feedback_received", object_id=str(fb.pk), recipient="an@example.vn")
    assert received.count() == 1 and fb.code in received.get().body and "/phan-anh-kien-nghi/tra-cuu/" in received.get().body
    fb = feedback_start(feedback=fb, actor=officer)
    feedback_answer(feedback=fb, actor=officer, answer="Ban đã rút ngắn thời hạn.")
    answered = Message.objects.get(template_code="feedback_answered", object_id=str(fb.pk))
    assert "Ban đã rút ngắn thời hạn." in answered.body
