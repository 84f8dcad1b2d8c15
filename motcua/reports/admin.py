"""The Decision 766 index's weights and thresholds: an administrator enters a new version (with its groups
and indicators) when a decision amends them; every change goes through index766.services (audited)."""

from datetime import timedelta
from decimal import Decimal

from django import forms
from django.contrib import admin
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .index766.models import IndexGroup, IndexIndicator, IndexVersion
from .index766.services import weights_copy, weights_delete, weights_save


class AuditedAdmin(admin.ModelAdmin):
    def save_model(self, request, obj, form, change):
        weights_save(actor=request.user, obj=obj)

    def delete_model(self, request, obj):
        weights_delete(actor=request.user, obj=obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            weights_delete(actor=request.user, obj=obj)

    def save_formset(self, request, form, formset, change):
        for obj in formset.save(commit=False):
            weights_save(actor=request.user, obj=obj)
        for obj in formset.deleted_objects:
            weights_delete(actor=request.user, obj=obj)


class GroupInline(admin.TabularInline):
    model = IndexGroup
    extra = 0
    fields = ["order", "code", "max_points"]


class IndicatorFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        total = sum(
            (f.cleaned_data.get("max_points") or Decimal(0))
            for f in self.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE")
        )
        group_max = self.instance.max_points
        if group_max is not None and total != group_max:
            raise forms.ValidationError(
                _("Tổng điểm tối đa của các chỉ số (%(total)s) phải bằng điểm tối đa của nhóm (%(max)s).")
                % {"total": total, "max": group_max}
            )


class IndicatorInline(admin.TabularInline):
    model = IndexIndicator
    formset = IndicatorFormSet
    extra = 0
    fields = ["order", "code", "max_points", "threshold_percent"]


@admin.register(IndexVersion)
class IndexVersionAdmin(AuditedAdmin):
    list_display = ["name", "decision", "valid_from"]
    inlines = [GroupInline]
    actions = ["copy_version"]

    @admin.action(description=gettext_lazy("Sao chép thành phiên bản mới (áp dụng từ ngày sau phiên bản mới nhất)"))
    def copy_version(self, request, queryset):
        for version in queryset:
            latest = IndexVersion.objects.order_by("-valid_from").values_list("valid_from", flat=True).first()
            new = weights_copy(actor=request.user, version=version, valid_from=latest + timedelta(days=1))
            self.message_user(request, _("Đã tạo %(name)s; hãy sửa ngày áp dụng và trọng số.") % {"name": new})


@admin.register(IndexGroup)
class IndexGroupAdmin(AuditedAdmin):
    list_display = ["version", "order", "code", "max_points"]
    list_filter = ["version"]
    inlines = [IndicatorInline]
