"""Tables of the desk: the slips (PDF) issued for a dossier and stored with it."""

from django.conf import settings
from django.db import models
from django.db.models import Q


class SlipKind(models.TextChoices):
    BM01 = "bm01", "BM.01 Giấy tiếp nhận hồ sơ và hẹn trả kết quả"
    BM02 = "bm02", "BM.02 Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ"
    BM03 = "bm03", "BM.03 Phiếu từ chối tiếp nhận, giải quyết hồ sơ"
    BM04 = "bm04", "BM.04 Phiếu xin lỗi và hẹn lại ngày trả kết quả"
    BM05 = "bm05", "BM.05 Phiếu kiểm soát quá trình giải quyết hồ sơ"


def slip_file_path(instance: "DossierSlip", filename: str) -> str:
    return f"desk/slips/{instance.sha256[:2]}/{instance.sha256}.pdf"


class DossierSlip(models.Model):
    """One issued version of a slip. A new version is stored only when the content changed
    (same records → same bytes → same SHA-256)."""

    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.CASCADE, related_name="slips", verbose_name="hồ sơ")
    kind = models.CharField("loại phiếu", max_length=4, choices=SlipKind.choices)
    number = models.PositiveSmallIntegerField("lần phát hành", default=1)
    file = models.FileField("tệp PDF", upload_to=slip_file_path, max_length=255)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField("dung lượng (byte)")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="người in"
    )
    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)

    class Meta:
        verbose_name = "phiếu của hồ sơ"
        verbose_name_plural = "phiếu của hồ sơ"
        ordering = ["dossier", "kind", "number"]
        constraints = [
            models.UniqueConstraint(fields=["dossier", "kind", "number"], name="dossier_slip_number_unique"),
            models.CheckConstraint(condition=Q(kind__in=SlipKind.values), name="dossier_slip_kind_valid"),
            models.CheckConstraint(condition=Q(number__gte=1), name="dossier_slip_number_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id} {self.get_kind_display()} #{self.number}"
