"""The public list of answered PAKN shows only published items, with the sender's name masked and
neither phone, e-mail nor address."""

import pytest

from motcua.feedback.services import feedback_answer, feedback_publish, feedback_start

pytestmark = pytest.mark.django_db


def test_public_list_masks_personal_data_and_hides_unpublished(client, make_feedback, officer, leader):
    published = make_feedback(
        submitter_name="Nguyễn Văn An",
        submitter_phone="0912 345 678",
        submitter_email="an.nguyen@example.vn",
        submitter_address="12 Lê Lợi, phường Một",
        content="Hồ sơ trả chậm hai ngày.",
    )
    published = feedback_start(feedback=published, actor=officer)
    published = feedback_answer(feedback=published, actor=officer, answer="Ban đã xin lỗi và chấn chỉnh bộ phận một cửa.")
    feedback_publish(feedback=published, actor=leader)
    answered_only = make_feedback(submitter_name="Phạm Thị Cúc", content="Nội dung chưa công khai.")
    answered_only = feedback_start(feedback=answered_only, actor=officer)
    feedback_answer(feedback=answered_only, actor=officer, answer="Trả lời riêng.")

    for url in ("/phan-anh-kien-nghi/da-tra-loi/", f"/phan-anh-kien-nghi/da-tra-loi/{published.code}/"):
        body = client.get(url).content.decode()
        assert published.code in body
        assert "Ban đã xin lỗi và chấn chỉnh bộ phận một cửa." in body
        assert "Nguyễn V** A*" in body
        for secret in ("Nguyễn Văn An", "0912 345 678", "0912345678", "an.nguyen@example.vn", "12 Lê Lợi"):
            assert secret not in body, secret
        assert "Phạm Thị Cúc" not in body and "Nội dung chưa công khai." not in body
    assert client.get(f"/phan-anh-kien-nghi/da-tra-loi/{answered_only.code}/").status_code == 404
