"""Demo PAKN for the demo agency: some new, one overdue, one waiting for information, one refused, one
answered awaiting the leader, and two answered and published. Idempotent: items are found by title."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from motcua.core.models import User
from motcua.core.transitions import SYSTEM

from . import services
from .models import Feedback

ITEMS = [
    # title, kind, category, content, name, phone, email, days ago, steps
    (
        "Rút ngắn thời gian cấp Giấy chứng nhận đăng ký đầu tư",
        "kien_nghi",
        "procedure",
        "Đề nghị Ban rút ngắn thời gian cấp Giấy chứng nhận đăng ký đầu tư cho dự án "
        "trong khu công nghiệp xuống dưới 10 ngày làm việc.",
        "Nguyễn Văn An",
        "0912345678",
        "an.nguyen@example.vn",
        30,
        ["start", "answer", "publish"],
    ),
    (
        "Cán bộ hướng dẫn hồ sơ chưa rõ ràng",
        "phan_anh",
        "attitude",
        "Khi nộp hồ sơ điều chỉnh dự án, tôi được hướng dẫn bổ sung hai lần với hai yêu cầu khác nhau.",
        "Trần Thị Bình",
        "0905123456",
        "",
        25,
        ["start", "answer", "publish"],
    ),
    (
        "Biểu mẫu báo cáo lao động khó tìm",
        "phan_anh",
        "regulation",
        "Trang thông tin điện tử chưa có mẫu báo cáo tình hình sử dụng lao động bản mới.",
        "Lê Hoàng Cường",
        "",
        "cuong.le@example.vn",
        12,
        ["start", "answer"],
    ),
    (
        "Chậm trả lời văn bản đề nghị",
        "phan_anh",
        "procedure",
        "Doanh nghiệp gửi văn bản đề nghị hướng dẫn thủ tục từ lâu nhưng chưa nhận được trả lời.",
        "Công ty TNHH Minh họa",
        "02003800111",
        "lienhe@minhhoa.example.vn",
        24,
        ["start"],
    ),
    (
        "Đề nghị nộp hồ sơ trực tuyến toàn trình",
        "kien_nghi",
        "procedure",
        "Đề nghị cho phép nộp trực tuyến toàn trình thủ tục cấp giấy phép lao động cho người nước ngoài.",
        "Phạm Minh Đức",
        "0987654321",
        "",
        1,
        [],
    ),
    (
        "Phí bản sao",
        "phan_anh",
        "other",
        "Tôi muốn hỏi về phí cấp bản sao giấy chứng nhận.",
        "Võ Thị Em",
        "0933000111",
        "",
        3,
        ["more"],
    ),
    (
        "Nội dung không thuộc thẩm quyền",
        "phan_anh",
        "other",
        "Phản ánh về tiếng ồn của quán karaoke gần nhà.",
        "Đặng Văn Phú",
        "0944000222",
        "",
        6,
        ["refuse"],
    ),
]

ANSWERS = {
    "Rút ngắn thời gian cấp Giấy chứng nhận đăng ký đầu tư": "Ban đã cắt giảm thời gian giải quyết thủ tục từ 15 xuống 10 ngày "
    "làm việc kể từ ngày nhận đủ hồ sơ hợp lệ; nội dung đã được công khai tại Trung tâm Phục vụ hành chính công.",
    "Cán bộ hướng dẫn hồ sơ chưa rõ ràng": "Ban đã xin lỗi, rút kinh nghiệm với bộ phận một cửa và ban hành danh mục hướng dẫn "
    "bổ sung hồ sơ thống nhất; mỗi hồ sơ chỉ yêu cầu bổ sung một lần.",
    "Biểu mẫu báo cáo lao động khó tìm": "Mẫu báo cáo mới đã được đăng tại mục Thủ tục hành chính, "
    "lĩnh vực Lao động - tiền lương.",
}


def seed(*, agency, stdout) -> None:
    officer = User.objects.filter(username="motcua").first()
    specialist = User.objects.filter(username="chuyenvien").first() or officer
    leader = User.objects.filter(username="lanhdao").first()
    if officer is None or leader is None:
        stdout.write("PAKN: thiếu tài khoản minh họa, bỏ qua.")
        return
    now = timezone.now()
    created = 0
    for title, kind, category, content, name, phone, email, days_ago, steps in ITEMS:
        if Feedback.objects.filter(agency=agency, title=title).exists():
            continue
        with transaction.atomic():
            at = now - timedelta(days=days_ago)
            fb = services.feedback_submit(
                agency=agency,
                kind=kind,
                category=category,
                title=title,
                content=content,
                submitter_name=name,
                submitter_phone=phone,
                submitter_email=email,
                received_at=at,
                actor=SYSTEM,
            )
            step_at = at
            for step in steps:
                step_at = min(step_at + timedelta(days=2), now)
                if step == "start":
                    fb = services.feedback_start(feedback=fb, actor=specialist, at=step_at)
                elif step == "answer":
                    step_at = min(at + timedelta(days=min(10, days_ago - 3) if days_ago > 5 else 1), now)
                    fb = services.feedback_answer(feedback=fb, actor=specialist, answer=ANSWERS[title], at=step_at)
                elif step == "publish":
                    fb = services.feedback_publish(feedback=fb, actor=leader, at=min(step_at + timedelta(days=1), now))
                elif step == "more":
                    fb = services.feedback_request_more_info(
                        feedback=fb,
                        actor=officer,
                        at=min(at + timedelta(days=1), now),
                        request="Đề nghị cho biết số giấy chứng nhận cần cấp bản sao.",
                    )
                elif step == "refuse":
                    fb = services.feedback_refuse(
                        feedback=fb,
                        actor=officer,
                        at=min(at + timedelta(days=1), now),
                        reason="Nội dung không thuộc thẩm quyền của Ban; đề nghị gửi UBND phường.",
                    )
        created += 1
    stdout.write(f"PAKN: thêm {created} phản ánh, kiến nghị minh họa.")
