"""Messages to applicants (e-mail, SMS) through a transactional outbox: a message is written in the same
transaction as the state change that causes it and delivered later by the worker, with retries, so none
is lost when the mail server is down and none is sent for a change that rolled back."""

from django.db import models


class Channel(models.TextChoices):
    EMAIL = "email", "Thư điện tử"
    SMS = "sms", "Tin nhắn SMS"


class MessageTemplate(models.Model):
    """A template an administrator edits (Django template syntax, e.g. {{ dossier.code }})."""

    code = models.CharField("mã mẫu", max_length=60)
    channel = models.CharField("kênh", max_length=10, choices=Channel.choices)
    subject = models.CharField("tiêu đề", max_length=255, blank=True)
    body = models.TextField("nội dung")
    is_active = models.BooleanField("đang dùng", default=True)

    class Meta:
        verbose_name = "mẫu thông báo"
        verbose_name_plural = "mẫu thông báo"
        ordering = ["code", "channel"]
        constraints = [models.UniqueConstraint(fields=["code", "channel"], name="message_template_code_channel_unique")]

    def __str__(self) -> str:
        return f"{self.code} ({self.get_channel_display()})"


class Message(models.Model):
    """One e-mail or SMS. Delivered at most once: the worker commits "sending" before it talks to the mail
    server and "sent" after; a message still "sending" after a crash may or may not have been accepted, so
    it becomes "in doubt" and waits for an administrator (resend or mark sent), never re-sent on its own."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Chờ gửi"
        SENDING = "sending", "Đang gửi"
        IN_DOUBT = "in_doubt", "Chưa rõ đã gửi (cần kiểm tra)"
        SENT = "sent", "Đã gửi"
        FAILED = "failed", "Gửi không thành công"

    channel = models.CharField("kênh", max_length=10, choices=Channel.choices)
    template_code = models.CharField("mẫu", max_length=60)
    recipient = models.CharField("người nhận", max_length=255)
    subject = models.CharField("tiêu đề", max_length=255, blank=True)
    body = models.TextField("nội dung")
    status = models.CharField("trạng thái", max_length=10, choices=Status.choices, default=Status.QUEUED)
    message_id = models.CharField(
        "Message-ID",
        max_length=255,
        blank=True,
        help_text="Cố định cho mỗi thư, kể cả khi gửi lại, để máy chủ thư nhận ra thư trùng",
    )
    sending_since = models.DateTimeField("bắt đầu gửi lúc", null=True, blank=True)
    attempts = models.PositiveIntegerField("số lần thử", default=0)
    next_attempt_at = models.DateTimeField("thử lại lúc")
    last_error = models.TextField("lỗi gần nhất", blank=True)
    sent_at = models.DateTimeField("gửi lúc", null=True, blank=True)
    object_type = models.CharField("loại đối tượng", max_length=80, blank=True)
    object_id = models.CharField("mã đối tượng", max_length=80, blank=True)
    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)

    class Meta:
        verbose_name = "thông báo"
        verbose_name_plural = "thông báo"
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"]),
            models.Index(fields=["object_type", "object_id"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} → {self.recipient}: {self.subject or self.template_code}"
