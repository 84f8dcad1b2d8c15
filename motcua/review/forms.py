from django import forms
from django.utils.translation import gettext_lazy as _

from motcua.core.validators import NOTE_MAX


class PlanForm(forms.Form):
    year = forms.IntegerField(label=_("Năm"), min_value=2000, max_value=2100)
    title = forms.CharField(label=_("Tên kế hoạch"), max_length=500)
    number = forms.CharField(label=_("Số kế hoạch"), max_length=60, required=False)
    issued_on = forms.DateField(label=_("Ngày ban hành"), required=False, input_formats=["%d/%m/%Y", "%Y-%m-%d"])


class ItemForm(forms.Form):
    procedure = forms.ChoiceField(label=_("Thủ tục"))
    unit = forms.ChoiceField(label=_("Đơn vị chủ trì"))
    responsible = forms.ChoiceField(label=_("Người phụ trách"), required=False)
    deadline = forms.DateField(label=_("Thời hạn hoàn thành"), input_formats=["%d/%m/%Y", "%Y-%m-%d"])

    def __init__(self, *args, procedures=(), units=(), people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["procedure"].choices = list(procedures)  # (pk, "code — name")
        self.fields["unit"].choices = [(u.pk, u.name) for u in units]
        self.fields["responsible"].choices = [("", "—")] + [(u.pk, u.display_name) for u in people]


class ProgressForm(forms.Form):
    progress = forms.IntegerField(label=_("Tiến độ (%)"), min_value=0, max_value=100)
    note = forms.CharField(label=_("Ghi chú"), required=False, max_length=NOTE_MAX, widget=forms.Textarea(attrs={"rows": 2}))


class CostForm(forms.Form):
    variant = forms.ChoiceField(
        label=_("Phương án"), choices=[("current", _("Thủ tục hiện hành")), ("proposed", _("Phương án đơn giản hóa"))]
    )
    prepare_hours = forms.DecimalField(
        label=_("Thời gian chuẩn bị hồ sơ (giờ)"), min_value=0, max_digits=7, decimal_places=2, initial=0
    )
    travel_hours = forms.DecimalField(label=_("Thời gian đi lại (giờ)"), min_value=0, max_digits=7, decimal_places=2, initial=0)
    wait_hours = forms.DecimalField(label=_("Thời gian chờ đợi (giờ)"), min_value=0, max_digits=7, decimal_places=2, initial=0)
    travel_vnd = forms.IntegerField(label=_("Chi phí đi lại (đồng)"), min_value=0, initial=0)
    fees_vnd = forms.IntegerField(label=_("Phí, lệ phí (đồng)"), min_value=0, initial=0)
    papers_vnd = forms.IntegerField(label=_("Chi phí có giấy tờ (đồng)"), min_value=0, initial=0)
    other_vnd = forms.IntegerField(label=_("Chi phí khác (đồng)"), min_value=0, initial=0)
    dossiers_per_year = forms.IntegerField(
        label=_("Số hồ sơ một năm (để trống: theo số liệu hồ sơ)"), min_value=0, required=False
    )
    note = forms.CharField(
        label=_("Cách ước tính"), required=False, max_length=NOTE_MAX, widget=forms.Textarea(attrs={"rows": 2})
    )


class ProposalForm(forms.Form):
    content = forms.CharField(label=_("Nội dung đơn giản hóa"), max_length=NOTE_MAX, widget=forms.Textarea(attrs={"rows": 4}))
    reason = forms.CharField(label=_("Lý do"), required=False, max_length=NOTE_MAX, widget=forms.Textarea(attrs={"rows": 3}))
    legal_basis = forms.CharField(
        label=_("Kiến nghị thực thi (văn bản cần sửa đổi, bổ sung)"),
        required=False,
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    proposed_time = forms.DecimalField(
        label=_("Thời hạn giải quyết đề xuất"), required=False, min_value=0, max_digits=7, decimal_places=2
    )


class DecideForm(forms.Form):
    adopted = forms.TypedChoiceField(
        label=_("Ý kiến"), choices=[("1", _("Được thông qua")), ("0", _("Không được thông qua"))], coerce=lambda v: v == "1"
    )
    decided_on = forms.DateField(label=_("Ngày có ý kiến"), input_formats=["%d/%m/%Y", "%Y-%m-%d"])
    decision = forms.ChoiceField(label=_("Quyết định công bố"), required=False)
    note = forms.CharField(label=_("Ghi chú"), required=False, max_length=NOTE_MAX, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, decisions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].choices = [("", "—")] + [(d.pk, f"{d.number} ({d.effective_on:%d/%m/%Y})") for d in decisions]
