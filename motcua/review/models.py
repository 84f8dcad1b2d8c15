"""Reviews of procedures to simplify them (rà soát, đánh giá TTHC, Circular 02/2017/TT-VPCP): the yearly
plan and its items (one procedure each), the compliance-cost inputs of the current and the proposed
procedure, the method's parameters per year, and the simplification proposal with its path to the province
(an outgoing document) and back to the catalog (a publication decision and the new version).

Figures (evidence, costs, savings, before/after) are not stored: `selectors` derives them from records."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q

from motcua.catalog.models import Procedure, ProcedureVersion, PublicationDecision
from motcua.core.models import Agency, TimeStampedModel, Unit
from motcua.documents.models import OutgoingDocument


class CostParameters(TimeStampedModel):
    """The method's parameters of a year, edited by an administrator (admin): the average income used to
    value one hour of a citizen's or business's time = income per year / (months × working days a month ×
    hours a day). A year without its own row uses the latest earlier one (selectors.cost_parameters)."""

    year = models.PositiveSmallIntegerField("năm áp dụng", unique=True)
    income_per_year_vnd = models.PositiveBigIntegerField("thu nhập bình quân đầu người một năm (đồng)")
    months = models.DecimalField("số tháng một năm", max_digits=4, decimal_places=1, default=Decimal(12))
    working_days_per_month = models.DecimalField(
        "số ngày làm việc một tháng", max_digits=4, decimal_places=1, default=Decimal(22)
    )
    hours_per_day = models.DecimalField("số giờ làm việc một ngày", max_digits=4, decimal_places=1, default=Decimal(8))
    source = models.CharField("nguồn số liệu", max_length=500, blank=True)

    class Meta:
        verbose_name = "tham số tính chi phí tuân thủ"
        verbose_name_plural = "tham số tính chi phí tuân thủ"
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(months__gt=0, working_days_per_month__gt=0, hours_per_day__gt=0), name="cost_parameters_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}: {self.income_per_year_vnd:,} đ"

    @property
    def hourly_value(self) -> Decimal:
        """Value of one hour in VND (not rounded; the cost is rounded once, at the end)."""
        return Decimal(self.income_per_year_vnd) / (self.months * self.working_days_per_month * self.hours_per_day)


class ReviewPlan(TimeStampedModel):
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="review_plans", verbose_name="cơ quan")
    year = models.PositiveSmallIntegerField("năm")
    number = models.CharField("số kế hoạch", max_length=60, blank=True)
    title = models.CharField("tên kế hoạch", max_length=500)
    issued_on = models.DateField("ngày ban hành", null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = "kế hoạch rà soát TTHC"
        verbose_name_plural = "kế hoạch rà soát TTHC"
        ordering = ["-year", "agency"]
        constraints = [models.UniqueConstraint(fields=["agency", "year"], name="review_plan_once_per_agency_year")]

    def __str__(self) -> str:
        return self.title


class ReviewItem(TimeStampedModel):
    class Status(models.TextChoices):
        PLANNED = "planned", "Chưa thực hiện"
        IN_PROGRESS = "in_progress", "Đang rà soát"
        DONE = "done", "Đã hoàn thành"

    plan = models.ForeignKey(ReviewPlan, on_delete=models.CASCADE, related_name="items", verbose_name="kế hoạch")
    procedure = models.ForeignKey(Procedure, on_delete=models.PROTECT, related_name="review_items", verbose_name="thủ tục")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name="đơn vị chủ trì")
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="người phụ trách",
    )
    deadline = models.DateField("thời hạn hoàn thành")
    status = models.CharField("trạng thái", max_length=12, choices=Status.choices, default=Status.PLANNED)
    progress = models.PositiveSmallIntegerField("tiến độ (%)", default=0)
    note = models.TextField("ghi chú", blank=True)
    last_reminded_on = models.DateField("nhắc hạn lần cuối", null=True, blank=True)

    class Meta:
        verbose_name = "thủ tục được rà soát"
        verbose_name_plural = "thủ tục được rà soát"
        ordering = ["plan", "deadline", "id"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "procedure"], name="review_item_once_per_plan"),
            models.CheckConstraint(condition=Q(progress__lte=100), name="review_item_progress_0_100"),
            models.CheckConstraint(condition=Q(status__in=["planned", "in_progress", "done"]), name="review_item_status_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.plan.year} — {self.procedure.code}"


class CostEstimate(TimeStampedModel):
    """What one dossier costs the applicant (Circular 02/2017's compliance cost), for the procedure as it is
    (`current`) or as proposed (`proposed`): hours valued at the year's hourly value, plus money spent."""

    class Variant(models.TextChoices):
        CURRENT = "current", "Thủ tục hiện hành"
        PROPOSED = "proposed", "Phương án đơn giản hóa"

    item = models.ForeignKey(ReviewItem, on_delete=models.CASCADE, related_name="costs", verbose_name="thủ tục được rà soát")
    variant = models.CharField("phương án", max_length=10, choices=Variant.choices)
    prepare_hours = models.DecimalField("thời gian chuẩn bị hồ sơ (giờ)", max_digits=7, decimal_places=2, default=Decimal(0))
    travel_hours = models.DecimalField("thời gian đi lại (giờ)", max_digits=7, decimal_places=2, default=Decimal(0))
    wait_hours = models.DecimalField("thời gian chờ đợi (giờ)", max_digits=7, decimal_places=2, default=Decimal(0))
    travel_vnd = models.PositiveBigIntegerField("chi phí đi lại (đồng)", default=0)
    fees_vnd = models.PositiveBigIntegerField("phí, lệ phí (đồng)", default=0)
    papers_vnd = models.PositiveBigIntegerField("chi phí có giấy tờ (sao y, xác nhận, thuê dịch vụ) (đồng)", default=0)
    other_vnd = models.PositiveBigIntegerField("chi phí khác (đồng)", default=0)
    dossiers_per_year = models.PositiveIntegerField(
        "số hồ sơ một năm", null=True, blank=True, help_text="Để trống: lấy số hồ sơ tiếp nhận trong năm từ hệ thống"
    )
    note = models.TextField("cách ước tính", blank=True)

    class Meta:
        verbose_name = "chi phí tuân thủ"
        verbose_name_plural = "chi phí tuân thủ"
        constraints = [
            models.UniqueConstraint(fields=["item", "variant"], name="cost_estimate_once_per_variant"),
            models.CheckConstraint(condition=Q(variant__in=["current", "proposed"]), name="cost_estimate_variant_valid"),
            models.CheckConstraint(
                condition=Q(prepare_hours__gte=0, travel_hours__gte=0, wait_hours__gte=0), name="cost_estimate_hours_not_negative"
            ),
        ]


class Proposal(TimeStampedModel):
    """The simplification proposal (phương án đơn giản hóa) of a reviewed procedure."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Dự thảo"
        SENT = "sent", "Đã gửi văn bản"
        ADOPTED = "adopted", "Được thông qua"
        REJECTED = "rejected", "Không được thông qua"

    item = models.OneToOneField(
        ReviewItem, on_delete=models.CASCADE, related_name="proposal", verbose_name="thủ tục được rà soát"
    )
    status = models.CharField("trạng thái", max_length=10, choices=Status.choices, default=Status.DRAFT)
    content = models.TextField("nội dung đơn giản hóa")
    reason = models.TextField("lý do", blank=True)
    legal_basis = models.TextField("kiến nghị thực thi (văn bản cần sửa đổi, bổ sung)", blank=True)
    proposed_time = models.DecimalField(
        "thời hạn giải quyết đề xuất", max_digits=7, decimal_places=2, null=True, blank=True, help_text="Theo đơn vị của thủ tục"
    )
    version = models.ForeignKey(
        ProcedureVersion, on_delete=models.PROTECT, related_name="+", verbose_name="phiên bản được rà soát"
    )
    outgoing = models.ForeignKey(
        OutgoingDocument, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="văn bản đi"
    )
    decision = models.ForeignKey(
        PublicationDecision,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="review_proposals",
        verbose_name="quyết định công bố",
    )
    new_version = models.ForeignKey(
        ProcedureVersion, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="phiên bản mới"
    )
    decided_on = models.DateField("ngày có ý kiến", null=True, blank=True)
    decision_note = models.TextField("ý kiến của cấp có thẩm quyền", blank=True)

    class Meta:
        verbose_name = "phương án đơn giản hóa"
        verbose_name_plural = "phương án đơn giản hóa"
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["draft", "sent", "adopted", "rejected"]), name="proposal_status_valid"
            ),
            models.CheckConstraint(
                condition=~Q(status="adopted") | Q(decision__isnull=False, new_version__isnull=False),
                name="proposal_adopted_has_decision",
            ),
            models.CheckConstraint(condition=~Q(status="sent") | Q(outgoing__isnull=False), name="proposal_sent_has_document"),
        ]
