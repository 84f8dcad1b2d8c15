"""Issued reports: a CCHC report as it was issued (rendered DOCX and PDF, and its figures), kept unchanged
afterwards — a later change of the records never alters what was issued."""

from django.conf import settings
from django.db import models

from motcua.core.models import Agency, AppendOnlyError, AppendOnlyModel


class IssuedReportChangeError(AppendOnlyError):
    """An issued report is never changed or deleted (issue a new one instead)."""

    default_message = "Báo cáo đã ban hành không được sửa hoặc xóa; hãy ban hành lần mới."
    code = "issued_report_unchangeable"


def issued_upload_to(instance, filename: str) -> str:
    return f"reports/cchc/{instance.agency.short_name}/{instance.year}/{filename}"


class IssuedReport(AppendOnlyModel):
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="issued_reports", verbose_name="cơ quan")
    year = models.PositiveSmallIntegerField("năm báo cáo")
    number = models.PositiveSmallIntegerField("lần ban hành")  # 1, 2… per agency and year
    period_end = models.DateField("số liệu tính đến ngày")
    issued_at = models.DateTimeField("ban hành lúc")
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="người ban hành"
    )
    figures = models.JSONField("số liệu")
    docx = models.FileField("tệp DOCX", upload_to=issued_upload_to, max_length=300)
    pdf = models.FileField("tệp PDF", upload_to=issued_upload_to, max_length=300)
    docx_sha256 = models.CharField(max_length=64)
    pdf_sha256 = models.CharField(max_length=64)
    signed_by = models.CharField("chữ ký số trên bản PDF", max_length=500, blank=True)  # "" = stored unsigned

    append_only_error = IssuedReportChangeError

    class Meta:
        verbose_name = "báo cáo đã ban hành"
        verbose_name_plural = "báo cáo đã ban hành"
        ordering = ["-year", "-number"]
        constraints = [models.UniqueConstraint(fields=["agency", "year", "number"], name="issued_report_number_once")]

    def __str__(self) -> str:
        return f"Báo cáo CCHC năm {self.year} — {self.agency.short_name}, lần {self.number}"


# The Decision 766 index's weights and thresholds (index766/models.py), kept in this app's tables.
from .index766.models import IndexGroup, IndexIndicator, IndexMonth, IndexVersion  # noqa: E402

__all__ = ["IndexGroup", "IndexIndicator", "IndexMonth", "IndexVersion", "IssuedReport", "IssuedReportChangeError"]
