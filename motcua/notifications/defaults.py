"""Default message templates (Vietnamese); administrators edit the rows they become."""

from .models import MessageTemplate

EMAIL, SMS = "email", "sms"

TEMPLATES = [
    (
        "dossier_submitted",
        EMAIL,
        "Hồ sơ {{ code }} đã được gửi trực tuyến",
        "Kính gửi {{ applicant_name }},\n\n{{ agency }} đã nhận hồ sơ trực tuyến {{ code }} ({{ procedure }}).\n"
        "Mã tra cứu riêng của Ông/Bà: {{ secret }}\nCán bộ một cửa sẽ kiểm tra và thông báo việc tiếp nhận.\n"
        "Tra cứu: {{ lookup_url }}\n",
    ),
    (
        "dossier_accepted",
        EMAIL,
        "Hồ sơ {{ code }} đã được tiếp nhận",
        "Kính gửi {{ applicant_name }},\n\nHồ sơ {{ code }} ({{ procedure }}) đã được tiếp nhận.\n"
        "Ngày hẹn trả kết quả: {{ due }}.\nTra cứu: {{ lookup_url }}\n",
    ),
    ("dossier_accepted", SMS, "", "Ho so {{ code }} da duoc tiep nhan, hen tra ket qua {{ due }}. Tra cuu: {{ lookup_url }}"),
    (
        "dossier_refused",
        EMAIL,
        "Hồ sơ {{ code }} không được tiếp nhận",
        "Kính gửi {{ applicant_name }},\n\nHồ sơ {{ code }} ({{ procedure }}) không được tiếp nhận.\nLý do: {{ reason }}\n",
    ),
    (
        "dossier_supplement_requested",
        EMAIL,
        "Hồ sơ {{ code }} cần bổ sung",
        "Kính gửi {{ applicant_name }},\n\nĐề nghị Ông/Bà bổ sung, hoàn thiện hồ sơ {{ code }} với các nội dung sau:\n"
        "{% for item in items %}{{ forloop.counter }}. {{ item }}\n{% endfor %}{% if note %}\nGhi chú: {{ note }}\n{% endif %}"
        "Thời gian giải quyết tạm dừng cho đến khi nhận đủ hồ sơ bổ sung.\nTra cứu và nộp bổ sung: {{ lookup_url }}\n",
    ),
    ("dossier_supplement_requested", SMS, "", "Ho so {{ code }} can bo sung. Chi tiet: {{ lookup_url }}"),
    (
        "dossier_extended",
        EMAIL,
        "Thư xin lỗi và hẹn lại ngày trả kết quả hồ sơ {{ code }}",
        "Kính gửi {{ applicant_name }},\n\n{{ agency }} xin lỗi Ông/Bà vì hồ sơ {{ code }} ({{ procedure }}) chưa giải quyết "
        "kịp theo hẹn {{ old_due }}.\nLý do: {{ reason }}\nNgày hẹn trả kết quả mới: {{ due }}.\n",
    ),
    ("dossier_extended", SMS, "", "Xin loi: ho so {{ code }} tre hen, hen tra ket qua moi {{ due }}."),
    (
        "dossier_result_ready",
        EMAIL,
        "Hồ sơ {{ code }} đã có kết quả",
        "Kính gửi {{ applicant_name }},\n\nHồ sơ {{ code }} ({{ procedure }}) đã có kết quả. {{ delivery }}\n"
        "Mời Ông/Bà đánh giá mức độ hài lòng: {{ lookup_url }}\n",
    ),
    ("dossier_result_ready", SMS, "", "Ho so {{ code }} da co ket qua. {{ lookup_url }}"),
    (
        "dossier_payment_required",
        EMAIL,
        "Hồ sơ {{ code }}: đề nghị thực hiện nghĩa vụ tài chính",
        "Kính gửi {{ applicant_name }},\n\n"
        "Đề nghị Ông/Bà thực hiện nghĩa vụ tài chính đối với hồ sơ {{ code }} ({{ procedure }}).\n"
        "{% if note %}{{ note }}\n{% endif %}Thời gian giải quyết tạm dừng cho đến khi hoàn thành.\nTra cứu: {{ lookup_url }}\n",
    ),
    (
        "dossier_withdrawn",
        EMAIL,
        "Hồ sơ {{ code }} đã được rút",
        "Kính gửi {{ applicant_name }},\n\nHồ sơ {{ code }} ({{ procedure }}) đã được rút theo đề nghị của Ông/Bà.\n",
    ),
    (
        "dossier_stopped",
        EMAIL,
        "Hồ sơ {{ code }} đã dừng xử lý",
        "Kính gửi {{ applicant_name }},\n\nHồ sơ {{ code }} ({{ procedure }}) đã dừng xử lý.\nLý do: {{ reason }}\n",
    ),
    (
        "feedback_received",
        EMAIL,
        "Đã nhận phản ánh, kiến nghị {{ code }}",
        "Kính gửi {{ name }},\n\n{{ agency }} đã nhận phản ánh, kiến nghị {{ code }}. Tra cứu: {{ lookup_url }}\n",
    ),
    (
        "feedback_answered",
        EMAIL,
        "Trả lời phản ánh, kiến nghị {{ code }}",
        "Kính gửi {{ name }},\n\n{{ agency }} trả lời phản ánh, kiến nghị {{ code }}:\n\n{{ answer }}\n",
    ),
    (
        "payment_receipt",
        EMAIL,
        "Hồ sơ {{ code }}: biên lai thu phí, lệ phí số {{ receipt_no }}",
        "Kính gửi {{ applicant_name }},\n\n{{ agency }} đã nhận khoản nộp {{ amount }} cho hồ sơ {{ code }} "
        "(mã giao dịch {{ transaction_no }}).\nBiên lai điện tử số {{ receipt_no }}: {{ receipt_url }}\n"
        "Thời gian giải quyết hồ sơ được tính tiếp. Tra cứu: {{ lookup_url }}\n",
    ),
]


def ensure_default_templates(model=None) -> None:
    """Create the default templates that are missing (rows an administrator edited are kept)."""
    if model is None:
        model = MessageTemplate
    for code, channel, subject, body in TEMPLATES:
        model.objects.get_or_create(code=code, channel=channel, defaults={"subject": subject, "body": body})
