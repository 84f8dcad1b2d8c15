from django.contrib import admin

from motcua.core.admin import ReadOnlyAdmin

from .models import DossierSlip


@admin.register(DossierSlip)
class DossierSlipAdmin(ReadOnlyAdmin):
    """Issued slips are records: read-only in the admin."""

    list_display = ("dossier", "kind", "number", "created_at", "created_by", "sha256")
    list_filter = ("kind",)
    search_fields = ("dossier__code", "sha256")
    readonly_fields = [f.name for f in DossierSlip._meta.fields]
