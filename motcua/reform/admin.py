"""Read-only admin views of the CCHC records: every write goes through the services (deadlines computed,
transitions checked, audit recorded), which the pages under /cchc/ call."""

from django.contrib import admin

from motcua.core.admin import ReadOnlyAdmin

from . import models


@admin.register(models.ReformPlan)
class ReformPlanAdmin(ReadOnlyAdmin):
    list_display = ["number", "issued_on", "issuer", "year", "kind", "agency"]
    list_filter = ["year", "kind"]


@admin.register(models.ReformTask)
class ReformTaskAdmin(ReadOnlyAdmin):
    list_display = ["title", "area", "owner_unit", "deadline", "status", "progress"]
    list_filter = ["area", "status", "plan__year"]
    search_fields = ["title"]


@admin.register(models.LegalDraft)
class LegalDraftAdmin(ReadOnlyAdmin):
    list_display = ["title", "replaces_number", "stage", "year"]
    list_filter = ["stage", "year"]


@admin.register(models.Inspection)
class InspectionAdmin(ReadOnlyAdmin):
    list_display = ["agency", "inspected_on", "decision_number"]


@admin.register(models.Recommendation)
class RecommendationAdmin(ReadOnlyAdmin):
    list_display = ["content", "addressee", "owner_unit", "deadline", "status", "closed_on"]
    list_filter = ["addressee", "status"]


@admin.register(models.StaffQuota)
class StaffQuotaAdmin(ReadOnlyAdmin):
    list_display = ["unit", "year", "assigned", "filled"]


@admin.register(models.CriteriaSet)
class CriteriaSetAdmin(ReadOnlyAdmin):
    list_display = ["name", "year", "source"]
