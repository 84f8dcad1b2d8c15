from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import Agency, AuditCheckpoint, AuditLog, Unit, User


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records that only services write (audit log, decisions applied, slips, dossiers): the admin shows them."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "code", "province"]
    search_fields = ["name", "short_name", "code"]


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "agency", "is_one_stop_desk"]
    list_filter = ["agency"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = BaseUserAdmin.fieldsets + (("Đơn vị", {"fields": ("unit", "position", "phone")}),)
    list_display = ["username", "first_name", "last_name", "unit", "is_active"]
    list_filter = ["unit__agency", "groups", "is_active"]


@admin.register(AuditLog)
class AuditLogAdmin(ReadOnlyAdmin):
    """Read-only: the audit log is append-only."""

    list_display = ["at", "actor_repr", "action", "object_repr", "ip"]
    list_filter = ["action"]
    search_fields = ["object_repr", "actor_repr", "object_id", "request_id"]


@admin.register(AuditCheckpoint)
class AuditCheckpointAdmin(ReadOnlyAdmin):
    """Read-only: signed checkpoints of the audit log (manage.py audit_checkpoint, the worker)."""

    list_display = ["taken_at", "count", "last_entry_id", "head_hash"]
