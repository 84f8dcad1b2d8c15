from django.db import models


class DayOverride(models.Model):
    """A day the government announces differently from the `holidays` package: an extra day off or a
    make-up working day (e.g. Saturday 26/4/2025 worked to bridge 30/4–1/5). Entered by an administrator."""

    class Kind(models.TextChoices):
        OFF = "off", "Ngày nghỉ"
        WORKING = "working", "Ngày làm việc bù"

    date = models.DateField("ngày", unique=True)
    kind = models.CharField("loại", max_length=10, choices=Kind.choices)
    name = models.CharField("lý do", max_length=255)
    decision = models.CharField("văn bản công bố", max_length=255, blank=True, help_text="Ví dụ: Thông báo 6150/TB-LĐTBXH")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "ngày nghỉ/làm bù công bố"
        verbose_name_plural = "ngày nghỉ/làm bù công bố"
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} — {self.get_kind_display()}: {self.name}"
