from django.contrib import admin

from motcua.core.admin import ReadOnlyAdmin

from .models import Dossier, DossierStep


class StepInline(admin.TabularInline):
    model = DossierStep
    extra = 0
    fields = ["seq", "name", "unit", "assignee", "received_at", "due_at", "handed_over_at", "timeliness"]
    readonly_fields = fields
    can_delete = False


@admin.register(Dossier)
class DossierAdmin(ReadOnlyAdmin):
    """Read-only: dossiers change only through the services (state machine, audit)."""

    list_display = ["code", "status", "channel", "applicant_name", "received_at", "due_at", "timeliness"]
    list_filter = ["status", "channel", "timeliness", "agency"]
    search_fields = ["code", "applicant_name", "applicant_id_number", "applicant_tax_code"]
    date_hierarchy = "received_at"
    inlines = [StepInline]
    list_select_related = ["agency"]
    show_full_result_count = False
