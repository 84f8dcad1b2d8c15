from django.contrib import admin

from .models import Dossier, DossierStep


class StepInline(admin.TabularInline):
    model = DossierStep
    extra = 0
    fields = ["seq", "name", "unit", "assignee", "received_at", "due_at", "handed_over_at", "timeliness"]
    readonly_fields = fields
    can_delete = False


@admin.register(Dossier)
class DossierAdmin(admin.ModelAdmin):
    """Read-only: dossiers change only through the services (state machine, audit)."""

    list_display = ["code", "status", "channel", "applicant_name", "received_at", "due_at", "timeliness"]
    list_filter = ["status", "channel", "timeliness", "agency"]
    search_fields = ["code", "applicant_name", "applicant_id_number", "applicant_tax_code"]
    date_hierarchy = "received_at"
    inlines = [StepInline]
    list_select_related = ["agency"]
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
