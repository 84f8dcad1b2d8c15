from django.contrib import admin

from .models import CostParameters


@admin.register(CostParameters)
class CostParametersAdmin(admin.ModelAdmin):
    """The compliance-cost method's parameters per year (Circular 02/2017), edited by administrators."""

    list_display = ("year", "income_per_year_vnd", "months", "working_days_per_month", "hours_per_day", "source")
    ordering = ("-year",)
