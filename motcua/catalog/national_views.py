"""The staff page "Đồng bộ từ CSDL quốc gia" (issue 17 item 4): look a procedure up by its national code,
see what differs from our version, and apply it through a publication decision. Leaders and administrators
only (the catalog's editors), for procedures of an agency they act for (core.tenancy). Thin: the work is in
catalog/national_procedure.py."""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.core.errors import ApplicationError
from motcua.core.permissions import role_required
from motcua.core.tenancy import agency_for

from .forms import DecisionForm
from .national_procedure import national_procedure_apply, national_procedure_diff
from .services import CATALOG_EDITORS


class LookupForm(forms.Form):
    ma = forms.CharField(label=gettext_lazy("Mã thủ tục (CSDL quốc gia)"), max_length=40)


class ApplyForm(DecisionForm):
    """The decision that publishes the national version; `fingerprint` pins the diff the user saw."""

    code = forms.CharField(widget=forms.HiddenInput, max_length=40)
    fingerprint = forms.CharField(widget=forms.HiddenInput, min_length=64, max_length=64)


def _error_text(exc: ApplicationError) -> str:
    details = "; ".join(m for ms in (exc.fields or {}).values() for m in ms)
    return f"{exc.message} {details}".strip()


def _add_errors(form: forms.Form, exc: ApplicationError) -> None:
    """The service's field errors next to the fields the user typed (a date, the number); the rest above the form."""
    fields = exc.fields or {}
    for name, errors in fields.items():
        for error in errors:
            form.add_error(name if name in form.fields and name not in ("code", "fingerprint") else None, error)
    if not fields:
        form.add_error(None, exc.message)


@role_required(*CATALOG_EDITORS)
def national_sync(request):
    agency = agency_for(request, act=True)
    lookup = LookupForm(request.GET or None)
    apply = ApplyForm(request.POST or None)
    code, chosen = "", request.POST.getlist("sections")
    if request.method == "POST":
        if apply.is_valid():
            values = dict(apply.cleaned_data)
            code, print_ = values.pop("code"), values.pop("fingerprint")
            try:
                decision = national_procedure_apply(
                    actor=request.user,
                    code=code,
                    expected_fingerprint=print_,
                    agency=agency,
                    sections=chosen,
                    **values,
                )
            except ApplicationError as exc:
                _add_errors(apply, exc)
                status = exc.status_code
            else:
                messages.success(
                    request,
                    _("Đã công bố thủ tục %(code)s theo CSDL quốc gia bằng quyết định %(number)s.")
                    % {"code": code, "number": decision.number},
                )
                return redirect("catalog:decision", pk=decision.pk)
        else:
            code, status = request.POST.get("code", ""), 400
    elif lookup.is_valid():
        code, status = lookup.cleaned_data["ma"].strip(), 200
    else:
        status = 400 if request.GET else 200
    diff, error = None, ""
    if code:
        try:
            diff = national_procedure_diff(code=code, fetched_by=request.user, agency=agency)
        except ApplicationError as exc:
            error, status = _error_text(exc), exc.status_code
        else:
            if request.method == "GET":
                apply = ApplyForm(initial={"code": diff.code, "fingerprint": diff.fingerprint})
    return render(
        request,
        "catalog/national_sync.html",
        {"lookup": lookup, "apply": apply, "diff": diff, "error": error, "code": code, "agency": agency, "chosen": chosen},
        status=status,
    )
