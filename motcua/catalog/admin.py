"""Admin for reference data: fields, procedures and their versions (with components, fees and internal
steps). Saving a version runs the same validation as the services (steps within the committed time) and
keeps its search text. Publication decisions have their own staff page (catalog:decisions)."""

from decimal import Decimal

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from motcua.core import uploads
from motcua.core.admin import ReadOnlyAdmin
from motcua.core.services import audit_record

from . import public_cache, services
from .models import Component, DecisionItem, Fee, Field, Procedure, ProcedureVersion, ProcessStep, PublicationDecision
from .text import normalize


@admin.register(Field)
class FieldAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name", "search_text"]

    def save_model(self, request, obj, form, change):
        obj.search_text = normalize(obj.name)
        super().save_model(request, obj, form, change)
        audit_record(actor=request.user, action="catalog.field_save", obj=obj, changes={"code": obj.code, "name": obj.name})
        public_cache.catalog_changed()


@admin.register(Procedure)
class ProcedureAdmin(admin.ModelAdmin):
    list_display = ["code", "created_at"]
    search_fields = ["code"]


class StepFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        steps = []
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE"):
                continue
            steps.append({"order": data.get("order"), "name": data.get("name"), "duration": data.get("duration") or Decimal(0)})
        version = self.instance
        values = {k: getattr(version, k) for k in services.VERSION_FIELDS if k not in ("field", "agency")}
        values["field"] = version.field_id
        try:
            services.validate_version(values, steps)
        except services.ValidationFailed as exc:
            raise ValidationError([m for ms in exc.fields.values() for m in ms] or [exc.message])


class StepInline(admin.TabularInline):
    model = ProcessStep
    formset = StepFormSet
    extra = 0


class ComponentForm(forms.ModelForm):
    class Meta:
        model = Component
        fields = ["order", "name", "originals", "copies", "mandatory", "form_name", "form_file"]

    def clean_form_file(self):
        """A form template is a PDF, DOCX or ODT checked by the upload policy (core.uploads)."""
        upload = self.cleaned_data.get("form_file")
        if upload and hasattr(upload, "content_type"):  # a new upload (a kept file is a FieldFile)
            try:
                uploads.upload_check(upload, types=(uploads.PDF, uploads.DOCX, uploads.ODT))
            except uploads.UploadRejected as exc:
                raise ValidationError(str(exc)) from None
        return upload


class ComponentInline(admin.TabularInline):
    model = Component
    form = ComponentForm
    extra = 0


class FeeInline(admin.TabularInline):
    model = Fee
    extra = 0


@admin.register(ProcedureVersion)
class ProcedureVersionAdmin(admin.ModelAdmin):
    list_display = ["procedure", "number", "name", "field", "status", "valid_from", "valid_to", "online_level"]
    list_filter = ["status", "field", "online_level", "channel_online", "four_on_spot"]
    search_fields = ["procedure__code", "search_text"]
    readonly_fields = ["status", "valid_from", "valid_to", "number"]
    raw_id_fields = ["procedure"]
    inlines = [ComponentInline, FeeInline, StepInline]

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.status not in (ProcedureVersion.Status.DRAFT, ProcedureVersion.Status.IN_FORCE):
            return False  # a version that has ended stays as it was
        return super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        if not change:
            last = ProcedureVersion.objects.filter(procedure=obj.procedure).order_by("-number").first()
            obj.number = (last.number + 1) if last else 1
            obj.status = ProcedureVersion.Status.DRAFT
        obj.search_text = services.version_search_text(name=obj.name, code=obj.procedure.code)
        super().save_model(request, obj, form, change)
        audit_record(
            actor=request.user, action="catalog.version_admin_save", obj=obj, changes={"fields": sorted(form.changed_data)}
        )
        public_cache.catalog_changed()  # after commit too: the inlines are saved after this


class DecisionItemInline(admin.TabularInline):
    model = DecisionItem
    extra = 0
    readonly_fields = ["action", "procedure", "version", "replaces"]
    can_delete = False


@admin.register(PublicationDecision)
class PublicationDecisionAdmin(ReadOnlyAdmin):
    """Read-only here: decisions are created and applied on the staff page, which checks and audits them."""

    list_display = ["number", "signed_on", "effective_on", "agency", "applied_at"]
    list_filter = ["agency"]
    search_fields = ["number", "title"]
    inlines = [DecisionItemInline]
