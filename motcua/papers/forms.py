"""Forms of the store's staff actions (parse the input; the services check the rest)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from motcua.core.errors import ValidationFailed


class StoreForm(forms.Form):
    file = forms.IntegerField(min_value=1, error_messages={"required": _("Chọn tệp cần lưu vào kho.")})
    issuer = forms.CharField(label=_("Cơ quan cấp"), max_length=255, required=False)
    valid_from = forms.DateField(label=_("Hiệu lực từ ngày"), required=False)
    valid_until = forms.DateField(label=_("Hiệu lực đến ngày"), required=False)

    def clean(self):
        data = super().clean()
        start, end = data.get("valid_from"), data.get("valid_until")
        if start and end and end < start:
            self.add_error("valid_until", _("Ngày hết hiệu lực phải sau ngày có hiệu lực."))
        return data


class ReuseForm(forms.Form):
    paper = forms.IntegerField(min_value=1, error_messages={"required": _("Chọn giấy tờ trong kho.")})
    component = forms.IntegerField(min_value=1, required=False)


def cleaned(form: forms.Form) -> dict:
    """The form's data, or ValidationFailed (400, the fields' Vietnamese messages)."""
    if not form.is_valid():
        raise ValidationFailed(fields={k: [str(e) for e in v] for k, v in form.errors.items()})
    return form.cleaned_data
