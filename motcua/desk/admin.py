from django.contrib import admin

from .models import DossierSlip


@admin.register(DossierSlip)
class DossierSlipAdmin(admin.ModelAdmin):
    """Issued slips are records: read-only in the admin."""

    list_display = ("dossier", "kind", "number", "created_at", "created_by", "sha256")
    list_filter = ("kind",)
    search_fields = ("dossier__code", "sha256")
    readonly_fields = [f.name for f in DossierSlip._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
