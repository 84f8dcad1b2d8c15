"""Electronic results (issue 19 item 2): the signed decision document of a decided dossier, numbered per
agency and year, stamped with a QR code that opens a public verification page."""

from django.conf import settings
from django.db import models

from motcua.core.models import Agency, TimeStampedModel
from motcua.dossiers.models import Dossier


class ResultCounter(models.Model):
    """The last result number an agency gave in a year; the row is locked while a number is taken, so
    parallel issuances wait for each other and numbers neither repeat nor skip (a rollback gives it back)."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField("năm")
    last_number = models.PositiveIntegerField("số cuối", default=0)

    class Meta:
        verbose_name = "bộ đếm số kết quả điện tử"
        verbose_name_plural = "bộ đếm số kết quả điện tử"
        constraints = [models.UniqueConstraint(fields=["agency", "year"], name="result_counter_unique_year")]


def result_upload_to(instance, filename: str) -> str:
    return f"results/{instance.year}/{filename}"


class ElectronicResult(TimeStampedModel):
    """One electronic result per dossier. `sha256` is the hash of the issued (signed) PDF: the public page
    compares the stored file and an uploaded copy with it."""

    dossier = models.OneToOneField(Dossier, on_delete=models.PROTECT, related_name="electronic_result", verbose_name="hồ sơ")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+", verbose_name="cơ quan")
    year = models.PositiveSmallIntegerField("năm")
    number = models.PositiveIntegerField("số")
    label = models.CharField("số kết quả", max_length=64)
    token = models.CharField("mã xác minh", max_length=64, unique=True, editable=False)
    file = models.FileField("tệp kết quả đã ký", upload_to=result_upload_to)
    sha256 = models.CharField("SHA-256", max_length=64, db_index=True)
    source_sha256 = models.CharField("SHA-256 bản gốc", max_length=64)
    procedure_name = models.CharField("thủ tục", max_length=1000)
    issued_at = models.DateTimeField("phát hành lúc")
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="người ký")

    class Meta:
        verbose_name = "kết quả điện tử"
        verbose_name_plural = "kết quả điện tử"
        constraints = [models.UniqueConstraint(fields=["agency", "year", "number"], name="result_number_unique_per_agency_year")]

    def __str__(self) -> str:
        return self.label
