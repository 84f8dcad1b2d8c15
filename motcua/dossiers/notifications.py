"""Messages to the applicant. `notify` only queues rows in the outbox (DossierNotification) inside
the caller's transaction: a message exists if and only if the change it reports was committed.
Delivery (a worker reading queued rows) lives elsewhere."""

from django.utils import timezone

from .models import Dossier, DossierNotification

TEMPLATES = {
    "received": "Hồ sơ {code} đã được tiếp nhận; hẹn trả kết quả {due}.",
    "submitted": "Hồ sơ {code} đã được nộp trực tuyến và đang chờ tiếp nhận.",
    "accepted": "Hồ sơ {code} đã được tiếp nhận; hẹn trả kết quả {due}.",
    "refused": "Hồ sơ {code} bị từ chối tiếp nhận.",
    "supplement_requested": "Hồ sơ {code} cần bổ sung giấy tờ; vui lòng xem thông báo.",
    "payment_required": "Hồ sơ {code}: vui lòng thực hiện nghĩa vụ tài chính.",
    "extended": "Hồ sơ {code} chậm so với hẹn; cơ quan xin lỗi và hẹn lại {due}.",
    "decided": "Hồ sơ {code} đã có kết quả.",
    "returned": "Hồ sơ {code} đã được trả kết quả.",
    "withdrawn": "Hồ sơ {code} đã được rút theo đề nghị của người nộp.",
    "stopped": "Hồ sơ {code} đã bị dừng xử lý.",
}


def notify(dossier: Dossier, template_code: str) -> list[DossierNotification]:
    """Queue the message `template_code` to the applicant by e-mail and/or SMS (whatever contact exists)."""
    if template_code not in TEMPLATES:
        raise ValueError(f"unknown notification template {template_code}")
    rows = []
    if dossier.applicant_email:
        rows.append(DossierNotification(dossier=dossier, template=template_code, channel=DossierNotification.Channel.EMAIL,
                                        recipient=dossier.applicant_email))
    if dossier.applicant_phone:
        rows.append(DossierNotification(dossier=dossier, template=template_code, channel=DossierNotification.Channel.SMS,
                                        recipient=dossier.applicant_phone))
    if rows:
        DossierNotification.objects.bulk_create(rows)
    return rows


def render(notification: DossierNotification) -> str:
    """The message text (for the delivery worker)."""
    dossier = notification.dossier
    due = f"{timezone.localtime(dossier.due_at):%H:%M %d/%m/%Y}" if dossier.due_at else ""
    return TEMPLATES[notification.template].format(code=dossier.code, due=due)
