"""The one-stop desk: dossiers (hồ sơ), their internal steps (the BM.05 handover log), pauses,
supplement requests, extensions, files, the timeline and the notification outbox.

The applicant's data is stored on the dossier row itself: a dossier has exactly one applicant, and
reading a dossier by code stays one query (with the procedure version and agency joined)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext as _

from motcua.catalog.models import Component, ProcedureVersion, ProcessStep
from motcua.core.models import Agency, TimeStampedModel, Unit


class Channel(models.TextChoices):
    COUNTER = "counter", "Trực tiếp"
    ONLINE = "online", "Trực tuyến"
    POSTAL = "postal", "Bưu chính công ích"


CHANNEL_CODES = {Channel.COUNTER: 1, Channel.ONLINE: 2, Channel.POSTAL: 3}


class Status(models.TextChoices):
    SUBMITTED = "submitted", "Mới nộp"
    ACCEPTED = "accepted", "Đã tiếp nhận"
    REFUSED = "refused", "Từ chối tiếp nhận"
    PROCESSING = "processing", "Đang xử lý"
    SUPPLEMENT_REQUESTED = "supplement_requested", "Yêu cầu bổ sung"
    PAYMENT_REQUIRED = "payment_required", "Chờ thực hiện nghĩa vụ tài chính"
    WITHDRAWN = "withdrawn", "Công dân rút hồ sơ"
    STOPPED = "stopped", "Dừng xử lý"
    DECIDED = "decided", "Đã có kết quả"
    RETURNED = "returned", "Đã trả kết quả"


# National status codes used when syncing with DVCQG (DOMAIN.md).
STATUS_CODES: dict[str, int] = {
    Status.SUBMITTED: 1,
    Status.ACCEPTED: 2,
    Status.REFUSED: 3,
    Status.PROCESSING: 4,
    Status.SUPPLEMENT_REQUESTED: 5,
    Status.PAYMENT_REQUIRED: 6,
    Status.WITHDRAWN: 7,
    Status.STOPPED: 8,
    Status.DECIDED: 9,
    Status.RETURNED: 10,
}

OPEN_STATUSES = (Status.ACCEPTED, Status.PROCESSING, Status.SUPPLEMENT_REQUESTED, Status.PAYMENT_REQUIRED)
PAUSED_STATUSES = (Status.SUPPLEMENT_REQUESTED, Status.PAYMENT_REQUIRED)
RUNNING_STATUSES = (Status.ACCEPTED, Status.PROCESSING)
FINISHED_STATUSES = (Status.DECIDED, Status.RETURNED)


class Timeliness(models.TextChoices):
    EARLY = "early", "Trước hạn"
    ON_TIME = "on_time", "Đúng hạn"
    LATE = "late", "Trễ hạn"


class Delivery(models.TextChoices):
    COUNTER = "counter", "Tại Bộ phận Một cửa"
    POST = "post", "Qua bưu chính công ích"
    ONLINE = "online", "Trực tuyến (kết quả điện tử)"


class ApplicantKind(models.TextChoices):
    INDIVIDUAL = "individual", "Cá nhân"
    ORGANISATION = "organisation", "Tổ chức, doanh nghiệp"


class Outcome(models.TextChoices):
    APPROVED = "approved", "Chấp thuận"
    REJECTED = "rejected", "Không chấp thuận"


class DailySequence(models.Model):
    """The last dossier number given by an agency on a day; incremented with one atomic upsert."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    date = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency", "date"], name="daily_sequence_unique")]


class Dossier(TimeStampedModel):
    # Unique by a constraint (Meta), and the agency's key indexed by (agency, received_at): indexes
    # every intake maintains, kept to those that queries use.
    code = models.CharField("mã hồ sơ", max_length=64)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="dossiers", verbose_name="cơ quan", db_index=False)
    # Received at the Public Administration Service Centre's counter for `agency` (the deciding agency):
    # the centre that received it (the officer is created_by). Null when received by the agency itself.
    receiving_agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="nơi tiếp nhận (Trung tâm Phục vụ hành chính công)",
    )
    procedure_version = models.ForeignKey(
        ProcedureVersion, on_delete=models.PROTECT, related_name="dossiers", verbose_name="thủ tục (phiên bản)"
    )
    channel = models.CharField("hình thức nộp", max_length=8, choices=Channel.choices)
    status = models.CharField("trạng thái", max_length=24, choices=Status.choices)

    received_at = models.DateTimeField("nộp/nhận lúc")
    accepted_at = models.DateTimeField("tiếp nhận lúc", null=True, blank=True)
    due_at = models.DateTimeField("hạn trả kết quả", null=True, blank=True)
    original_due_at = models.DateTimeField("ngày hẹn ban đầu", null=True, blank=True)
    extended = models.BooleanField("đã gia hạn", default=False)
    finished_at = models.DateTimeField("hoàn thành lúc", null=True, blank=True)
    returned_at = models.DateTimeField("trả kết quả lúc", null=True, blank=True)
    timeliness = models.CharField("tiến độ", max_length=8, choices=Timeliness.choices, blank=True)
    supplement_count = models.PositiveSmallIntegerField("số lần yêu cầu bổ sung", default=0)
    outcome = models.CharField("kết quả giải quyết", max_length=8, choices=Outcome.choices, blank=True)
    outcome_note = models.TextField("nội dung kết quả / lý do", blank=True)
    result_file = models.FileField("tệp kết quả", upload_to="dossiers/results/%Y/", blank=True)

    result_delivery = models.CharField("hình thức trả kết quả", max_length=8, choices=Delivery.choices, default=Delivery.COUNTER)
    postal_tracking = models.CharField("số hiệu bưu gửi", max_length=40, blank=True)
    return_address = models.CharField("địa chỉ nhận kết quả", max_length=500, blank=True)

    # Applicant (one per dossier).
    applicant_kind = models.CharField(
        "loại người nộp", max_length=12, choices=ApplicantKind.choices, default=ApplicantKind.INDIVIDUAL
    )
    applicant_name = models.CharField("tên người/tổ chức nộp", max_length=255)
    applicant_id_number = models.CharField("số định danh cá nhân", max_length=12, blank=True)
    applicant_birth_date = models.DateField("ngày sinh", null=True, blank=True)
    applicant_tax_code = models.CharField("mã số doanh nghiệp / thuế", max_length=14, blank=True)
    applicant_representative = models.CharField("người đại diện theo pháp luật", max_length=255, blank=True)
    applicant_address = models.CharField("địa chỉ", max_length=500, blank=True)
    applicant_phone = models.CharField("điện thoại", max_length=20, blank=True)
    applicant_email = models.EmailField("thư điện tử", blank=True)
    authorised_name = models.CharField("người được ủy quyền", max_length=255, blank=True)
    authorised_id_number = models.CharField("số định danh người được ủy quyền", max_length=12, blank=True)
    authorised_phone = models.CharField("điện thoại người được ủy quyền", max_length=20, blank=True)

    # The applicant's names and numbers and the procedure's name without diacritics, lower case (core.text):
    # what the staff search matches, with the code (dossiers.search).
    search_text = models.TextField(blank=True, default="", editable=False)
    lookup_secret_hash = models.CharField("mã tra cứu (băm)", max_length=64, blank=True, editable=False)
    idempotency_key = models.CharField(max_length=100, blank=True, editable=False)
    # SHA-256 of the request the key came with (canonical JSON): the same key with another body is refused.
    idempotency_fingerprint = models.CharField(max_length=64, blank=True, default="", editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    note = models.TextField("ghi chú", blank=True)

    class Meta:
        verbose_name = "hồ sơ"
        verbose_name_plural = "hồ sơ"
        ordering = ["-received_at"]
        constraints = [
            models.UniqueConstraint(fields=["code"], name="dossier_code_unique"),
            models.UniqueConstraint(
                fields=["created_by", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="dossier_idempotency_key_unique_per_creator",
            ),
            models.CheckConstraint(condition=Q(status__in=Status.values), name="dossier_status_valid"),
            models.CheckConstraint(condition=Q(channel__in=Channel.values), name="dossier_channel_valid"),
            models.CheckConstraint(
                condition=Q(due_at__isnull=True) | Q(original_due_at__isnull=False), name="dossier_due_has_original"
            ),
        ]
        indexes = [
            models.Index(fields=["agency", "received_at"], name="dossier_agency_received"),
            models.Index(fields=["status", "due_at"], name="dossier_status_due"),
            models.Index(fields=["finished_at"], name="dossier_finished"),
            models.Index(fields=["accepted_at"], name="dossier_accepted"),
            # "Hồ sơ của tôi" (motcua.citizens): a signed-in citizen's dossiers by their personal number.
            models.Index(fields=["applicant_id_number"], name="dossier_applicant_id", condition=~Q(applicant_id_number="")),
            # The summaries' freshness check (dossiers/summaries.py): the agencies' dossiers changed since a moment.
            models.Index(fields=["agency", "updated_at"], name="dossier_agency_updated"),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def status_code(self) -> int:
        return STATUS_CODES[self.status]

    @property
    def channel_code(self) -> int:
        return CHANNEL_CODES[self.channel]

    @property
    def is_paused(self) -> bool:
        return self.status in PAUSED_STATUSES

    @property
    def counts_late_766(self) -> bool:
        """Decision 766: late, or asked to supplement more than once."""
        return self.timeliness == Timeliness.LATE or self.supplement_count > 1


class DossierStep(models.Model):
    """One instance of an internal step; the row is the handover into that step (BM.05):
    who gave it (giver), who received it (receiver), when, its due moment and how it ended."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="steps")
    seq = models.PositiveSmallIntegerField("thứ tự luân chuyển")
    process_step = models.ForeignKey(ProcessStep, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    name = models.CharField("nội dung công việc", max_length=500)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="đơn vị")
    # The agency that owns the step (liên thông: another agency than the dossier's); its staff see the
    # dossier from this step on and act only on its own steps. Null on rows written before it existed.
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="cơ quan xử lý bước"
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="dossier_steps"
    )
    giver = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    receiver = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    received_at = models.DateTimeField("nhận lúc")
    due_at = models.DateTimeField("hạn bước")
    handed_over_at = models.DateTimeField("chuyển đi lúc", null=True, blank=True)
    timeliness = models.CharField("tiến độ", max_length=8, choices=Timeliness.choices, blank=True)
    note = models.TextField("ghi chú", blank=True)

    class Meta:
        verbose_name = "bước xử lý"
        verbose_name_plural = "các bước xử lý"
        ordering = ["dossier", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["dossier", "seq"], name="dossier_step_seq_unique"),
            models.UniqueConstraint(
                fields=["dossier"], condition=Q(handed_over_at__isnull=True), name="one_open_step_per_dossier"
            ),
        ]
        indexes = [
            models.Index(fields=["assignee", "due_at"], condition=Q(handed_over_at__isnull=True), name="open_step_assignee"),
            models.Index(fields=["unit", "due_at"], condition=Q(handed_over_at__isnull=True), name="open_step_unit"),
        ]


class Pause(models.Model):
    class Reason(models.TextChoices):
        SUPPLEMENT = "supplement", "Yêu cầu bổ sung hồ sơ"
        PAYMENT = "payment", "Thực hiện nghĩa vụ tài chính"

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="pauses")
    reason = models.CharField("lý do tạm dừng", max_length=12, choices=Reason.choices)
    started_at = models.DateTimeField("bắt đầu")
    ended_at = models.DateTimeField("kết thúc", null=True, blank=True)
    resume_status = models.CharField(max_length=24, choices=Status.choices)
    working_seconds = models.PositiveIntegerField("thời gian tạm dừng (giây làm việc)", default=0)

    class Meta:
        verbose_name = "tạm dừng"
        verbose_name_plural = "tạm dừng"
        ordering = ["dossier", "started_at"]
        constraints = [
            models.UniqueConstraint(fields=["dossier"], condition=Q(ended_at__isnull=True), name="one_open_pause_per_dossier"),
        ]


class SupplementRequest(models.Model):
    """A request to complete the dossier (BM.02)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="supplement_requests")
    pause = models.OneToOneField(Pause, on_delete=models.CASCADE, related_name="supplement_request", null=True, blank=True)
    items = models.JSONField("nội dung cần bổ sung", default=list)
    note = models.TextField("lý do, ghi chú", blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    requested_at = models.DateTimeField()
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "yêu cầu bổ sung"
        verbose_name_plural = "yêu cầu bổ sung"
        ordering = ["dossier", "requested_at"]


class Extension(models.Model):
    """An apology and new date (BM.04); at most one per dossier."""

    dossier = models.OneToOneField(Dossier, on_delete=models.CASCADE, related_name="extension")
    reason = models.TextField("lý do chậm")
    previous_due_at = models.DateTimeField("hạn cũ")
    new_due_at = models.DateTimeField("hạn mới")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = "gia hạn"
        verbose_name_plural = "gia hạn"
        constraints = [
            models.CheckConstraint(condition=Q(new_due_at__gt=models.F("previous_due_at")), name="extension_moves_forward")
        ]


def dossier_file_path(instance: "DossierFile", filename: str) -> str:
    return f"dossiers/files/{instance.sha256[:2]}/{instance.sha256}{instance.extension}"


class DossierFile(models.Model):
    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="files")
    component = models.ForeignKey(Component, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    kind = models.CharField(
        max_length=12,
        default="component",
        choices=[("component", "Thành phần hồ sơ"), ("supplement", "Bổ sung"), ("result", "Kết quả")],
    )
    file = models.FileField(upload_to=dossier_file_path, max_length=255)
    original_name = models.CharField("tên tệp", max_length=255)
    sha256 = models.CharField(max_length=64)
    content_type = models.CharField("định dạng (theo nội dung)", max_length=100)
    extension = models.CharField(max_length=10, blank=True)
    size = models.PositiveBigIntegerField("dung lượng (byte)")
    digitised = models.BooleanField("đã số hóa", default=False)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "tệp hồ sơ"
        verbose_name_plural = "tệp hồ sơ"
        ordering = ["dossier", "id"]


class ReceivedPaper(models.Model):
    """A paper (thành phần hồ sơ) received with the dossier, scanned or not: what the receipt (BM.01)
    lists, with the number of originals and copies received. Its scans, if any, are DossierFile rows
    of the same component."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="papers")
    component = models.ForeignKey(Component, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    order = models.PositiveSmallIntegerField("thứ tự", default=1)
    name = models.TextField("tên giấy tờ")
    originals = models.PositiveSmallIntegerField("bản chính", default=0)
    copies = models.PositiveSmallIntegerField("bản sao", default=0)

    class Meta:
        verbose_name = "giấy tờ đã nhận"
        verbose_name_plural = "giấy tờ đã nhận"
        ordering = ["dossier", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["dossier", "component"], name="received_paper_once_per_component"),
        ]


class DossierEvent(models.Model):
    """The dossier's timeline (one row per transition), shown on its page."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField()
    action = models.CharField(max_length=40)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    status_from = models.CharField(max_length=24, blank=True)
    status_to = models.CharField(max_length=24, blank=True)
    note = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["dossier", "at", "id"]


class PostalOrder(models.Model):
    """An order with the postal operator (public postal service, BCCI): the pickup of a dossier's papers at the
    applicant's address, or the delivery of its result. Written with its outbox message in the transaction of
    the intake or the return (dossiers.postal); moved forward only by the operator's signed tracking events,
    never backwards (an event older than the state held is recorded and not applied)."""

    class Kind(models.TextChoices):
        PICKUP = "pickup", "Thu gom hồ sơ"
        DELIVERY = "delivery", "Chuyển phát kết quả"

    class State(models.TextChoices):
        REQUESTED = "requested", "Đã gửi yêu cầu cho bưu chính"
        ACCEPTED = "accepted", "Bưu chính đã nhận đơn"
        PICKED_UP = "picked_up", "Bưu tá đã nhận bưu gửi"
        IN_TRANSIT = "in_transit", "Đang vận chuyển"
        DELIVERED = "delivered", "Phát thành công"
        FAILED = "failed", "Phát không thành công, chuyển hoàn về Bộ phận Một cửa"

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="postal_orders")
    kind = models.CharField("loại đơn", max_length=10, choices=Kind.choices)
    order_code = models.CharField("mã đơn hàng", max_length=40, unique=True)
    tracking_code = models.CharField("số hiệu bưu gửi", max_length=40, blank=True)
    state = models.CharField("trạng thái", max_length=12, choices=State.choices, default=State.REQUESTED)
    state_at = models.DateTimeField("thời điểm trạng thái", null=True, blank=True)
    note = models.CharField("ghi chú của bưu chính", max_length=500, blank=True)
    created_at = models.DateTimeField("tạo lúc")
    updated_at = models.DateTimeField("cập nhật lúc")
    resolved_at = models.DateTimeField("Một cửa đã xử lý lúc", null=True, blank=True)

    @property
    def state_label(self) -> str:
        """The state as the desk and the applicant read it: a failed pickup is papers not collected, not a result
        returned."""
        if self.state == self.State.FAILED and self.kind == self.Kind.PICKUP:
            return _("Không thu gom được hồ sơ tại địa chỉ người nộp")
        return self.get_state_display()

    class Meta:
        verbose_name = "đơn bưu chính"
        verbose_name_plural = "đơn bưu chính"
        ordering = ["dossier", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=["pickup", "delivery"]), name="postal_order_kind_valid"),
            models.CheckConstraint(
                condition=Q(state__in=["requested", "accepted", "picked_up", "in_transit", "delivered", "failed"]),
                name="postal_order_state_valid",
            ),
        ]
        indexes = [
            # The desk's worklist asks for failed deliveries not dealt with yet.
            models.Index(
                fields=["dossier"], condition=Q(state="failed", resolved_at__isnull=True), name="postal_order_failed_open"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order_code} ({self.get_state_display()})"


# ---------------------------------------------------------------------------------------------- summaries
# Issue 20 item 5: the statistics table and the Decision 766 index read closed months from these rows instead of
# the dossiers (dossiers/summaries.py, docs/index766.md "Summaries"). Rows are written only by the summaries'
# refresh, from the very functions the raw path runs; nothing else writes them.


class SummaryMonth(models.Model):
    """One agency-month a summary holds (`summary`: "statistics" or "index766"), computed at `computed_at`: its rows
    count every change of the agency's dossiers made before that moment."""

    summary = models.CharField(max_length=16)
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    month = models.DateField()  # the first day of the month
    computed_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["summary", "agency", "month"], name="summary_month_unique")]


class StatMonth(models.Model):
    """The statistics table's figures of one agency, one procedure version, one calendar month (statistics.py):
    flows of the month (new, finished, closed), the carried over at its start and the open/paused at its end."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    month = models.DateField()
    procedure_version = models.ForeignKey(ProcedureVersion, on_delete=models.CASCADE, related_name="+")
    carried_over = models.PositiveIntegerField(default=0)
    new_total = models.PositiveIntegerField(default=0)
    new_online = models.PositiveIntegerField(default=0)
    new_counter = models.PositiveIntegerField(default=0)
    new_postal = models.PositiveIntegerField(default=0)
    finished_total = models.PositiveIntegerField(default=0)
    finished_early = models.PositiveIntegerField(default=0)
    finished_on_time = models.PositiveIntegerField(default=0)
    finished_late = models.PositiveIntegerField(default=0)
    finished_late_766 = models.PositiveIntegerField(default=0)
    processing_within = models.PositiveIntegerField(default=0)
    processing_late = models.PositiveIntegerField(default=0)
    paused = models.PositiveIntegerField(default=0)
    closed_other = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["month", "agency", "procedure_version"], name="stat_month_unique"),
        ]
