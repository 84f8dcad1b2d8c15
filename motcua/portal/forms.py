"""Forms of the public site. They parse and keep what the applicant typed; the rules on applicant
data (ID number, tax code, phone…) are the dossiers app's, applied when the dossier is submitted."""

from django import forms
from django.utils.translation import gettext_lazy as _

from motcua.dossiers.models import ApplicantKind, Delivery

# The fields of the online submission form kept in a draft (PortalDraft.data), with their max length.
DRAFT_FIELDS = {
    "applicant_kind": 12,
    "full_name": 255,
    "id_number": 20,
    "birth_date": 10,
    "tax_code": 20,
    "representative": 255,
    "address": 500,
    "phone": 20,
    "email": 254,
    "result_delivery": 8,
    "return_address": 500,
    "note": 2000,
}


def draft_data_from_post(post) -> dict:
    """What the applicant typed, trimmed to the field lengths (kept even when invalid, to show it back)."""
    return {name: (post.get(name) or "").strip()[:limit] for name, limit in DRAFT_FIELDS.items()}


IDENTITY_HELP = _("Thông tin từ Cổng định danh điện tử (Ông/Bà đã đăng nhập); không sửa được ở đây.")


class SubmissionForm(forms.Form):
    """`locked`: the fields that came from the identity provider (motcua.portal.identity.locked_fields), shown
    read-only and marked; whatever is posted for them is replaced by these values before validation."""

    applicant_kind = forms.ChoiceField(
        label=_("Người nộp hồ sơ là"), choices=ApplicantKind.choices, widget=forms.RadioSelect, initial=ApplicantKind.INDIVIDUAL
    )
    full_name = forms.CharField(
        label=_("Họ và tên (cá nhân) hoặc tên tổ chức, doanh nghiệp"),
        max_length=255,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    id_number = forms.CharField(
        label=_("Số định danh cá nhân (12 số trên căn cước)"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    birth_date = forms.DateField(
        label=_("Ngày sinh (ngày/tháng/năm)"),
        required=False,
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        error_messages={"invalid": _("Ngày sinh phải có dạng ngày/tháng/năm, ví dụ 17/05/1990.")},
        widget=forms.DateInput(attrs={"placeholder": _("dd/mm/yyyy"), "inputmode": "numeric"}, format="%d/%m/%Y"),
    )
    tax_code = forms.CharField(
        label=_("Mã số doanh nghiệp / mã số thuế"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    representative = forms.CharField(label=_("Người đại diện theo pháp luật"), max_length=255, required=False)
    address = forms.CharField(
        label=_("Địa chỉ liên hệ"), max_length=500, widget=forms.TextInput(attrs={"autocomplete": "street-address"})
    )
    phone = forms.CharField(
        label=_("Số điện thoại"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
    )
    email = forms.EmailField(
        label=_("Thư điện tử (nhận mã hồ sơ và thông báo)"),
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    result_delivery = forms.ChoiceField(
        label=_("Nhận kết quả"), choices=Delivery.choices, widget=forms.RadioSelect, initial=Delivery.COUNTER
    )
    return_address = forms.CharField(label=_("Địa chỉ nhận kết quả qua bưu chính"), max_length=500, required=False)
    note = forms.CharField(
        label=_("Ghi chú cho cán bộ tiếp nhận (không bắt buộc)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    pledge = forms.BooleanField(
        label=_("Tôi cam đoan nội dung kê khai và các tệp đính kèm là đúng sự thật."),
        error_messages={"required": _("Vui lòng đánh dấu cam đoan trước khi nộp hồ sơ.")},
    )

    def __init__(self, data=None, *args, locked: dict | None = None, **kwargs):
        self.locked = dict(locked or {})
        if self.locked:
            if data is not None:
                data = data.copy()
                for name, value in self.locked.items():
                    data[name] = value
            kwargs["initial"] = {**(kwargs.get("initial") or {}), **self.locked}
        super().__init__(data, *args, **kwargs)
        for name in self.locked:
            field = self.fields[name]
            field.help_text = IDENTITY_HELP
            if name == "applicant_kind":
                field.choices = [(value, label) for value, label in field.choices if value == self.locked[name]]
            else:
                field.widget.attrs.update({"readonly": True, "aria-readonly": "true", "data-identity": "1"})

    def clean(self):
        data = super().clean()
        if data.get("applicant_kind") == ApplicantKind.INDIVIDUAL and not data.get("id_number"):
            self.add_error("id_number", _("Vui lòng nhập số định danh cá nhân (dùng để tra cứu hồ sơ)."))
        if data.get("applicant_kind") == ApplicantKind.ORGANISATION:
            if not data.get("tax_code"):
                self.add_error("tax_code", _("Vui lòng nhập mã số doanh nghiệp / mã số thuế."))
            if not data.get("representative"):
                self.add_error("representative", _("Vui lòng nhập người đại diện theo pháp luật."))
        if not data.get("phone") and not data.get("email"):
            self.add_error("email", _("Vui lòng nhập thư điện tử hoặc số điện thoại để nhận thông báo."))
        if data.get("result_delivery") == Delivery.POST and not (data.get("return_address") or data.get("address")):
            self.add_error("return_address", _("Vui lòng nhập địa chỉ nhận kết quả qua bưu chính."))
        return data

    def applicant(self) -> dict:
        """The applicant in the shape of motcua.dossiers.validators.applicant_clean."""
        d = self.cleaned_data
        return {
            "kind": d["applicant_kind"],
            "full_name": d["full_name"],
            "id_number": d.get("id_number", ""),
            "birth_date": d["birth_date"].isoformat() if d.get("birth_date") else None,
            "tax_code": d.get("tax_code", ""),
            "representative": d.get("representative", ""),
            "address": d.get("address", ""),
            "phone": d.get("phone", ""),
            "email": d.get("email", ""),
        }


class LookupForm(forms.Form):
    ma = forms.CharField(
        label=_("Mã hồ sơ"),
        max_length=64,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}),
    )
    xac_minh = forms.CharField(
        label=_("Số định danh cá nhân, mã số doanh nghiệp hoặc mã tra cứu"),
        max_length=40,
        help_text=_("Số định danh cá nhân (hoặc mã số doanh nghiệp) của người nộp, hoặc mã tra cứu được cấp khi nộp hồ sơ."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Lý do rút hồ sơ"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Vui lòng nêu lý do rút hồ sơ.")},
    )
    next = forms.CharField(required=False, max_length=200, widget=forms.HiddenInput)


class SupplementForm(forms.Form):
    note = forms.CharField(
        label=_("Nội dung giải trình, bổ sung"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
