"""Administrative reform (CCHC): plans and tasks, the institutional reform registry, organisation and
staffing, inspections with recommendations, and the self-assessment against the PAR INDEX criteria.

Figures the CCHC report needs are never stored here as typed numbers: they are counted from these rows
(and from the catalog, dossiers and documents apps) by selectors."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from motcua.core.models import Agency, TimeStampedModel, Unit


class Area(models.TextChoices):
    """Areas of the yearly CCHC plan (and of the PAR INDEX)."""

    DIRECTION = "direction", "Công tác chỉ đạo, điều hành và thông tin, tuyên truyền"
    INSTITUTIONAL = "institutional", "Cải cách thể chế"
    PROCEDURE = "procedure", "Cải cách thủ tục hành chính"
    ORGANISATION = "organisation", "Cải cách tổ chức bộ máy"
    CIVIL_SERVICE = "civil_service", "Cải cách chế độ công vụ"
    PUBLIC_FINANCE = "public_finance", "Cải cách tài chính công"
    E_GOVERNMENT = "e_government", "Xây dựng và phát triển Chính quyền điện tử, Chính quyền số"
    IMPACT = "impact", "Tác động của cải cách hành chính"


AREA_ORDER = [a.value for a in Area]


# ---------------------------------------------------------------- plans and tasks


class ReformPlan(TimeStampedModel):
    """A CCHC plan: the province's yearly plan (e.g. 3199/KH-UBND of 22/12/2020 for 2021) or an agency's
    plan implementing it (parent = the provincial plan)."""

    class Kind(models.TextChoices):
        PROVINCE = "province", "Kế hoạch CCHC của tỉnh"
        AGENCY = "agency", "Kế hoạch triển khai của cơ quan"

    kind = models.CharField("loại kế hoạch", max_length=10, choices=Kind.choices)
    year = models.PositiveSmallIntegerField("năm", db_index=True)
    number = models.CharField("số, ký hiệu", max_length=60)
    issued_on = models.DateField("ngày ban hành")
    issuer = models.CharField("cơ quan ban hành", max_length=255, help_text="Ví dụ: UBND tỉnh")
    title = models.CharField("trích yếu", max_length=1000)
    agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reform_plans",
        verbose_name="cơ quan thực hiện",
        help_text="Trống với kế hoạch của tỉnh",
    )
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="implementations", verbose_name="thực hiện kế hoạch"
    )

    class Meta:
        verbose_name = "kế hoạch CCHC"
        verbose_name_plural = "kế hoạch CCHC"
        ordering = ["-year", "kind", "number"]
        constraints = [
            models.UniqueConstraint(fields=["year", "number", "issuer"], name="reform_plan_number_unique"),
            models.CheckConstraint(
                condition=Q(kind="province") | Q(agency__isnull=False), name="reform_plan_agency_plan_has_agency"
            ),
        ]

    def __str__(self) -> str:
        return f"Kế hoạch số {self.number} ngày {self.issued_on:%d/%m/%Y}"


class ReformTask(TimeStampedModel):
    class Status(models.TextChoices):
        NOT_STARTED = "not_started", "Chưa thực hiện"
        IN_PROGRESS = "in_progress", "Đang thực hiện"
        DONE = "done", "Hoàn thành"
        CANCELLED = "cancelled", "Hủy bỏ"

    plan = models.ForeignKey(ReformPlan, on_delete=models.PROTECT, related_name="tasks", verbose_name="kế hoạch")
    area = models.CharField("lĩnh vực CCHC", max_length=20, choices=Area.choices, db_index=True)
    title = models.CharField("nhiệm vụ", max_length=1000)
    owner_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="reform_tasks", verbose_name="đơn vị chủ trì")
    expected_output = models.CharField("sản phẩm dự kiến", max_length=1000, blank=True)
    start_on = models.DateField("ngày bắt đầu")
    working_days = models.PositiveIntegerField("thời hạn (ngày làm việc)", null=True, blank=True)
    deadline = models.DateField("hạn hoàn thành", db_index=True, help_text="Tính theo ngày làm việc, không nhập tay")
    status = models.CharField("trạng thái", max_length=12, choices=Status.choices, default=Status.NOT_STARTED, db_index=True)
    progress = models.PositiveSmallIntegerField("tiến độ (%)", default=0)
    completed_on = models.DateField("ngày hoàn thành", null=True, blank=True)
    note = models.TextField("ghi chú", blank=True)

    class Meta:
        verbose_name = "nhiệm vụ CCHC"
        verbose_name_plural = "nhiệm vụ CCHC"
        ordering = ["deadline", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="reform_task_progress_0_100"),
            models.CheckConstraint(condition=Q(deadline__gte=F("start_on")), name="reform_task_deadline_after_start"),
            models.CheckConstraint(
                condition=~Q(status="done") | (Q(progress=100) & Q(completed_on__isnull=False)),
                name="reform_task_done_is_complete",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class TaskEvidence(models.Model):
    task = models.ForeignKey(ReformTask, on_delete=models.CASCADE, related_name="evidence", verbose_name="nhiệm vụ")
    description = models.CharField("mô tả", max_length=500)
    file = models.FileField("tệp minh chứng", upload_to="reform/tasks/%Y/", blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    uploaded_at = models.DateTimeField("tải lên lúc", auto_now_add=True)

    class Meta:
        verbose_name = "minh chứng nhiệm vụ"
        verbose_name_plural = "minh chứng nhiệm vụ"
        ordering = ["uploaded_at", "id"]


# ---------------------------------------------------------------- institutional reform


class LegalDraft(TimeStampedModel):
    """A legal normative document the agency registered to draft (đăng ký xây dựng văn bản QPPL)."""

    class Stage(models.TextChoices):
        REGISTERED = "registered", "Đã đăng ký"
        DRAFTING = "drafting", "Đang soạn thảo"
        CONSULTATION = "consultation", "Lấy ý kiến, thẩm định"
        SUBMITTED = "submitted", "Đã trình"
        ISSUED = "issued", "Đã ban hành"

    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="legal_drafts", verbose_name="cơ quan chủ trì soạn thảo"
    )
    year = models.PositiveSmallIntegerField("năm đăng ký", db_index=True)
    title = models.CharField("tên văn bản", max_length=1000)
    doc_type = models.CharField("loại văn bản", max_length=60, default="Quyết định")
    issuing_body = models.CharField("cơ quan ban hành", max_length=255, default="UBND tỉnh")
    replaces_number = models.CharField("thay thế văn bản số", max_length=60, blank=True, help_text="Ví dụ 09/2018/QĐ-UBND")
    replaces_date = models.DateField("ngày của văn bản bị thay thế", null=True, blank=True)
    replaces_issuer = models.CharField("cơ quan ban hành văn bản bị thay thế", max_length=255, blank=True)
    stage = models.CharField("giai đoạn", max_length=14, choices=Stage.choices, default=Stage.REGISTERED, db_index=True)
    registered_on = models.DateField("ngày đăng ký")
    drafting_on = models.DateField("ngày bắt đầu soạn thảo", null=True, blank=True)
    consultation_on = models.DateField("ngày lấy ý kiến", null=True, blank=True)
    submitted_on = models.DateField("ngày trình", null=True, blank=True)
    issued_on = models.DateField("ngày ban hành", null=True, blank=True)
    issued_number = models.CharField("số văn bản ban hành", max_length=60, blank=True)

    class Meta:
        verbose_name = "văn bản QPPL đăng ký xây dựng"
        verbose_name_plural = "văn bản QPPL đăng ký xây dựng"
        ordering = ["-year", "registered_on", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(stage="issued") | Q(issued_on__isnull=False), name="legal_draft_issued_has_date"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def replaces_phrase(self) -> str:
        if not self.replaces_number:
            return ""
        text = f"thay thế Quyết định số {self.replaces_number}"
        if self.replaces_date:
            text += f" ngày {self.replaces_date.day}/{self.replaces_date.month}/{self.replaces_date.year}"
        if self.replaces_issuer:
            text += f" của {self.replaces_issuer}"
        return text


LEGAL_DRAFT_STAGE_DATE = {
    LegalDraft.Stage.REGISTERED: "registered_on",
    LegalDraft.Stage.DRAFTING: "drafting_on",
    LegalDraft.Stage.CONSULTATION: "consultation_on",
    LegalDraft.Stage.SUBMITTED: "submitted_on",
    LegalDraft.Stage.ISSUED: "issued_on",
}


class EnforcementMonitoring(TimeStampedModel):
    """An entry of law-enforcement monitoring (theo dõi tình hình thi hành pháp luật) in one field."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="enforcement_monitoring", verbose_name="cơ quan")
    year = models.PositiveSmallIntegerField("năm", db_index=True)
    field = models.CharField("lĩnh vực", max_length=500)
    content = models.TextField("nội dung theo dõi")
    findings = models.TextField("kết quả, kiến nghị", blank=True)
    monitored_on = models.DateField("ngày thực hiện", null=True, blank=True)

    class Meta:
        verbose_name = "theo dõi thi hành pháp luật"
        verbose_name_plural = "theo dõi thi hành pháp luật"
        ordering = ["-year", "field"]

    def __str__(self) -> str:
        return self.field


# ---------------------------------------------------------------- organisation and staffing


class JobPosition(TimeStampedModel):
    """A job position (vị trí việc làm) of a unit, with the number of people it needs."""

    class Group(models.TextChoices):
        LEADERSHIP = "leadership", "Lãnh đạo, quản lý"
        PROFESSIONAL = "professional", "Chuyên môn, nghiệp vụ"
        SUPPORT = "support", "Hỗ trợ, phục vụ"

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="job_positions", verbose_name="đơn vị")
    name = models.CharField("tên vị trí", max_length=255)
    group = models.CharField("nhóm", max_length=14, choices=Group.choices, default=Group.PROFESSIONAL)
    headcount = models.PositiveSmallIntegerField("số người cần", default=1)

    class Meta:
        verbose_name = "vị trí việc làm"
        verbose_name_plural = "vị trí việc làm"
        ordering = ["unit", "group", "name"]
        constraints = [models.UniqueConstraint(fields=["unit", "name"], name="job_position_unique_per_unit")]

    def __str__(self) -> str:
        return self.name


class StaffQuota(TimeStampedModel):
    """Staff quota (biên chế) of a unit for a year: assigned by the province vs filled."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="staff_quotas", verbose_name="đơn vị")
    year = models.PositiveSmallIntegerField("năm", db_index=True)
    assigned = models.PositiveSmallIntegerField("biên chế được giao")
    filled = models.PositiveSmallIntegerField("biên chế có mặt")
    decision = models.CharField("văn bản giao biên chế", max_length=255, blank=True)

    class Meta:
        verbose_name = "biên chế"
        verbose_name_plural = "biên chế"
        ordering = ["-year", "unit"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year"], name="staff_quota_once_per_unit_year"),
            models.CheckConstraint(condition=Q(filled__lte=F("assigned")), name="staff_quota_filled_within_assigned"),
        ]


class TrainingPlan(TimeStampedModel):
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="training_plans", verbose_name="cơ quan")
    year = models.PositiveSmallIntegerField("năm", db_index=True)
    number = models.CharField("số, ký hiệu", max_length=60, blank=True)
    title = models.CharField("tên kế hoạch", max_length=500)

    class Meta:
        verbose_name = "kế hoạch đào tạo, bồi dưỡng"
        verbose_name_plural = "kế hoạch đào tạo, bồi dưỡng"
        ordering = ["-year", "id"]

    def __str__(self) -> str:
        return self.title


class TrainingCourse(TimeStampedModel):
    plan = models.ForeignKey(TrainingPlan, on_delete=models.CASCADE, related_name="courses", verbose_name="kế hoạch")
    title = models.CharField("khóa đào tạo, bồi dưỡng", max_length=500)
    provider = models.CharField("cơ sở đào tạo", max_length=255, blank=True)
    start_on = models.DateField("từ ngày", null=True, blank=True)
    end_on = models.DateField("đến ngày", null=True, blank=True)
    planned_participants = models.PositiveSmallIntegerField("số người dự kiến", default=0)

    class Meta:
        verbose_name = "khóa đào tạo"
        verbose_name_plural = "khóa đào tạo"
        ordering = ["start_on", "id"]

    def __str__(self) -> str:
        return self.title


class TrainingParticipant(models.Model):
    course = models.ForeignKey(TrainingCourse, on_delete=models.CASCADE, related_name="participants", verbose_name="khóa")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    full_name = models.CharField("họ và tên", max_length=255)
    completed = models.BooleanField("đã hoàn thành", default=False)

    class Meta:
        verbose_name = "học viên"
        verbose_name_plural = "học viên"
        ordering = ["course", "full_name"]
        constraints = [models.UniqueConstraint(fields=["course", "full_name"], name="training_participant_once")]


class QualitySystem(TimeStampedModel):
    """The agency's ISO 9001:2015 quality management system."""

    agency = models.OneToOneField(Agency, on_delete=models.PROTECT, related_name="quality_system", verbose_name="cơ quan")
    standard = models.CharField("tiêu chuẩn", max_length=60, default="TCVN ISO 9001:2015")
    scope = models.TextField("phạm vi áp dụng")
    committee_decision = models.CharField("quyết định kiện toàn Ban Chỉ đạo ISO", max_length=60, blank=True)
    committee_decision_on = models.DateField("ngày quyết định", null=True, blank=True)
    last_review_on = models.DateField("lần đánh giá gần nhất", null=True, blank=True)
    note = models.TextField("ghi chú", blank=True)

    class Meta:
        verbose_name = "hệ thống quản lý chất lượng"
        verbose_name_plural = "hệ thống quản lý chất lượng"


# ---------------------------------------------------------------- inspections


class Inspection(TimeStampedModel):
    """A CCHC inspection (kiểm tra công tác CCHC) of an agency by a provincial team."""

    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="reform_inspections", verbose_name="cơ quan được kiểm tra"
    )
    year = models.PositiveSmallIntegerField("năm", db_index=True)
    inspected_on = models.DateField("ngày kiểm tra")
    place = models.CharField("địa điểm", max_length=255, blank=True)
    decision_number = models.CharField("quyết định thành lập đoàn", max_length=60, blank=True)
    decision_on = models.DateField("ngày quyết định", null=True, blank=True)
    decision_issuer = models.CharField("cơ quan ban hành quyết định", max_length=255, blank=True)
    plan = models.ForeignKey(
        ReformPlan, on_delete=models.PROTECT, null=True, blank=True, related_name="inspections", verbose_name="theo kế hoạch"
    )
    summary = models.TextField("nhận xét chung", blank=True)

    class Meta:
        verbose_name = "đợt kiểm tra CCHC"
        verbose_name_plural = "đợt kiểm tra CCHC"
        ordering = ["-inspected_on", "id"]

    def __str__(self) -> str:
        return f"Kiểm tra CCHC tại {self.agency} ngày {self.inspected_on:%d/%m/%Y}"


class InspectionMember(models.Model):
    """A member of the inspection team: a user, or a free-text person with a title."""

    class Role(models.TextChoices):
        LEADER = "leader", "Trưởng đoàn"
        DEPUTY = "deputy", "Phó Trưởng đoàn"
        MEMBER = "member", "Thành viên"
        SECRETARY = "secretary", "Thư ký"

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="members", verbose_name="đợt kiểm tra")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    full_name = models.CharField("họ và tên", max_length=255)
    title = models.CharField("chức vụ, cơ quan", max_length=255, blank=True)
    role = models.CharField("vai trò trong đoàn", max_length=10, choices=Role.choices, default=Role.MEMBER)
    order = models.PositiveSmallIntegerField("thứ tự", default=1)

    class Meta:
        verbose_name = "thành viên đoàn kiểm tra"
        verbose_name_plural = "thành viên đoàn kiểm tra"
        ordering = ["inspection", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["inspection"], condition=Q(role="leader"), name="inspection_one_leader"),
        ]

    def __str__(self) -> str:
        return f"{self.full_name}, {self.title}" if self.title else self.full_name


class ChecklistItem(models.Model):
    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="checklist", verbose_name="đợt kiểm tra")
    area = models.CharField("lĩnh vực", max_length=20, choices=Area.choices)
    order = models.PositiveSmallIntegerField("thứ tự", default=1)
    content = models.CharField("nội dung kiểm tra", max_length=1000)
    finding = models.TextField("kết quả kiểm tra", blank=True)

    class Meta:
        verbose_name = "nội dung kiểm tra"
        verbose_name_plural = "nội dung kiểm tra"
        ordering = ["inspection", "order", "id"]


class DiscussionPoint(models.Model):
    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="discussion", verbose_name="đợt kiểm tra")
    order = models.PositiveSmallIntegerField("thứ tự", default=1)
    topic = models.CharField("vấn đề thảo luận", max_length=1000)

    class Meta:
        verbose_name = "vấn đề thảo luận"
        verbose_name_plural = "vấn đề thảo luận"
        ordering = ["inspection", "order", "id"]


class Recommendation(TimeStampedModel):
    """A recommendation (kiến nghị) of the inspection: to the agency, or escalated to the province.
    Tracked open → in progress → closed; closing requires evidence."""

    class Addressee(models.TextChoices):
        AGENCY = "agency", "Cơ quan được kiểm tra thực hiện"
        PROVINCE = "province", "Báo cáo UBND tỉnh xem xét"

    class Status(models.TextChoices):
        OPEN = "open", "Chưa thực hiện"
        IN_PROGRESS = "in_progress", "Đang thực hiện"
        CLOSED = "closed", "Đã hoàn thành"

    inspection = models.ForeignKey(
        Inspection, on_delete=models.PROTECT, related_name="recommendations", verbose_name="đợt kiểm tra"
    )
    order = models.PositiveSmallIntegerField("thứ tự", default=1)
    area = models.CharField("lĩnh vực", max_length=20, choices=Area.choices)
    content = models.TextField("nội dung kiến nghị")
    addressee = models.CharField(
        "đối tượng thực hiện", max_length=10, choices=Addressee.choices, default=Addressee.AGENCY, db_index=True
    )
    owner_unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reform_recommendations",
        verbose_name="đơn vị chủ trì",
    )
    deadline = models.DateField("hạn thực hiện", null=True, blank=True, db_index=True)
    status = models.CharField("trạng thái", max_length=12, choices=Status.choices, default=Status.OPEN, db_index=True)
    started_on = models.DateField("ngày bắt đầu thực hiện", null=True, blank=True)
    closed_on = models.DateField("ngày hoàn thành", null=True, blank=True)
    closing_note = models.TextField("kết quả thực hiện", blank=True)

    class Meta:
        verbose_name = "kiến nghị sau kiểm tra"
        verbose_name_plural = "kiến nghị sau kiểm tra"
        ordering = ["inspection", "order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="closed") | Q(closed_on__isnull=False), name="recommendation_closed_has_date"
            ),
            models.CheckConstraint(
                condition=Q(addressee="province") | (Q(owner_unit__isnull=False) & Q(deadline__isnull=False)),
                name="recommendation_agency_has_owner_and_deadline",
            ),
        ]

    def __str__(self) -> str:
        return self.content[:120]


class RecommendationEvidence(models.Model):
    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, related_name="evidence", verbose_name="kiến nghị"
    )
    description = models.CharField("mô tả", max_length=500)
    file = models.FileField("tệp minh chứng", upload_to="reform/recommendations/%Y/", blank=True)
    reference = models.CharField(
        "văn bản liên quan", max_length=255, blank=True, help_text="Ví dụ: số, ký hiệu văn bản đã ban hành"
    )
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    uploaded_at = models.DateTimeField("tải lên lúc", auto_now_add=True)

    class Meta:
        verbose_name = "minh chứng thực hiện kiến nghị"
        verbose_name_plural = "minh chứng thực hiện kiến nghị"
        ordering = ["uploaded_at", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(file="") | ~Q(reference=""), name="recommendation_evidence_file_or_reference"),
        ]


# ---------------------------------------------------------------- self-assessment (PAR INDEX)


class CriteriaSet(TimeStampedModel):
    """The criteria tree of one year (the PAR INDEX criteria change yearly): imported from XLSX."""

    year = models.PositiveSmallIntegerField("năm", db_index=True)
    name = models.CharField("tên bộ tiêu chí", max_length=500)
    source = models.CharField("văn bản ban hành", max_length=255, blank=True)

    class Meta:
        verbose_name = "bộ tiêu chí chấm điểm CCHC"
        verbose_name_plural = "bộ tiêu chí chấm điểm CCHC"
        ordering = ["-year", "name"]
        constraints = [models.UniqueConstraint(fields=["year", "name"], name="criteria_set_unique_per_year")]

    def __str__(self) -> str:
        return f"{self.name} ({self.year})"


class Criterion(models.Model):
    criteria_set = models.ForeignKey(CriteriaSet, on_delete=models.CASCADE, related_name="criteria", verbose_name="bộ tiêu chí")
    parent = models.ForeignKey("self", on_delete=models.CASCADE, null=True, blank=True, related_name="children")
    code = models.CharField("mã", max_length=20, help_text="Ví dụ 1, 1.1, 1.1.2")
    title = models.CharField("tiêu chí", max_length=1000)
    max_points = models.DecimalField("điểm tối đa", max_digits=6, decimal_places=2)
    area = models.CharField("lĩnh vực", max_length=20, choices=Area.choices, blank=True)
    order = models.PositiveIntegerField("thứ tự", default=0)

    class Meta:
        verbose_name = "tiêu chí"
        verbose_name_plural = "tiêu chí"
        ordering = ["criteria_set", "order"]
        constraints = [
            models.UniqueConstraint(fields=["criteria_set", "code"], name="criterion_code_unique_per_set"),
            models.CheckConstraint(condition=Q(max_points__gte=0), name="criterion_max_points_non_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.code}. {self.title}"

    @property
    def depth(self) -> int:
        return self.code.count(".")


class SelfScore(TimeStampedModel):
    """The agency's self-assessed score on a leaf criterion, with its evidence."""

    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="scores", verbose_name="tiêu chí")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="reform_self_scores", verbose_name="cơ quan")
    score = models.DecimalField("điểm tự chấm", max_digits=6, decimal_places=2)
    evidence = models.TextField("tài liệu kiểm chứng")
    evidence_file = models.FileField("tệp kiểm chứng", upload_to="reform/selfscores/%Y/", blank=True)
    scored_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = "điểm tự đánh giá"
        verbose_name_plural = "điểm tự đánh giá"
        constraints = [
            models.UniqueConstraint(fields=["criterion", "agency"], name="self_score_once_per_criterion"),
            models.CheckConstraint(condition=Q(score__gte=0), name="self_score_non_negative"),
        ]
