"""Weights and thresholds of the Decision 766 index, in data: an administrator enters a new version when a
decision amends them (Django admin); a period is scored with the version in force on its first day, so the
index of a past period keeps the weights of its time."""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from .rules import GROUPS, RULE_CHOICES


class IndexVersion(models.Model):
    name = models.CharField("tên bộ chỉ số", max_length=255)
    decision = models.CharField("văn bản ban hành", max_length=255, help_text="Ví dụ: Quyết định 766/QĐ-TTg ngày 23/6/2022")
    valid_from = models.DateField("áp dụng cho kỳ bắt đầu từ", unique=True)
    note = models.TextField("ghi chú", blank=True)

    class Meta:
        verbose_name = "phiên bản bộ chỉ số 766"
        verbose_name_plural = "phiên bản bộ chỉ số 766"
        ordering = ["-valid_from"]

    def __str__(self) -> str:
        return f"{self.name} (từ {self.valid_from:%d/%m/%Y})"


class IndexGroup(models.Model):
    version = models.ForeignKey(IndexVersion, on_delete=models.CASCADE, related_name="groups", verbose_name="phiên bản")
    code = models.CharField("nhóm", max_length=20, choices=list(GROUPS.items()))
    order = models.PositiveSmallIntegerField("thứ tự", default=1)
    max_points = models.DecimalField(
        "điểm tối đa", max_digits=5, decimal_places=2, validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))]
    )

    class Meta:
        verbose_name = "nhóm chỉ số"
        verbose_name_plural = "nhóm chỉ số"
        ordering = ["version", "order"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="index766_group_once_per_version"),
            models.CheckConstraint(condition=models.Q(max_points__gte=0), name="index766_group_points_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.get_code_display()} ({self.max_points} điểm)"


class IndexIndicator(models.Model):
    group = models.ForeignKey(IndexGroup, on_delete=models.CASCADE, related_name="indicators", verbose_name="nhóm")
    code = models.CharField("quy tắc tính", max_length=40, choices=RULE_CHOICES)
    order = models.PositiveSmallIntegerField("thứ tự", default=1)
    max_points = models.DecimalField(
        "điểm tối đa", max_digits=5, decimal_places=2, validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))]
    )
    threshold_percent = models.DecimalField(
        "ngưỡng đạt điểm tối đa (%)",
        max_digits=5,
        decimal_places=2,
        default=Decimal(100),
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal(100))],
        help_text="Dưới ngưỡng: điểm = tỷ lệ × điểm tối đa ÷ ngưỡng",
    )

    class Meta:
        verbose_name = "chỉ số thành phần"
        verbose_name_plural = "chỉ số thành phần"
        ordering = ["group", "order"]
        constraints = [
            models.UniqueConstraint(fields=["group", "code"], name="index766_indicator_once_per_group"),
            models.CheckConstraint(condition=models.Q(max_points__gte=0), name="index766_indicator_points_not_negative"),
            models.CheckConstraint(
                condition=models.Q(threshold_percent__gt=0, threshold_percent__lte=100), name="index766_threshold_0_100"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} ({self.max_points} điểm, ngưỡng {self.threshold_percent} %)"


class IndexMonth(models.Model):
    """The monthly summary (summary.py): one rule's counts over one agency's dossiers of one procedure version for one
    calendar month — for a FLOW rule the month's records, for a SNAPSHOT rule those at the month's end. Written only
    by summary.refresh_month, from the rules' own code."""

    agency = models.ForeignKey("core.Agency", on_delete=models.CASCADE, related_name="+")
    month = models.DateField()
    procedure_version = models.ForeignKey("catalog.ProcedureVersion", on_delete=models.CASCADE, related_name="+")
    code = models.CharField(max_length=40)
    total = models.PositiveIntegerField()
    earned = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["month", "agency", "procedure_version", "code"], name="index766_month_unique"),
        ]
