from django.contrib.auth.models import AbstractUser
from django.db import models

from .errors import ApplicationError


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)
    updated_at = models.DateTimeField("cập nhật lúc", auto_now=True)

    class Meta:
        abstract = True


class AgencyLevel(models.TextChoices):
    """Where an agency sits in the province's hierarchy (since 01/7/2025: province and commune levels;
    departments, boards and the remaining district-level bodies sit between them)."""

    PROVINCE = "province", "Cấp tỉnh (UBND tỉnh, Văn phòng UBND tỉnh)"
    DEPARTMENT = "department", "Sở, ban, ngành, cấp huyện"
    COMMUNE = "commune", "Cấp xã"


class Agency(TimeStampedModel):
    """An administrative agency (cơ quan), e.g. Ban Quản lý Khu kinh tế tỉnh.

    Agencies and their codes are data, never constants: provinces and agencies were merged in 2025.
    `parent` places the agency in the province's hierarchy (province → departments/boards/districts →
    communes); statistics of an agency roll up its descendants (core.selectors.agency_descendant_ids)."""

    name = models.CharField("tên cơ quan", max_length=255)
    short_name = models.CharField("tên viết tắt", max_length=20, unique=True, help_text="Dùng trong ký hiệu văn bản, ví dụ BQL")
    code = models.CharField("mã định danh điện tử", max_length=40, unique=True, help_text="Dùng trong mã hồ sơ, ví dụ H15.50")
    parent_name = models.CharField(
        "cơ quan chủ quản",
        max_length=255,
        blank=True,
        help_text="Tên in trên văn bản, phiếu; để trống thì lấy tên cơ quan cấp trên",
    )
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children", verbose_name="cơ quan cấp trên"
    )
    level = models.CharField("cấp", max_length=12, choices=AgencyLevel.choices, default=AgencyLevel.DEPARTMENT)
    is_service_centre = models.BooleanField(
        "là Trung tâm Phục vụ hành chính công",
        default=False,
        help_text="Cán bộ của trung tâm tiếp nhận hồ sơ thay cho các cơ quan mà họ được cử đến",
    )
    address = models.CharField("địa chỉ", max_length=255, blank=True)
    phone = models.CharField("điện thoại", max_length=40, blank=True)
    email = models.EmailField("thư điện tử", blank=True)
    website = models.URLField("trang thông tin điện tử", blank=True)
    province = models.CharField("tỉnh/thành phố", max_length=100, blank=True)
    reception_cutoff = models.TimeField(
        "giờ chốt tiếp nhận", null=True, blank=True, help_text="Hồ sơ nhận sau giờ này tính là nhận ngày làm việc kế tiếp"
    )

    class Meta:
        verbose_name = "cơ quan"
        verbose_name_plural = "cơ quan"
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(parent=models.F("pk")), name="agency_not_own_parent"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def superior_name(self) -> str:
        """The name printed above the agency's own on slips and documents."""
        return self.parent_name or (self.parent.name if self.parent_id else "")


class Unit(TimeStampedModel):
    """A unit (phòng/ban) inside an agency."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="units", verbose_name="cơ quan")
    name = models.CharField("tên đơn vị", max_length=255)
    short_name = models.CharField("viết tắt", max_length=20, help_text="Dùng trong ký hiệu văn bản, ví dụ VP")
    is_one_stop_desk = models.BooleanField("là bộ phận một cửa", default=False)

    class Meta:
        verbose_name = "đơn vị"
        verbose_name_plural = "đơn vị"
        ordering = ["agency", "name"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "short_name"], name="unit_short_name_unique_per_agency"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.agency.short_name})"


class User(AbstractUser):
    """A staff user. Roles are groups named by core.roles.Role codes."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="staff", verbose_name="đơn vị")
    position = models.CharField("chức vụ", max_length=120, blank=True)
    phone = models.CharField("điện thoại", max_length=40, blank=True)

    class Meta:
        verbose_name = "cán bộ"
        verbose_name_plural = "cán bộ"

    @property
    def agency(self) -> Agency | None:
        return self.unit.agency if self.unit_id else None

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username


class Secondment(TimeStampedModel):
    """An officer of the Public Administration Service Centre seconded to receive dossiers for an agency
    (cán bộ được cử đến Trung tâm Phục vụ hành chính công): at the centre's counter the officer may
    receive dossiers of that agency's procedures (motcua.core.tenancy reads these rows)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="secondments", verbose_name="cán bộ")
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="secondments", verbose_name="cơ quan được tiếp nhận thay"
    )

    class Meta:
        verbose_name = "cử cán bộ đến Trung tâm"
        verbose_name_plural = "cử cán bộ đến Trung tâm"
        ordering = ["user", "agency"]
        constraints = [models.UniqueConstraint(fields=["user", "agency"], name="secondment_unique")]

    def __str__(self) -> str:
        return f"{self.user} → {self.agency.short_name}"


class AppendOnlyError(ApplicationError):
    status_code = 409
    default_message = "Nhật ký kiểm toán chỉ được ghi thêm, không được sửa hoặc xóa."
    code = "audit_append_only"


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise self.model.append_only_error()

    def delete(self):
        raise self.model.append_only_error()


class AppendOnlyModel(models.Model):
    """Rows written once and never changed or deleted through the application (the audit log, its checkpoints,
    issued reports): save() of an existing row, delete() and the querysets' update()/delete() raise
    `append_only_error`. On PostgreSQL the audit tables are also guarded by triggers (migration core 0005)."""

    append_only_error = AppendOnlyError
    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise self.append_only_error()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise self.append_only_error()


class AuditLog(AppendOnlyModel):
    """Append-only audit trail for every state change of every app.

    Each entry stores the hash of the previous entry and its own hash, so `manage.py verify_audit`
    detects an entry altered or removed directly in the database."""

    at = models.DateTimeField("thời điểm", db_index=True)
    actor = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="người thực hiện"
    )
    actor_repr = models.CharField("người thực hiện", max_length=255, blank=True)
    action = models.CharField("hành động", max_length=80)
    object_type = models.CharField("loại đối tượng", max_length=80, blank=True)
    object_id = models.CharField("mã đối tượng", max_length=80, blank=True)
    object_repr = models.CharField("đối tượng", max_length=255, blank=True)
    changes = models.JSONField("nội dung thay đổi", default=dict, blank=True)
    request_id = models.CharField("mã yêu cầu", max_length=64, blank=True)
    ip = models.GenericIPAddressField("địa chỉ IP", null=True, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = "nhật ký kiểm toán"
        verbose_name_plural = "nhật ký kiểm toán"
        ordering = ["id"]
        # Declared here rather than with db_index/unique on the fields: on PostgreSQL those add a second,
        # pattern-matching index per text column, which no query uses and every append would maintain.
        indexes = [models.Index(fields=["object_type", "object_id"]), models.Index(fields=["action"], name="audit_action")]
        constraints = [models.UniqueConstraint(fields=["hash"], name="audit_hash_unique")]

    def __str__(self) -> str:
        return f"{self.at:%d/%m/%Y %H:%M} {self.action} {self.object_repr}"


class AuditHead(models.Model):
    """Single row holding the newest hash and the entry count: locking it serialises appends so the
    chain never forks, and it lets verification notice a removed last entry."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_hash = models.CharField(max_length=64, default="0" * 64)
    count = models.PositiveBigIntegerField(default=0)

    class Meta:
        constraints = [models.CheckConstraint(condition=models.Q(id=1), name="audit_head_single_row")]


class AuditCheckpoint(AppendOnlyModel):
    """A signed statement of the audit log's state at a moment: how many entries, the newest entry and the
    head hash, signed (HMAC-SHA256) with the audit key the database does not hold. Kept outside the log
    table (here and in the file settings.AUDIT_CHECKPOINT_FILE): `verify_audit` compares the log with every
    checkpoint, so entries removed from the end together with the head row, or rewritten and re-hashed,
    are named. Taken by `manage.py audit_checkpoint` and by the worker every AUDIT_CHECKPOINT_MINUTES."""

    taken_at = models.DateTimeField("thời điểm")
    count = models.PositiveBigIntegerField("số mục")
    last_entry_id = models.BigIntegerField("mục cuối", null=True, blank=True)
    head_hash = models.CharField("hash cuối chuỗi", max_length=64)
    signature = models.CharField("chữ ký", max_length=64)

    class Meta:
        verbose_name = "điểm kiểm tra nhật ký"
        verbose_name_plural = "điểm kiểm tra nhật ký"
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.taken_at:%d/%m/%Y %H:%M}: {self.count} mục"


class RateLimitCounter(models.Model):
    """One counter per limited key (scope and client address or code) and fixed window, shared by every server
    process through the database: incremented with one atomic upsert (motcua/core/ratelimit.py)."""

    key = models.CharField(max_length=200)
    window_start = models.BigIntegerField(help_text="Unix time at which the window began")
    count = models.PositiveIntegerField(default=0)
    expires_at = models.BigIntegerField(help_text="Unix time after which the row may be deleted")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["key", "window_start"], name="ratelimit_key_window_unique")]
        indexes = [models.Index(fields=["expires_at"], name="ratelimit_expires_idx")]

    def __str__(self) -> str:
        return f"{self.key} @ {self.window_start}: {self.count}"
