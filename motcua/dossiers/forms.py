import uuid

from django import forms

from motcua.core.errors import ApplicationError
from motcua.core.validators import NOTE_MAX, form_text

from .models import Channel, Delivery, Status

APPLICANT_FIELD_MAP = {  # service error field -> form field
    "full_name": "full_name",
    "id_number": "id_number",
    "birth_date": "birth_date",
    "tax_code": "tax_code",
    "representative": "representative",
    "phone": "phone",
    "email": "email",
    "authorised.id_number": "authorised_id_number",
    "authorised.phone": "authorised_phone",
    "channel": "channel",
    "postal_tracking": "postal_tracking",
    "applicant_address": "address",  # the postal pickup needs it (dossiers.postal)
    "return_address": "return_address",
    "result_delivery": "result_delivery",
    "procedure": "procedure",
}


class IntakeForm(forms.Form):
    procedure = forms.ChoiceField(label="Thủ tục hành chính")
    channel = forms.ChoiceField(label="Hình thức nộp", choices=Channel.choices, initial=Channel.COUNTER)
    kind = forms.ChoiceField(
        label="Người nộp là", choices=[("individual", "Cá nhân"), ("organisation", "Tổ chức, doanh nghiệp")], initial="individual"
    )
    full_name = forms.CharField(label="Họ và tên / Tên tổ chức", max_length=255)
    id_number = forms.CharField(label="Số định danh cá nhân (12 số)", max_length=20, required=False)
    birth_date = forms.DateField(
        label="Ngày sinh", required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    tax_code = forms.CharField(label="Mã số doanh nghiệp / mã số thuế", max_length=20, required=False)
    representative = forms.CharField(label="Người đại diện theo pháp luật", max_length=255, required=False)
    address = forms.CharField(label="Địa chỉ", max_length=500, required=False)
    phone = forms.CharField(label="Điện thoại", max_length=20, required=False, widget=forms.TextInput(attrs={"type": "tel"}))
    email = forms.CharField(label="Thư điện tử", max_length=254, required=False, widget=forms.TextInput(attrs={"type": "email"}))
    authorised_name = forms.CharField(label="Người được ủy quyền (nếu có)", max_length=255, required=False)
    authorised_id_number = forms.CharField(label="Số định danh người được ủy quyền", max_length=20, required=False)
    authorised_phone = forms.CharField(label="Điện thoại người được ủy quyền", max_length=20, required=False)
    result_delivery = forms.ChoiceField(label="Nhận kết quả", choices=Delivery.choices, initial=Delivery.COUNTER)
    postal_tracking = forms.CharField(label="Số hiệu bưu gửi", max_length=40, required=False)
    return_address = forms.CharField(label="Địa chỉ nhận kết quả qua bưu chính", max_length=500, required=False)
    note = forms.CharField(label="Ghi chú", required=False, widget=forms.Textarea(attrs={"rows": 2}), **form_text(NOTE_MAX))
    form_token = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, versions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["procedure"].choices = [("", "— Chọn thủ tục —")] + [
            (v.procedure.code, f"{v.procedure.code} — {v.name[:150]}") for v in versions
        ]
        self.fields["procedure"].widget.attrs.update({"autofocus": True, "class": "js-procedure"})
        self.fields["kind"].widget.attrs.update({"class": "js-kind"})
        if not self.is_bound:
            self.initial.setdefault("form_token", uuid.uuid4().hex)

    def applicant(self) -> dict:
        d = self.cleaned_data
        data = {
            "kind": d["kind"],
            "full_name": d["full_name"],
            "id_number": d["id_number"],
            "birth_date": d["birth_date"],
            "tax_code": d["tax_code"],
            "representative": d["representative"],
            "address": d["address"],
            "phone": d["phone"],
            "email": d["email"],
        }
        if d["authorised_name"]:
            data["authorised"] = {
                "full_name": d["authorised_name"],
                "id_number": d["authorised_id_number"],
                "phone": d["authorised_phone"],
            }
        return data

    def add_application_error(self, exc: ApplicationError) -> None:
        if not exc.fields:
            self.add_error(None, exc.message)
            return
        for field, errors in exc.fields.items():
            target = APPLICANT_FIELD_MAP.get(field)
            for error in errors:
                self.add_error(target if target in self.fields else None, error)


class FilterForm(forms.Form):
    q = forms.CharField(label="Mã hồ sơ, tên, số định danh", required=False)
    status = forms.ChoiceField(label="Trạng thái", choices=[("", "Tất cả")] + list(Status.choices), required=False)
    channel = forms.ChoiceField(label="Hình thức nộp", choices=[("", "Tất cả")] + list(Channel.choices), required=False)
    overdue = forms.BooleanField(label="Chỉ hồ sơ quá hạn", required=False)
    start = forms.DateField(
        label="Nhận từ ngày", required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    end = forms.DateField(label="đến ngày", required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))


# Fields of each action's small form on the dossier page (rendered by the template).
ACTION_FIELDS = {
    "refuse": ["reason"],
    "withdraw": ["reason"],
    "stop": ["reason"],
    "request_supplement": ["items", "note"],
    "receive_supplement": ["files", "note"],
    "require_payment": ["amount_vnd", "note"],
    "confirm_payment": ["note"],
    "forward": ["to_unit", "to_user", "note"],
    "return_to_step": ["seq", "note"],
    "decide": ["outcome", "note", "result_file"],
    "extend": ["new_due_at", "reason"],
    "return_result": ["delivery", "postal_tracking"],
}
