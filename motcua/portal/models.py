"""The portal keeps only what is not yet a dossier: drafts of online submissions and their files.

A draft belongs to whoever holds its random token (kept in a cookie and shown as a resume link);
no account is needed. Once submitted, the dossier lives in the dossiers app and the draft is marked
submitted (its files were copied to the dossier)."""

import secrets

from django.db import models
from django.db.models import Q

from motcua.catalog.models import Component, ProcedureVersion


def new_token() -> str:
    return secrets.token_urlsafe(24)


class PortalDraft(models.Model):
    token = models.CharField("mã hồ sơ nháp", max_length=64, unique=True, default=new_token, editable=False)
    procedure_version = models.ForeignKey(
        ProcedureVersion, on_delete=models.CASCADE, related_name="+", verbose_name="thủ tục (phiên bản)"
    )
    data = models.JSONField("nội dung đã nhập", default=dict, blank=True)
    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)
    updated_at = models.DateTimeField("cập nhật lúc", auto_now=True)
    expires_at = models.DateTimeField("hết hạn lúc", db_index=True)
    submitted_at = models.DateTimeField("đã nộp lúc", null=True, blank=True)
    dossier_code = models.CharField("mã hồ sơ đã nộp", max_length=64, blank=True)

    class Meta:
        verbose_name = "hồ sơ nháp trực tuyến"
        verbose_name_plural = "hồ sơ nháp trực tuyến"
        ordering = ["-updated_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(submitted_at__isnull=True) | ~Q(dossier_code=""), name="portal_draft_submitted_has_code"
            ),
        ]

    def __str__(self) -> str:
        return f"Nháp {self.token[:6]}… ({self.procedure_version.procedure.code})"

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None


def draft_file_path(instance: "PortalDraftFile", filename: str) -> str:
    # Never the applicant's file name on disk: a random name with the extension of the detected type.
    return f"portal/drafts/{instance.draft.created_at:%Y/%m}/{secrets.token_hex(16)}{instance.extension}"


class PortalDraftFile(models.Model):
    draft = models.ForeignKey(PortalDraft, on_delete=models.CASCADE, related_name="files")
    component = models.ForeignKey(Component, on_delete=models.CASCADE, related_name="+", verbose_name="thành phần hồ sơ")
    file = models.FileField(upload_to=draft_file_path, max_length=255)
    original_name = models.CharField("tên tệp", max_length=255)
    content_type = models.CharField("định dạng (theo nội dung)", max_length=100)
    extension = models.CharField(max_length=10)
    size = models.PositiveBigIntegerField("dung lượng (byte)")
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "tệp hồ sơ nháp"
        verbose_name_plural = "tệp hồ sơ nháp"
        ordering = ["draft", "component", "id"]
        constraints = [models.CheckConstraint(condition=Q(size__gt=0), name="portal_draft_file_not_empty")]
