"""The procedure catalog (TTHC). A Procedure is the identity (national code); its content lives in
ProcedureVersion rows, each valid over a date range, created or retired by publication decisions."""

from decimal import ROUND_FLOOR, Decimal

from django.db import models
from django.db.models import Q

from motcua.core.models import Agency, TimeStampedModel, Unit
from motcua.core.roles import Role


class Field(models.Model):
    """Lĩnh vực (sector), e.g. Đầu tư tại Việt Nam."""

    code = models.CharField("mã lĩnh vực", max_length=40, unique=True)
    name = models.CharField("tên lĩnh vực", max_length=255)
    search_text = models.CharField(max_length=255, blank=True, editable=False)

    class Meta:
        verbose_name = "lĩnh vực"
        verbose_name_plural = "lĩnh vực"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Procedure(TimeStampedModel):
    code = models.CharField("mã thủ tục", max_length=40, unique=True, help_text="Mã trên CSDL quốc gia, ví dụ 1.009645")

    class Meta:
        verbose_name = "thủ tục hành chính"
        verbose_name_plural = "thủ tục hành chính"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code


class TimeUnit(models.TextChoices):
    WORKING_DAYS = "working_days", "ngày làm việc"
    CALENDAR_DAYS = "calendar_days", "ngày"
    WORKING_HOURS = "working_hours", "giờ làm việc"


class OnlineClass(models.TextChoices):
    FULL = "full", "Toàn trình"
    PARTIAL = "partial", "Một phần"
    NONE = "none", "Không"


class GovernmentLevel(models.TextChoices):
    CENTRAL = "central", "Trung ương"
    PROVINCE = "province", "Cấp tỉnh"
    COMMUNE = "commune", "Cấp xã"
    OTHER = "other", "Khác"


# The CCHC report and the catalog dashboard count the procedures whose time is cut by this much or more.
CUT_THRESHOLD = Decimal(20)


def time_cut_percent(legal_time: Decimal | None, committed_time: Decimal | None) -> Decimal | None:
    """How much shorter the committed time is than the legal one, in percent, to one decimal rounded down
    (the one rule behind the API, the catalog pages and the report). Rounded down, a figure is never shown
    above the real cut, so a version shows 20.0 or more exactly when it reaches CUT_THRESHOLD (19.96 % is
    shown 19.9 and not counted). None when either time is missing (or the legal time is zero)."""
    if not legal_time or committed_time is None:
        return None
    legal, committed = Decimal(legal_time), Decimal(committed_time)  # an unsaved version may hold ints
    return ((legal - committed) * 100 / legal).quantize(Decimal("0.1"), rounding=ROUND_FLOOR)


def time_cut_reaches_threshold(percent: Decimal | None) -> bool:
    """Whether a time_cut_percent counts among the procedures cut by CUT_THRESHOLD % or more."""
    return percent is not None and percent >= CUT_THRESHOLD


class ProcedureVersion(TimeStampedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", "Dự thảo"
        IN_FORCE = "in_force", "Đang hiệu lực"
        RETIRED = "retired", "Hết hiệu lực"
        ABOLISHED = "abolished", "Bãi bỏ"

    procedure = models.ForeignKey(Procedure, on_delete=models.PROTECT, related_name="versions", verbose_name="thủ tục")
    number = models.PositiveIntegerField("phiên bản", default=1)
    status = models.CharField("trạng thái", max_length=12, choices=Status.choices, default=Status.DRAFT, db_index=True)
    valid_from = models.DateField("hiệu lực từ", null=True, blank=True, db_index=True)
    valid_to = models.DateField("hiệu lực đến (không gồm)", null=True, blank=True, db_index=True)

    name = models.CharField("tên thủ tục", max_length=2000)
    field = models.ForeignKey(Field, on_delete=models.PROTECT, related_name="versions", verbose_name="lĩnh vực")
    agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="procedure_versions",
        verbose_name="cơ quan thực hiện",
    )
    implementing_body = models.CharField("cơ quan thực hiện (theo công bố)", max_length=1000, blank=True)
    government_level = models.CharField(
        "cấp thực hiện", max_length=10, choices=GovernmentLevel.choices, default=GovernmentLevel.PROVINCE
    )
    legal_basis = models.JSONField("căn cứ pháp lý", default=list, blank=True)
    target = models.CharField("đối tượng thực hiện", max_length=1000, blank=True)

    time_unit = models.CharField("đơn vị thời gian", max_length=16, choices=TimeUnit.choices, default=TimeUnit.WORKING_DAYS)
    legal_time = models.DecimalField("thời hạn theo quy định", max_digits=7, decimal_places=2, null=True, blank=True)
    committed_time = models.DecimalField("thời hạn cam kết của cơ quan", max_digits=7, decimal_places=2, null=True, blank=True)
    time_note = models.TextField("ghi chú thời hạn (nguyên văn)", blank=True)

    online_level = models.PositiveSmallIntegerField("mức độ DVC trực tuyến (1–4)", null=True, blank=True)
    online_class = models.CharField(
        "DVC trực tuyến (NĐ 42/2022)", max_length=8, choices=OnlineClass.choices, default=OnlineClass.NONE
    )
    channel_counter = models.BooleanField("nộp trực tiếp", default=True)
    channel_online = models.BooleanField("nộp trực tuyến", default=False)
    channel_postal = models.BooleanField("nộp qua bưu chính công ích", default=False)
    result_by_post = models.BooleanField("trả kết quả qua bưu chính", default=False)
    four_on_spot = models.BooleanField("4 tại chỗ", default=False)
    one_stop = models.BooleanField("giải quyết qua một cửa", default=True)
    reception_cutoff = models.TimeField("giờ chốt tiếp nhận", null=True, blank=True)

    result = models.CharField("kết quả", max_length=1000, blank=True)
    conditions = models.TextField("yêu cầu, điều kiện", blank=True)
    steps_text = models.TextField("trình tự thực hiện", blank=True)
    illustrative = models.JSONField(
        "giá trị minh họa", default=list, blank=True, help_text="Tên các trường có giá trị minh họa (không có trong nguồn)"
    )
    source = models.TextField("nguồn dữ liệu", blank=True)
    search_text = models.TextField(blank=True, editable=False, help_text="Tên và mã không dấu, chữ thường, để tìm kiếm")

    class Meta:
        verbose_name = "phiên bản thủ tục"
        verbose_name_plural = "phiên bản thủ tục"
        ordering = ["procedure__code", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["procedure", "number"], name="procedure_version_number_unique"),
            models.UniqueConstraint(fields=["procedure"], condition=Q(status="in_force"), name="one_version_in_force"),
            models.CheckConstraint(
                condition=Q(online_level__isnull=True) | Q(online_level__gte=1, online_level__lte=4), name="online_level_1_4"
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_from__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="version_valid_range",
            ),
        ]
        indexes = [
            # Prefix search ("name starts with") on PostgreSQL; substring search uses the trigram index of migration 0002.
            models.Index(fields=["search_text"], name="version_search_text_prefix", opclasses=["text_pattern_ops"]),
        ]

    def __str__(self) -> str:
        return f"{self.procedure.code} v{self.number} — {self.name}"

    @property
    def effective_time(self):
        """The time a dossier gets: the agency's committed time, else the legal time."""
        return self.committed_time if self.committed_time is not None else self.legal_time

    @property
    def cut_percent(self) -> Decimal | None:
        """How much shorter the committed time is than the legal one, in percent (time_cut_percent; derived,
        never stored)."""
        return time_cut_percent(self.legal_time, self.committed_time)

    @property
    def cut_reaches_threshold(self) -> bool:
        """Counted among the procedures whose time is cut by CUT_THRESHOLD % or more."""
        return time_cut_reaches_threshold(self.cut_percent)


class Component(models.Model):
    """A document the applicant must provide (thành phần hồ sơ)."""

    version = models.ForeignKey(ProcedureVersion, on_delete=models.CASCADE, related_name="components")
    order = models.PositiveSmallIntegerField("thứ tự", default=1)
    name = models.TextField("tên giấy tờ")
    originals = models.PositiveSmallIntegerField("bản chính", default=1)
    copies = models.PositiveSmallIntegerField("bản sao", default=0)
    mandatory = models.BooleanField("bắt buộc", default=True)
    form_file = models.FileField("mẫu đơn, tờ khai", upload_to="catalog/forms/", blank=True)
    form_name = models.CharField("tên mẫu", max_length=255, blank=True)

    class Meta:
        verbose_name = "thành phần hồ sơ"
        verbose_name_plural = "thành phần hồ sơ"
        ordering = ["version", "order"]


class Fee(models.Model):
    version = models.ForeignKey(ProcedureVersion, on_delete=models.CASCADE, related_name="fees")
    name = models.CharField("tên phí, lệ phí", max_length=255)
    amount_vnd = models.PositiveBigIntegerField("mức thu (đồng)", default=0)
    note = models.CharField("ghi chú", max_length=500, blank=True)

    class Meta:
        verbose_name = "phí, lệ phí"
        verbose_name_plural = "phí, lệ phí"


class ProcessStep(models.Model):
    """One step of the internal process (quy trình nội bộ), in the version's time unit."""

    version = models.ForeignKey(ProcedureVersion, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField("bước")
    name = models.CharField("nội dung công việc", max_length=500)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="đơn vị")
    # Inter-agency process (liên thông): a step done by another agency (a land or environment step of
    # another department). Empty: the unit's agency, else the procedure's agency.
    agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="cơ quan thực hiện bước (liên thông)",
    )
    role = models.CharField("vai trò thực hiện", max_length=20, choices=Role.choices, blank=True)
    duration = models.DecimalField("thời gian", max_digits=7, decimal_places=2)

    class Meta:
        verbose_name = "bước quy trình nội bộ"
        verbose_name_plural = "các bước quy trình nội bộ"
        ordering = ["version", "order"]
        constraints = [
            models.UniqueConstraint(fields=["version", "order"], name="process_step_order_unique"),
            models.CheckConstraint(condition=Q(duration__gt=0), name="process_step_duration_positive"),
        ]


class PublicationDecision(TimeStampedModel):
    """Quyết định công bố: the chairman's decision that publishes, amends, replaces or abolishes procedures."""

    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="publication_decisions", verbose_name="cơ quan áp dụng"
    )
    number = models.CharField("số quyết định", max_length=60)
    title = models.CharField("trích yếu", max_length=1000, blank=True)
    signed_on = models.DateField("ngày ký")
    signer = models.CharField("người ký", max_length=255, blank=True)
    effective_on = models.DateField("ngày hiệu lực")
    applied_at = models.DateTimeField("đã áp dụng lúc", null=True, blank=True)

    class Meta:
        verbose_name = "quyết định công bố"
        verbose_name_plural = "quyết định công bố"
        ordering = ["-effective_on", "number"]
        constraints = [models.UniqueConstraint(fields=["agency", "number"], name="decision_number_unique_per_agency")]

    def __str__(self) -> str:
        return f"Quyết định {self.number} ngày {self.signed_on:%d/%m/%Y}"


class DecisionItem(models.Model):
    class Action(models.TextChoices):
        NEW = "new", "Công bố mới"
        AMENDED = "amended", "Sửa đổi, bổ sung"
        REPLACED = "replaced", "Thay thế"
        ABOLISHED = "abolished", "Bãi bỏ"

    decision = models.ForeignKey(PublicationDecision, on_delete=models.CASCADE, related_name="items")
    action = models.CharField("hình thức", max_length=10, choices=Action.choices)
    procedure = models.ForeignKey(Procedure, on_delete=models.PROTECT, related_name="decision_items")
    version = models.ForeignKey(
        ProcedureVersion,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="decision_items",
        help_text="Phiên bản được công bố (mới/sửa đổi/thay thế)",
    )
    replaces = models.ForeignKey(
        Procedure,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replaced_by_items",
        help_text="Thủ tục bị thay thế",
    )

    class Meta:
        verbose_name = "nội dung quyết định công bố"
        verbose_name_plural = "nội dung quyết định công bố"
        constraints = [models.UniqueConstraint(fields=["decision", "procedure"], name="decision_item_once_per_procedure")]
