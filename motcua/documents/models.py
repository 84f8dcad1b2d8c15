"""Official documents (Decree 30/2020/NĐ-CP on văn thư): registers, incoming and outgoing documents,
their files, PDF signatures verified and stored per file, and the handling log.

Numbers are given by services.register_next_number(): one RegisterCounter row per register and year,
locked with SELECT ... FOR UPDATE, plus a unique constraint on (register, year, number), so numbers
restart on 1 January and never repeat or skip, even under concurrency. A secret register is a
register of its own, hence its own sequence.

Derived flags (never typed in):
- fully electronic: no DocumentStep with paper=True is recorded for the document;
- digitally signed: at least one stored SignatureRecord of its files is intact and valid.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from motcua.core.models import Agency, TimeStampedModel, Unit
from motcua.core.text import normalize


class DocumentType(models.Model):
    """Tên loại văn bản and its abbreviation (Decree 30, Annex III). Data, seeded by a migration."""

    code = models.CharField("mã", max_length=20, unique=True)
    name = models.CharField("tên loại", max_length=120)
    abbreviation = models.CharField(
        "chữ viết tắt", max_length=10, blank=True, help_text="Để trống cho công văn: ký hiệu là {số}/{cơ quan}-{đơn vị}"
    )
    is_official_letter = models.BooleanField("là công văn", default=False)
    ordering = models.PositiveSmallIntegerField("thứ tự", default=0)

    class Meta:
        verbose_name = "loại văn bản"
        verbose_name_plural = "loại văn bản"
        ordering = ["ordering", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.abbreviation})" if self.abbreviation else self.name


class RegisterKind(models.TextChoices):
    INCOMING = "incoming", "Văn bản đến"
    OUTGOING = "outgoing", "Văn bản đi"


class Register(TimeStampedModel):
    """Sổ đăng ký văn bản: numbers run from 01 on 1 January to 31 December within one register."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="document_registers", verbose_name="cơ quan")
    kind = models.CharField("loại sổ", max_length=10, choices=RegisterKind.choices)
    name = models.CharField("tên sổ", max_length=200)
    is_secret = models.BooleanField(
        "sổ văn bản mật", default=False, help_text="Văn bản mật được đăng ký và đánh số theo hệ thống số riêng"
    )
    is_active = models.BooleanField("đang dùng", default=True)

    class Meta:
        verbose_name = "sổ đăng ký văn bản"
        verbose_name_plural = "sổ đăng ký văn bản"
        ordering = ["agency", "kind", "is_secret", "name"]
        constraints = [models.UniqueConstraint(fields=["agency", "kind", "name"], name="register_name_unique_per_agency")]

    def __str__(self) -> str:
        return self.name


class RegisterCounter(models.Model):
    """The last number given in a register for a year; the row is locked while a number is taken."""

    register = models.ForeignKey(Register, on_delete=models.CASCADE, related_name="counters")
    year = models.PositiveSmallIntegerField("năm")
    last_number = models.PositiveIntegerField("số cuối", default=0)

    class Meta:
        verbose_name = "bộ đếm số văn bản"
        verbose_name_plural = "bộ đếm số văn bản"
        constraints = [models.UniqueConstraint(fields=["register", "year"], name="register_counter_unique_year")]


class Urgency(models.TextChoices):
    NORMAL = "normal", "Thường"
    URGENT = "urgent", "Khẩn"
    VERY_URGENT = "very_urgent", "Thượng khẩn"
    FLASH = "flash", "Hỏa tốc"


class Confidentiality(models.TextChoices):
    NORMAL = "normal", "Thường"
    CONFIDENTIAL = "confidential", "Mật"
    SECRET = "secret", "Tối mật"
    TOP_SECRET = "top_secret", "Tuyệt mật"


class IncomingDocument(TimeStampedModel):
    class Status(models.TextChoices):
        REGISTERED = "registered", "Đã đăng ký, chờ phân công"
        ASSIGNED = "assigned", "Đang xử lý"
        CLOSED = "closed", "Đã giải quyết"

    register = models.ForeignKey(Register, on_delete=models.PROTECT, related_name="incoming_documents", verbose_name="sổ")
    year = models.PositiveSmallIntegerField("năm")
    number = models.PositiveIntegerField("số đến")
    received_at = models.DateTimeField("thời gian đến", db_index=True)
    sender = models.CharField("nơi gửi (tác giả)", max_length=255)
    sender_symbol = models.CharField("số, ký hiệu", max_length=80, blank=True)
    sender_date = models.DateField("ngày văn bản", null=True, blank=True)
    doc_type = models.ForeignKey(DocumentType, on_delete=models.PROTECT, related_name="+", verbose_name="loại văn bản")
    summary = models.TextField("trích yếu nội dung")
    urgency = models.CharField("độ khẩn", max_length=12, choices=Urgency.choices, default=Urgency.NORMAL)
    confidentiality = models.CharField("độ mật", max_length=12, choices=Confidentiality.choices, default=Confidentiality.NORMAL)
    is_electronic = models.BooleanField("văn bản điện tử", default=True, help_text="Nhận qua hệ thống (không phải bản giấy)")
    status = models.CharField("trạng thái", max_length=12, choices=Status.choices, default=Status.REGISTERED, db_index=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="văn thư đăng ký",
    )
    # Leader's assignment.
    lead_unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="lead_incoming_documents",
        verbose_name="đơn vị chủ trì",
    )
    coordinating_units = models.ManyToManyField(
        Unit, blank=True, related_name="coordinating_incoming_documents", verbose_name="đơn vị phối hợp"
    )
    deadline = models.DateField("hạn xử lý", null=True, blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="lãnh đạo phân công",
    )
    assigned_at = models.DateTimeField("phân công lúc", null=True, blank=True)
    assignment_note = models.TextField("ý kiến chỉ đạo", blank=True)
    # Closing.
    closed_at = models.DateTimeField("giải quyết xong lúc", null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="người kết thúc"
    )
    outcome = models.TextField("kết quả giải quyết", blank=True)
    # Set when another agency in the system sent it (internal dispatch).
    source_outgoing = models.ForeignKey(
        "OutgoingDocument",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="delivered_copies",
        verbose_name="văn bản đi gốc",
    )
    search_text = models.TextField(blank=True, editable=False)

    class Meta:
        verbose_name = "văn bản đến"
        verbose_name_plural = "văn bản đến"
        ordering = ["-year", "register", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["register", "year", "number"], name="incoming_number_unique_per_register_year"),
            models.CheckConstraint(condition=Q(number__gte=1), name="incoming_number_positive"),
        ]

    def __str__(self) -> str:
        return f"Văn bản đến số {self.number}/{self.year}: {self.summary[:80]}"

    def build_search_text(self) -> str:
        return normalize(" ".join([str(self.number), self.sender_symbol, self.summary, self.sender]))


class OutgoingDocument(TimeStampedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", "Dự thảo"
        IN_REVIEW = "in_review", "Chờ duyệt"
        APPROVED = "approved", "Lãnh đạo đã ký"
        NUMBERED = "numbered", "Đã cấp số"
        SEALED = "sealed", "Đã ký số cơ quan (đóng dấu)"
        DISPATCHED = "dispatched", "Đã phát hành"
        ARCHIVED = "archived", "Đã lưu"

    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="outgoing_documents", verbose_name="cơ quan ban hành"
    )
    register = models.ForeignKey(Register, on_delete=models.PROTECT, related_name="outgoing_documents", verbose_name="sổ")
    doc_type = models.ForeignKey(DocumentType, on_delete=models.PROTECT, related_name="+", verbose_name="loại văn bản")
    drafting_unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="drafted_documents", verbose_name="đơn vị soạn thảo"
    )
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="người soạn thảo",
    )
    summary = models.TextField("trích yếu nội dung")
    urgency = models.CharField("độ khẩn", max_length=12, choices=Urgency.choices, default=Urgency.NORMAL)
    confidentiality = models.CharField("độ mật", max_length=12, choices=Confidentiality.choices, default=Confidentiality.NORMAL)
    is_electronic = models.BooleanField("văn bản điện tử", default=True, help_text="Phát hành dưới dạng điện tử")
    status = models.CharField("trạng thái", max_length=12, choices=Status.choices, default=Status.DRAFT, db_index=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="người duyệt"
    )
    signer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="người ký"
    )
    signed_at = models.DateTimeField("lãnh đạo ký lúc", null=True, blank=True)
    year = models.PositiveSmallIntegerField("năm", null=True, blank=True)
    number = models.PositiveIntegerField("số", null=True, blank=True)
    symbol = models.CharField("số, ký hiệu", max_length=80, blank=True, db_index=True)
    issued_date = models.DateField("ngày ban hành", null=True, blank=True, db_index=True)
    numbered_at = models.DateTimeField("cấp số lúc", null=True, blank=True)
    sealed_at = models.DateTimeField("ký số cơ quan lúc", null=True, blank=True)
    dispatched_at = models.DateTimeField("phát hành lúc", null=True, blank=True)
    archived_at = models.DateTimeField("lưu lúc", null=True, blank=True)
    search_text = models.TextField(blank=True, editable=False)

    class Meta:
        verbose_name = "văn bản đi"
        verbose_name_plural = "văn bản đi"
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["register", "year", "number"], name="outgoing_number_unique_per_register_year"),
            models.CheckConstraint(
                condition=Q(number__isnull=True) | (Q(number__gte=1) & Q(year__isnull=False)), name="outgoing_numbered_has_year"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.symbol or 'Dự thảo'}: {self.summary[:80]}"

    def build_search_text(self) -> str:
        return normalize(
            " ".join([str(self.number or ""), self.symbol, self.summary, self.agency.name if self.agency_id else ""])
        )


class OutgoingRecipient(models.Model):
    """Nơi nhận. An agency in the system receives the document in its incoming register."""

    document = models.ForeignKey(OutgoingDocument, on_delete=models.CASCADE, related_name="recipients")
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="cơ quan trong hệ thống"
    )
    name = models.CharField("nơi nhận", max_length=255)
    email = models.EmailField("thư điện tử", blank=True)
    delivered_incoming = models.OneToOneField(
        IncomingDocument, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="văn bản đến đã tạo"
    )
    dispatched_at = models.DateTimeField("gửi lúc", null=True, blank=True)

    class Meta:
        verbose_name = "nơi nhận"
        verbose_name_plural = "nơi nhận"
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


def document_upload_to(instance, filename: str) -> str:
    return f"documents/{instance.sha256[:2]}/{instance.sha256}/{filename}"


class DocumentFile(TimeStampedModel):
    class Kind(models.TextChoices):
        MAIN = "main", "Văn bản chính"
        ATTACHMENT = "attachment", "Phụ lục, tài liệu kèm theo"

    incoming = models.ForeignKey(IncomingDocument, on_delete=models.CASCADE, null=True, blank=True, related_name="files")
    outgoing = models.ForeignKey(OutgoingDocument, on_delete=models.CASCADE, null=True, blank=True, related_name="files")
    kind = models.CharField("loại tệp", max_length=12, choices=Kind.choices, default=Kind.MAIN)
    name = models.CharField("tên tệp", max_length=255)
    file = models.FileField("tệp", upload_to=document_upload_to, max_length=400, blank=True)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField("dung lượng", default=0)
    content_type = models.CharField(max_length=100, blank=True)
    verified_at = models.DateTimeField("kiểm tra chữ ký lúc", null=True, blank=True)
    verification_error = models.CharField("lỗi kiểm tra", max_length=500, blank=True)

    class Meta:
        verbose_name = "tệp văn bản"
        verbose_name_plural = "tệp văn bản"
        ordering = ["kind", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(incoming__isnull=False) & Q(outgoing__isnull=True))
                | (Q(incoming__isnull=True) & Q(outgoing__isnull=False)),
                name="document_file_belongs_to_one_document",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_pdf(self) -> bool:
        return self.content_type == "application/pdf" or self.name.lower().endswith(".pdf")


class SignatureRecord(models.Model):
    """One PDF signature found in a file and the verification result at `verified_at`."""

    file = models.ForeignKey(DocumentFile, on_delete=models.CASCADE, related_name="signatures")
    field_name = models.CharField("trường chữ ký", max_length=120, blank=True)
    signer = models.CharField("người ký", max_length=400)
    signed_at = models.DateTimeField("thời gian ký", null=True, blank=True)
    intact = models.BooleanField("toàn vẹn")
    valid = models.BooleanField("hợp lệ")
    trusted = models.BooleanField("tin cậy")
    coverage = models.CharField("phạm vi", max_length=40, blank=True)
    verified_at = models.DateTimeField("kiểm tra lúc")
    applied_here = models.BooleanField("ký trên hệ thống", default=False)

    class Meta:
        verbose_name = "chữ ký số"
        verbose_name_plural = "chữ ký số"
        ordering = ["file", "id"]
        indexes = [models.Index(fields=["file", "intact", "valid"])]

    COVERAGE_LABELS = {  # pyHanko's SignatureCoverageLevel names, as the staff read them
        "ENTIRE_FILE": "Toàn bộ tệp",
        "ENTIRE_REVISION": "Toàn bộ phiên bản đã ký (có bổ sung sau khi ký)",
        "CONTIGUOUS_BLOCK_FROM_START": "Một phần tệp",
        "UNCLEAR": "Không xác định",
    }

    @property
    def coverage_label(self) -> str:
        return self.COVERAGE_LABELS.get(self.coverage, self.coverage)

    def __str__(self) -> str:
        return f"{self.signer} ({'hợp lệ' if self.intact and self.valid else 'không hợp lệ'})"


class DocumentStep(models.Model):
    """The handling log. `paper=True` marks a step done outside the system (paper document, ink
    signature, hand delivery); one such step and the document is not 'processed entirely electronically'."""

    incoming = models.ForeignKey(IncomingDocument, on_delete=models.CASCADE, null=True, blank=True, related_name="steps")
    outgoing = models.ForeignKey(OutgoingDocument, on_delete=models.CASCADE, null=True, blank=True, related_name="steps")
    action = models.CharField("bước", max_length=40)
    at = models.DateTimeField("thời điểm")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="người thực hiện",
    )
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="đơn vị")
    note = models.TextField("nội dung", blank=True)
    paper = models.BooleanField("thực hiện trên giấy", default=False)

    ACTION_LABELS = {
        "register": "Vào sổ văn bản đến",
        "assign": "Phân công xử lý",
        "handle": "Xử lý",
        "close": "Kết thúc xử lý",
        "draft": "Dự thảo",
        "submit": "Trình duyệt",
        "return": "Trả lại để sửa",
        "approve": "Lãnh đạo duyệt, ký",
        "number": "Cấp số",
        "seal": "Ký số, đóng dấu của cơ quan",
        "dispatch": "Phát hành",
        "archive": "Lưu văn bản",
    }

    @property
    def action_label(self) -> str:
        """The step in Vietnamese (the stored action is a code such as "draft")."""
        return self.ACTION_LABELS.get(self.action, self.action)

    class Meta:
        verbose_name = "bước xử lý văn bản"
        verbose_name_plural = "bước xử lý văn bản"
        ordering = ["at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(incoming__isnull=False) & Q(outgoing__isnull=True))
                | (Q(incoming__isnull=True) & Q(outgoing__isnull=False)),
                name="document_step_belongs_to_one_document",
            ),
        ]
        indexes = [models.Index(fields=["incoming", "paper"]), models.Index(fields=["outgoing", "paper"])]

    def __str__(self) -> str:
        return f"{self.at:%d/%m/%Y %H:%M} {self.action}"


class SigningIdentity(TimeStampedModel):
    """Where a person's (or the agency seal's) PKCS#12 file is and which environment variable holds its
    passphrase. The key itself is never stored in the database or the repository."""

    class Kind(models.TextChoices):
        PERSON = "person", "Cá nhân"
        AGENCY_SEAL = "agency_seal", "Con dấu cơ quan (chữ ký số cơ quan)"

    kind = models.CharField("loại", max_length=12, choices=Kind.choices, default=Kind.PERSON)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="signing_identity",
        verbose_name="cán bộ",
    )
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="signing_identities", verbose_name="cơ quan")
    pkcs12_path = models.CharField("đường dẫn tệp PKCS#12", max_length=500)
    passphrase_env = models.CharField("biến môi trường chứa mật khẩu", max_length=100, blank=True)
    display_name = models.CharField("tên hiển thị trên chữ ký", max_length=255, blank=True)
    is_active = models.BooleanField("đang dùng", default=True)

    class Meta:
        verbose_name = "chứng thư ký số"
        verbose_name_plural = "chứng thư ký số"
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="agency_seal", user__isnull=True) | Q(kind="person", user__isnull=False),
                name="signing_identity_person_has_user",
            ),
            models.UniqueConstraint(
                fields=["agency"], condition=Q(kind="agency_seal", is_active=True), name="one_active_agency_seal_per_agency"
            ),
        ]

    def __str__(self) -> str:
        return self.display_name or (self.user.get_full_name() if self.user_id else self.agency.name)
