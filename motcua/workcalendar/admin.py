from django.contrib import admin

from .models import DayOverride
from .services import day_override_delete, day_override_set


@admin.register(DayOverride)
class DayOverrideAdmin(admin.ModelAdmin):
    """Admin goes through the services so every change is audited."""

    list_display = ["date", "kind", "name", "decision"]
    list_filter = ["kind"]

    def save_model(self, request, obj, form, change):
        saved = day_override_set(actor=request.user, day=obj.date, kind=obj.kind, name=obj.name, decision=obj.decision)
        obj.pk = saved.pk

    def delete_model(self, request, obj):
        day_override_delete(actor=request.user, day=obj.date)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            day_override_delete(actor=request.user, day=obj.date)
