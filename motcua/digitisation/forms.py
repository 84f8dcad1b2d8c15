from django import forms
from django.utils.translation import gettext_lazy as _


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Từ cần tìm"),
        max_length=200,
        error_messages={"max_length": _("Nhập không quá %(limit_value)d ký tự."), "required": _("Nhập từ cần tìm.")},
    )
