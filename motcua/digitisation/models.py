"""Digitisation at reception (docs/digitisation.md).

An `OcrJob` is the background work on one scanned paper (a dossier file marked digitised at the counter): OCR
into a PDF/A with a Vietnamese text layer, the pages checked for legibility, the result signed with the
receiving agency's seal as a certified copy. One job per file (a constraint); its status, attempts and last
error are what the worker and the staff dossier page read. `OcrPage` holds each page's text (and the same text
without diacritics, for the staff search) and Tesseract's confidence; a blank or unreadable page is flagged."""

from django.db import models
from django.db.models import Q


class OcrJob(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", "Đang chờ"
        RUNNING = "running", "Đang xử lý"
        DONE = "done", "Đã xong"
        FAILED = "failed", "Không thành công"

    file = models.OneToOneField("dossiers.DossierFile", on_delete=models.CASCADE, related_name="ocr_job")
    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.CASCADE, related_name="ocr_jobs")
    # The agency whose staff see the text (the dossier's agency: tenancy) and the one whose seal certifies the copy
    # (the receiving agency: the service centre when it received the dossier, else the dossier's agency).
    agency = models.ForeignKey("core.Agency", on_delete=models.PROTECT, related_name="+")
    seal_agency = models.ForeignKey("core.Agency", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)
    next_attempt_at = models.DateTimeField()
    started_at = models.DateTimeField(null=True, blank=True)  # of the running attempt: a stale one is taken again
    finished_at = models.DateTimeField(null=True, blank=True)
    pages_total = models.PositiveIntegerField(default=0)
    pages_done = models.PositiveIntegerField(default=0)
    flagged_pages = models.PositiveIntegerField(default=0)
    # The PDF/A with its text layer, signed by the agency seal when the agency has one (certified), beside the original.
    output = models.FileField(upload_to="digitisation/%Y/", max_length=255, blank=True)
    output_sha256 = models.CharField(max_length=64, blank=True)
    certified = models.BooleanField(default=False)
    certified_by = models.CharField(max_length=255, blank=True)  # the seal's display name
    note = models.CharField(max_length=500, blank=True)  # why a done job is not certified
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = "việc số hoá"
        verbose_name_plural = "việc số hoá"
        ordering = ["dossier", "file_id"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=["queued", "running", "done", "failed"]), name="ocrjob_status_known"),
            models.CheckConstraint(condition=~Q(status="running") | Q(started_at__isnull=False), name="ocrjob_running_started"),
            models.CheckConstraint(
                condition=~Q(status="done") | (~Q(output="") & ~Q(output_sha256="") & Q(finished_at__isnull=False)),
                name="ocrjob_done_has_output",
            ),
            models.CheckConstraint(condition=~Q(certified=True) | Q(status="done"), name="ocrjob_certified_only_done"),
            models.CheckConstraint(condition=Q(pages_done__lte=models.F("pages_total")), name="ocrjob_pages_done_le_total"),
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="ocrjob_due")]

    def __str__(self) -> str:
        return f"OCR #{self.file_id} ({self.status})"


class OcrPage(models.Model):
    class Flag(models.TextChoices):
        NONE = "", "Đọc được"
        BLANK = "blank", "Trang trắng"
        UNREADABLE = "unreadable", "Không đọc được"

    job = models.ForeignKey(OcrJob, on_delete=models.CASCADE, related_name="pages")
    number = models.PositiveIntegerField()  # 1-based
    text = models.TextField(blank=True)
    # The text's words without diacritics, lower case (core.text.search_text): what the staff search matches.
    search_text = models.TextField(blank=True)
    # Tesseract's mean word confidence (0–100); null for a page that already had text (not OCR'd) or no word.
    confidence = models.FloatField(null=True, blank=True)
    words = models.PositiveIntegerField(default=0)
    # Share of dark pixels of the page image (0..1), measured on a page not read well: tells blank from unreadable.
    ink = models.FloatField(null=True, blank=True)
    flag = models.CharField(max_length=12, choices=Flag.choices, blank=True, default="")

    class Meta:
        verbose_name = "trang số hoá"
        verbose_name_plural = "trang số hoá"
        ordering = ["job", "number"]
        constraints = [
            models.UniqueConstraint(fields=["job", "number"], name="ocrpage_once_per_job"),
            models.CheckConstraint(condition=Q(number__gte=1), name="ocrpage_number_positive"),
            models.CheckConstraint(condition=Q(flag__in=["", "blank", "unreadable"]), name="ocrpage_flag_known"),
            models.CheckConstraint(
                condition=Q(confidence__isnull=True) | (Q(confidence__gte=0) & Q(confidence__lte=100)),
                name="ocrpage_confidence_range",
            ),
        ]
