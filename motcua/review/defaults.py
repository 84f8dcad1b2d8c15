"""The message template of review reminders (administrators edit the row it becomes)."""

REMINDER_CODE = "review_deadline"
REMINDER_TEMPLATE = (
    REMINDER_CODE,
    "email",
    "[Rà soát TTHC] {{ code }} đến hạn ngày {{ deadline }}",
    "Kính gửi {{ name }},\n\nViệc rà soát thủ tục {{ code }} — {{ procedure }} (Kế hoạch rà soát năm {{ year }}, "
    "{{ unit }} chủ trì) đến hạn ngày {{ deadline }}; tiến độ hiện tại {{ progress }}%.\n"
    "Xem và cập nhật: {{ url }}\n",
)


def ensure_reminder_template(model) -> None:
    code, channel, subject, body = REMINDER_TEMPLATE
    model.objects.get_or_create(code=code, channel=channel, defaults={"subject": subject, "body": body})
