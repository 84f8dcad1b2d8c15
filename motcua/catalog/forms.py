from django import forms

from .models import DecisionItem, Field

CHANNELS = [
    ("", "Mọi hình thức"),
    ("counter", "Nộp trực tiếp"),
    ("online", "Nộp trực tuyến"),
    ("postal", "Qua bưu chính công ích"),
]
FIELD_ANY = [("", "Mọi lĩnh vực")]
LEVELS = [("", "Mọi mức độ"), ("2", "Mức độ 2"), ("3", "Mức độ 3"), ("4", "Mức độ 4")]


class SearchForm(forms.Form):
    q = forms.CharField(
        label="Từ khóa (tên hoặc mã thủ tục)",
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "ví dụ: đầu tư, dau tu, 1.009664"}),
    )
    # A code checked against a set, not a ChoiceField: its 283 choices were normalised on every search.
    field = forms.CharField(label="Lĩnh vực", required=False, strip=False)
    level = forms.ChoiceField(label="Mức độ dịch vụ công trực tuyến", choices=LEVELS, required=False)
    channel = forms.ChoiceField(label="Hình thức nộp", choices=CHANNELS, required=False)
    # The province portal: an agency's short name (its procedures and those of the agencies below it).
    agency = forms.CharField(label="Cơ quan thực hiện", required=False, max_length=20)

    def __init__(self, *args, field_codes=None, agency_names=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.field_codes = field_codes
        self.agency_names = agency_names

    def clean_agency(self):
        name = self.cleaned_data["agency"]
        if name and self.agency_names is not None and name not in self.agency_names:
            raise forms.ValidationError(
                forms.ChoiceField.default_error_messages["invalid_choice"], code="invalid_choice", params={"value": name}
            )
        return name

    def clean_field(self):
        code = self.cleaned_data["field"]
        codes = self.field_codes
        if codes is None:
            codes = set(Field.objects.values_list("code", flat=True))
        if code and code not in codes:
            raise forms.ValidationError(
                forms.ChoiceField.default_error_messages["invalid_choice"], code="invalid_choice", params={"value": code}
            )
        return code


class DecisionForm(forms.Form):
    number = forms.CharField(label="Số, ký hiệu quyết định", max_length=60)
    title = forms.CharField(label="Trích yếu", max_length=1000, required=False)
    signed_on = forms.DateField(label="Ngày ký", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    effective_on = forms.DateField(label="Ngày hiệu lực", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    signer = forms.CharField(label="Người ký", max_length=255, required=False)


class DecisionItemForm(forms.Form):
    action = forms.ChoiceField(label="Hình thức", choices=DecisionItem.Action.choices)
    code = forms.CharField(label="Mã thủ tục", max_length=40)
    replaces = forms.CharField(label="Mã thủ tục bị thay thế (chỉ với hình thức thay thế)", max_length=40, required=False)


class ImportForm(forms.Form):
    file = forms.FileField(label="Tệp Excel (.xlsx) theo mẫu")
    valid_from = forms.DateField(label="Hiệu lực từ ngày", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
