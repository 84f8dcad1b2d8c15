from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import Agency, AuditCheckpoint, AuditLog, Secondment, Unit, User
from .services import secondment_add, secondment_remove


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
    list_display = ["name", "short_name", "code", "level", "parent", "is_service_centre", "province"]
    list_filter = ["level", "is_service_centre"]
    search_fields = ["name", "short_name", "code"]


class SecondmentForm(forms.ModelForm):
    class Meta:
        model = Secondment
        fields = ["user", "agency"]

    def clean(self):
        data = super().clean()
        user, agency = data.get("user"), data.get("agency")
        if user is not None and agency is not None:
            if not (user.unit_id and user.unit.agency.is_service_centre):
                raise forms.ValidationError(
                    "Chỉ cán bộ của Trung tâm Phục vụ hành chính công được cử tiếp nhận thay cơ quan khác."
                )
            if agency.pk == user.unit.agency_id:
                raise forms.ValidationError("Cán bộ đã thuộc cơ quan này.")
        return data


@admin.register(Secondment)
class SecondmentAdmin(admin.ModelAdmin):
    """Secondments go through the services (checked and audited); a row is added or removed, never changed."""

    form = SecondmentForm
    list_display = ["user", "agency", "created_at"]
    list_filter = ["agency"]

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        row = secondment_add(actor=request.user, user=obj.user, agency=obj.agency)
        obj.pk, obj.created_at, obj.updated_at = row.pk, row.created_at, row.updated_at

    def delete_model(self, request, obj):
        secondment_remove(actor=request.user, user=obj.user, agency=obj.agency)

    def delete_queryset(self, request, queryset):
        for obj in queryset.select_related("user", "agency"):
            self.delete_model(request, obj)


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
