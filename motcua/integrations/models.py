"""The integration outbox: one table for every message to an external system (the national public service
portal DVCQG today; the postal operator and the PAKN system later). A message is written in the same
transaction as the change that causes it and delivered later by the worker (`manage.py run_worker`).

Delivery rules (motcua.integrations.services):
- ordered per key: a message is not sent while an earlier one of the same system and key (a dossier's code)
  is undelivered, so status 4 never overtakes status 2;
- at least once, made exactly once by the receiver: `message_id` is fixed when the message is written and sent
  with every attempt (header `Idempotency-Key` and the body), and the receiver ignores a message it already has;
- retried with back-off, dead after INTEGRATION_MAX_ATTEMPTS failures (the error kept), or at once when the
  receiver refuses the message as invalid; an administrator re-sends it (same message ID).

Written by core.sql's plain INSERT (with the dossier's audit entry): no save() override, no database
default, no receivers (the system check core.checks holds it)."""

import uuid

from django.db import models
from django.db.models import Q

from motcua.core.models import Agency


class IntegrationMessage(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", "Chờ gửi"
        SENDING = "sending", "Đang gửi"
        IN_DOUBT = "in_doubt", "Chưa rõ đã nhận (sẽ gửi lại cùng mã)"
        DELIVERED = "delivered", "Đã nhận"
        DEAD = "dead", "Thất bại (cần quản trị viên)"

    system = models.CharField("hệ thống", max_length=20)
    kind = models.CharField("loại thông điệp", max_length=40)
    key = models.CharField("khóa thứ tự", max_length=64, help_text="Mã hồ sơ: các thông điệp cùng khóa được gửi theo thứ tự")
    sequence = models.PositiveIntegerField("số thứ tự trong khóa")
    message_id = models.UUIDField("mã thông điệp", default=uuid.uuid4, unique=True, editable=False)
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="cơ quan", db_index=False
    )
    payload = models.JSONField("nội dung")
    status = models.CharField("trạng thái", max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveIntegerField("số lần thử", default=0)
    next_attempt_at = models.DateTimeField("thử lúc")
    sending_since = models.DateTimeField("bắt đầu gửi lúc", null=True, blank=True)
    last_error = models.TextField("lỗi gần nhất", blank=True)
    created_at = models.DateTimeField("tạo lúc")
    delivered_at = models.DateTimeField("nhận lúc", null=True, blank=True)

    class Meta:
        verbose_name = "thông điệp kết nối"
        verbose_name_plural = "thông điệp kết nối"
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(fields=["system", "key", "sequence"], name="integration_message_order_unique"),
            models.CheckConstraint(
                condition=Q(status__in=["queued", "sending", "in_doubt", "delivered", "dead"]),
                name="integration_message_status_valid",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="integration_due"),
            models.Index(fields=["agency", "system", "status"], name="integration_agency_status"),
        ]

    def __str__(self) -> str:
        return f"{self.system} {self.kind} {self.key} #{self.sequence}"


class InboundMessage(models.Model):
    """A message received from an external system (e.g. a dossier filed on the national portal), kept once
    per (system, external ID): a repeat is recognised and ignored. Its answer (accepted with our record's key,
    or refused with the reason) goes back through the outbox."""

    class Status(models.TextChoices):
        ACCEPTED = "accepted", "Đã tiếp nhận"
        REFUSED = "refused", "Từ chối (đã báo lý do)"

    system = models.CharField("hệ thống", max_length=20)
    kind = models.CharField("loại thông điệp", max_length=40)
    external_id = models.CharField("mã bên gửi", max_length=64)
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="cơ quan", db_index=False
    )
    status = models.CharField("kết quả", max_length=10, choices=Status.choices)
    local_key = models.CharField("mã trong hệ thống", max_length=64, blank=True)
    reason = models.TextField("lý do", blank=True)
    payload = models.JSONField("nội dung nhận")
    received_at = models.DateTimeField("nhận lúc")

    class Meta:
        verbose_name = "thông điệp nhận"
        verbose_name_plural = "thông điệp nhận"
        ordering = ["-id"]
        constraints = [models.UniqueConstraint(fields=["system", "external_id"], name="inbound_message_once")]

    def __str__(self) -> str:
        return f"{self.system} {self.external_id}"
