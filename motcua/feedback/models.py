"""PAKN (phản ánh, kiến nghị — feedback and petitions) and satisfaction ratings.

A Feedback moves received → (refused | more_info_requested → received again) → in_progress → answered
→ published. Every move is one service in services.py; the stage deadlines of Decision 766/QĐ-TTg are
computed by the working-day calendar when the item is received (or received again) and stored, so the
worklist can filter on them in the database.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from motcua.core.models import Agency, TimeStampedModel


class Kind(models.TextChoices):
    FEEDBACK = "phan_anh", "Phản ánh"
    PETITION = "kien_nghi", "Kiến nghị"


class Category(models.TextChoices):
    PROCEDURE = "procedure", "Thủ tục hành chính"
    REGULATION = "regulation", "Quy định hành chính"
    ATTITUDE = "attitude", "Thái độ, hành vi phục vụ"
    OTHER = "other", "Nội dung khác"


class Channel(models.TextChoices):
    WEB = "web", "Cổng thông tin (biểu mẫu trực tuyến)"
    OPEN311 = "open311", "Ứng dụng (Open311)"
    COUNTER = "counter", "Trực tiếp tại bộ phận một cửa"
    POST = "post", "Văn bản, bưu chính"
    PHONE = "phone", "Điện thoại"
    EMAIL = "email", "Thư điện tử"
    NATIONAL = "national", "Hệ thống tiếp nhận PAKN quốc gia"


class Status(models.TextChoices):
    RECEIVED = "received", "Đã tiếp nhận"
    REFUSED = "refused", "Từ chối tiếp nhận"
    MORE_INFO_REQUESTED = "more_info_requested", "Đề nghị bổ sung thông tin"
    IN_PROGRESS = "in_progress", "Đang xử lý"
    ANSWERED = "answered", "Đã trả lời"
    PUBLISHED = "published", "Đã công khai"


OPEN_STATUSES = (Status.RECEIVED, Status.MORE_INFO_REQUESTED, Status.IN_PROGRESS)
CLOSED_STATUSES = (Status.REFUSED, Status.ANSWERED, Status.PUBLISHED)


class FeedbackCounter(models.Model):
    """One row per calendar day: the last sequence number handed out in codes PAKN-YYMMDD-NNNN.
    Locked with SELECT ... FOR UPDATE while a code is taken, so concurrent submissions never share one."""

    day = models.DateField(unique=True)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "bộ đếm mã PAKN"
        verbose_name_plural = "bộ đếm mã PAKN"


class Feedback(TimeStampedModel):
    code = models.CharField("mã PAKN", max_length=24, unique=True)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="feedback_items", verbose_name="cơ quan tiếp nhận")
    kind = models.CharField("loại", max_length=12, choices=Kind.choices, default=Kind.FEEDBACK)
    category = models.CharField("nội dung liên quan", max_length=12, choices=Category.choices, db_index=True)
    procedure = models.ForeignKey(
        "catalog.Procedure",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="feedback_items",
        verbose_name="thủ tục hành chính liên quan",
    )
    title = models.CharField("tiêu đề", max_length=255, blank=True)
    content = models.TextField("nội dung")
    channel = models.CharField("kênh tiếp nhận", max_length=10, choices=Channel.choices, default=Channel.WEB)

    submitter_name = models.CharField("họ và tên", max_length=255, blank=True)
    submitter_phone = models.CharField("điện thoại", max_length=40, blank=True)
    submitter_email = models.EmailField("thư điện tử", blank=True)
    submitter_address = models.CharField("địa chỉ", max_length=500, blank=True)
    # Open311 clients may send a place; PAKN rarely has one, so all optional.
    address_string = models.CharField("địa điểm", max_length=500, blank=True)
    lat = models.DecimalField("vĩ độ", max_digits=9, decimal_places=6, null=True, blank=True)
    long = models.DecimalField("kinh độ", max_digits=9, decimal_places=6, null=True, blank=True)

    status = models.CharField("trạng thái", max_length=20, choices=Status.choices, default=Status.RECEIVED, db_index=True)
    received_at = models.DateTimeField("tiếp nhận lúc", db_index=True)
    clock_started_at = models.DateTimeField(
        "bắt đầu tính hạn giải quyết lúc", help_text="Lúc tiếp nhận, hoặc lúc nhận đủ thông tin bổ sung"
    )
    refuse_due = models.DateTimeField("hạn từ chối tiếp nhận")
    more_info_due = models.DateTimeField("hạn đề nghị bổ sung")
    resolve_due = models.DateTimeField("hạn giải quyết")
    publish_due = models.DateTimeField("hạn công khai kết quả", null=True, blank=True)
    current_due = models.DateTimeField("hạn của bước hiện tại", null=True, blank=True, db_index=True)

    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="cán bộ xử lý"
    )
    refused_at = models.DateTimeField("từ chối lúc", null=True, blank=True)
    refuse_reason = models.TextField("lý do từ chối", blank=True)
    more_info_requested_at = models.DateTimeField("đề nghị bổ sung lúc", null=True, blank=True)
    more_info_request = models.TextField("nội dung đề nghị bổ sung", blank=True)
    more_info_received_at = models.DateTimeField("nhận bổ sung lúc", null=True, blank=True)
    more_info_reply = models.TextField("thông tin bổ sung", blank=True)
    started_at = models.DateTimeField("bắt đầu xử lý lúc", null=True, blank=True)
    answered_at = models.DateTimeField("trả lời lúc", null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="người trả lời"
    )
    answer = models.TextField("nội dung trả lời", blank=True)
    is_published = models.BooleanField("đã công khai", default=False, db_index=True)
    published_at = models.DateTimeField("công khai lúc", null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="lãnh đạo duyệt công khai",
    )

    class Meta:
        verbose_name = "phản ánh, kiến nghị"
        verbose_name_plural = "phản ánh, kiến nghị"
        ordering = ["-received_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(is_published=False) | Q(status="published", published_at__isnull=False),
                name="feedback_published_flag_matches_status",
            ),
            models.CheckConstraint(
                condition=~Q(status="published") | Q(is_published=True), name="feedback_published_status_has_flag"
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["answered", "published"]) | (Q(answered_at__isnull=False) & ~Q(answer="")),
                name="feedback_answered_has_answer",
            ),
            models.CheckConstraint(condition=~Q(status="refused") | ~Q(refuse_reason=""), name="feedback_refused_has_reason"),
            models.CheckConstraint(condition=~Q(submitter_phone="") | ~Q(submitter_email=""), name="feedback_has_phone_or_email"),
            models.CheckConstraint(
                condition=Q(lat__isnull=True, long__isnull=True) | Q(lat__isnull=False, long__isnull=False),
                name="feedback_lat_long_together",
            ),
        ]
        indexes = [models.Index(fields=["agency", "status", "current_due"])]

    def __str__(self) -> str:
        return self.code


def _attachment_path(instance, filename: str) -> str:
    return f"feedback/{instance.feedback.received_at:%Y/%m}/{instance.feedback.code}/{filename}"


class FeedbackAttachment(models.Model):
    feedback = models.ForeignKey(Feedback, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField("tệp", upload_to=_attachment_path, max_length=255)
    original_name = models.CharField("tên tệp gốc", max_length=255)
    content_type = models.CharField("kiểu nội dung (theo nội dung tệp)", max_length=120)
    size = models.PositiveBigIntegerField("dung lượng (byte)")
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "tệp đính kèm PAKN"
        verbose_name_plural = "tệp đính kèm PAKN"
        ordering = ["id"]

    def __str__(self) -> str:
        return self.original_name


class Overall(models.TextChoices):
    VERY_SATISFIED = "rat_hai_long", "Rất hài lòng"
    SATISFIED = "hai_long", "Hài lòng"
    UNSATISFIED = "khong_hai_long", "Không hài lòng"


# The nine criteria of the satisfaction survey (Circular 01/2018 era, DOMAIN.md), each scored 0–2 (total 18).
CRITERIA: list[tuple[str, str]] = [
    ("total_time", "Tổng thời gian giải quyết so với quy định"),
    ("time_per_agency", "Thời gian giải quyết tại từng cơ quan"),
    ("contacts", "Số lần phải liên hệ với cơ quan để hoàn thiện hồ sơ"),
    ("agencies_contacted", "Số cơ quan phải liên hệ"),
    ("reception_return", "Tiếp nhận và trả kết quả tại bộ phận một cửa"),
    ("procedure_publicity", "Công khai thủ tục hành chính"),
    ("staff_attitude", "Thái độ của cán bộ, công chức"),
    ("feedback_handling", "Tiếp nhận, xử lý phản ánh, kiến nghị"),
    ("online_quality", "Chất lượng dịch vụ công trực tuyến"),
]
CRITERIA_MAX = 2


class SatisfactionRating(models.Model):
    """The applicant's rating of one dossier, given once, after the result was returned."""

    dossier = models.OneToOneField(
        "dossiers.Dossier", on_delete=models.PROTECT, related_name="satisfaction_rating", verbose_name="hồ sơ"
    )
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="satisfaction_ratings", verbose_name="cơ quan")
    overall = models.CharField("mức độ hài lòng chung", max_length=16, choices=Overall.choices)
    total_time = models.PositiveSmallIntegerField(CRITERIA[0][1])
    time_per_agency = models.PositiveSmallIntegerField(CRITERIA[1][1])
    contacts = models.PositiveSmallIntegerField(CRITERIA[2][1])
    agencies_contacted = models.PositiveSmallIntegerField(CRITERIA[3][1])
    reception_return = models.PositiveSmallIntegerField(CRITERIA[4][1])
    procedure_publicity = models.PositiveSmallIntegerField(CRITERIA[5][1])
    staff_attitude = models.PositiveSmallIntegerField(CRITERIA[6][1])
    feedback_handling = models.PositiveSmallIntegerField(CRITERIA[7][1])
    online_quality = models.PositiveSmallIntegerField(CRITERIA[8][1])
    total = models.GeneratedField(
        expression=models.F("total_time")
        + models.F("time_per_agency")
        + models.F("contacts")
        + models.F("agencies_contacted")
        + models.F("reception_return")
        + models.F("procedure_publicity")
        + models.F("staff_attitude")
        + models.F("feedback_handling")
        + models.F("online_quality"),
        output_field=models.PositiveSmallIntegerField(),
        db_persist=True,
        verbose_name="tổng điểm (tối đa 18)",
    )
    comment = models.TextField("góp ý", blank=True)
    submitted_at = models.DateTimeField("đánh giá lúc", db_index=True)

    class Meta:
        verbose_name = "đánh giá mức độ hài lòng"
        verbose_name_plural = "đánh giá mức độ hài lòng"
        ordering = ["-submitted_at"]
        constraints = [
            models.CheckConstraint(condition=Q(overall__in=Overall.values), name="rating_overall_valid"),
            *[
                models.CheckConstraint(
                    condition=Q(**{f"{name}__gte": 0, f"{name}__lte": CRITERIA_MAX}), name=f"rating_{name}_0_2"
                )
                for name, _ in CRITERIA
            ],
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id}: {self.get_overall_display()}"
