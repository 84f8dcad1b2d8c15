"""The applicant's store of papers (kho dữ liệu của tổ chức, cá nhân, issue 19 item 3).

A `Paper` is a digitised paper or an electronic result kept for one holder — a person by their 12-digit
personal number (CCCD) or an organisation by its tax number — with its kind (the procedure's component it was
received as), a reference to the stored file (the same storage name as the dossier file or the result: never
a copy), its source, issuing agency, validity and the dossier it came from.

A later dossier of the same holder may reuse it instead of a new upload (`PaperReuse`), only under the
holder's consent for that dossier (`Consent`: who recorded it, when, how: at the counter or online)."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from motcua.catalog.models import Component
from motcua.core.models import Agency
from motcua.dossiers.models import Dossier, DossierFile


class HolderKind(models.TextChoices):
    PERSON = "person", "Cá nhân (số định danh cá nhân)"
    ORGANISATION = "organisation", "Tổ chức (mã số thuế)"


class Source(models.TextChoices):
    DOSSIER_FILE = "dossier_file", "Tệp hồ sơ đã số hóa"
    CERTIFIED_COPY = "certified_copy", "Bản sao điện tử chứng thực từ bản chính"
    ELECTRONIC_RESULT = "electronic_result", "Kết quả giải quyết điện tử"


class Via(models.TextChoices):
    COUNTER = "counter", "Tại Bộ phận Một cửa (cán bộ ghi nhận)"
    ONLINE = "online", "Trực tuyến (công dân đã đăng nhập)"


class Paper(models.Model):
    holder_kind = models.CharField("loại chủ sở hữu", max_length=12, choices=HolderKind.choices)
    # 12 digits (personal number) or 10/13/14 characters (tax number, with its "-NNN" branch suffix).
    holder_number = models.CharField("số định danh / mã số thuế", max_length=14)
    name = models.CharField("tên giấy tờ", max_length=500)
    component = models.ForeignKey(
        Component, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="thành phần hồ sơ"
    )
    source = models.CharField("nguồn", max_length=20, choices=Source.choices)
    # The stored file itself: the same storage name as the dossier file / result it came from.
    file = models.FileField("tệp", max_length=255)
    original_name = models.CharField("tên tệp", max_length=255)
    sha256 = models.CharField(max_length=64)
    content_type = models.CharField("định dạng", max_length=100)
    size = models.PositiveBigIntegerField("dung lượng (byte)")
    issuer = models.CharField("cơ quan cấp", max_length=255, blank=True)
    # The agency whose system stored it (the dossier's agency); issuer may be another one (a birth certificate).
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+", verbose_name="cơ quan lưu")
    reference = models.CharField("số, ký hiệu", max_length=100, blank=True)
    valid_from = models.DateField("hiệu lực từ ngày")
    valid_until = models.DateField("hiệu lực đến ngày", null=True, blank=True)
    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="+", verbose_name="tạo từ hồ sơ")
    dossier_file = models.ForeignKey(DossierFile, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField("lưu lúc")

    class Meta:
        verbose_name = "giấy tờ trong kho"
        verbose_name_plural = "kho giấy tờ"
        ordering = ["holder_number", "-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(holder_number=""), name="paper_has_holder"),
            models.CheckConstraint(condition=Q(holder_kind__in=HolderKind.values), name="paper_holder_kind_valid"),
            models.CheckConstraint(condition=Q(source__in=Source.values), name="paper_source_valid"),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=F("valid_from")), name="paper_validity_ordered"
            ),
            # One paper per file content per holder: storing the same file again is a no-op.
            models.UniqueConstraint(fields=["holder_number", "sha256"], name="paper_once_per_holder_and_content"),
        ]
        indexes = [models.Index(fields=["holder_number", "valid_until"], name="paper_holder_validity")]

    def __str__(self) -> str:
        return self.name

    def valid_on(self, day) -> bool:
        return self.valid_from <= day and (self.valid_until is None or self.valid_until >= day)


class Consent(models.Model):
    """The holder agreed that the agency receiving `dossier` may read their store and reuse its papers for it."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="+", verbose_name="hồ sơ")
    holder_number = models.CharField("số định danh / mã số thuế", max_length=14)
    via = models.CharField("hình thức", max_length=8, choices=Via.choices)
    # At the counter: the officer who recorded it; online: none (the citizen signed in, `applicant_repr`).
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    applicant_repr = models.CharField("người đồng ý", max_length=255)
    given_at = models.DateTimeField("đồng ý lúc")

    class Meta:
        verbose_name = "đồng ý khai thác kho giấy tờ"
        verbose_name_plural = "đồng ý khai thác kho giấy tờ"
        constraints = [
            models.UniqueConstraint(fields=["dossier", "holder_number"], name="consent_once_per_dossier"),
            models.CheckConstraint(condition=Q(via__in=Via.values), name="consent_via_valid"),
            models.CheckConstraint(
                condition=Q(via="online") | Q(recorded_by__isnull=False), name="consent_at_counter_names_officer"
            ),
        ]


class PaperReuse(models.Model):
    """One reuse of a stored paper by a dossier (counted by the index and the digitisation report)."""

    paper = models.ForeignKey(Paper, on_delete=models.PROTECT, related_name="reuses")
    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="+")
    consent = models.ForeignKey(Consent, on_delete=models.PROTECT, related_name="reuses")
    dossier_file = models.OneToOneField(DossierFile, on_delete=models.CASCADE, related_name="+")
    component = models.ForeignKey(Component, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    via = models.CharField("hình thức", max_length=8, choices=Via.choices)
    reused_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    reused_at = models.DateTimeField("dùng lại lúc")

    class Meta:
        verbose_name = "lượt dùng lại giấy tờ"
        verbose_name_plural = "lượt dùng lại giấy tờ"
        ordering = ["-reused_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["paper", "dossier"], name="paper_reused_once_per_dossier")]
        indexes = [models.Index(fields=["reused_at"], name="paper_reuse_at")]
