"""Pages of the periodic reports (periodic.py): the form on screen, its XLSX/DOCX/PDF downloads, and sending it as an
outgoing document (periodic_services.py)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from motcua.core.models import Agency
from motcua.core.permissions import role_required
from motcua.core.replica import lag_tolerant_view
from motcua.core.roles import Role, user_has_role
from motcua.core.tenancy import scope_for

from .periodic import FORM_CODE, FORM_COLUMNS, FORM_TITLE, FORMATS, period_phrase, periodic_report, report_file, report_period
from .periodic_services import periodic_report_send
from .views import VIEWERS, _agency

SENDERS = (Role.LEADER, Role.SPECIALIST, Role.CLERK)


def _cutoff(request) -> int | None:
    """?chot=15: the figures from the 15th of the month before the period to the 14th of its last month."""
    return 15 if request.GET.get("chot") == "15" or request.POST.get("chot") == "15" else None


@require_GET
@role_required(*VIEWERS)
def periodic_index(request):
    agency = _agency(request, request.GET.get("agency"))
    today = timezone.localdate()
    default = f"{today.year}-Q{(today.month - 1) // 3 + 1}"
    # Checked before the redirect: a period the URL cannot hold ("01/12/2026") was a NoReverseMatch; now 400.
    period = report_period(request.GET.get("period") or default)
    return redirect("reports:periodic", agency=agency.short_name, period=period.key)


@require_GET
@role_required(*VIEWERS)
@lag_tolerant_view
def periodic(request, agency: str, period: str):
    agency_obj = _agency(request, agency)
    period_obj = report_period(period)
    cutoff = _cutoff(request)
    report = periodic_report(agency=agency_obj, period=period_obj, cutoff_day=cutoff)
    year = timezone.localdate().year
    query = "?chot=15" if cutoff else ""
    return render(
        request,
        "reports/periodic.html",
        {
            "report": report,
            "agency": agency_obj,
            "period": period_obj,
            "phrase": period_phrase(period_obj),
            "form_code": FORM_CODE,
            "form_title": FORM_TITLE,
            "columns": [label for _k, label, _s in FORM_COLUMNS],
            "keys": [k for k, _l, _s in FORM_COLUMNS],
            "cutoff": cutoff,
            "downloads": [
                (fmt.upper(), reverse("reports:periodic-download", args=[agency_obj.short_name, period_obj.key, fmt]) + query)
                for fmt in FORMATS
            ],
            "can_send": user_has_role(request.user, *SENDERS) and scope_for(request.user).can_act(agency_obj.pk),
            "agencies": scope_for(request.user).readable(Agency.objects.order_by("name"), "pk"),
            "periods": [f"{y}-Q{q}" for y in (year, year - 1) for q in range(1, 5)] + [f"{year}-H1", f"{year}-H2", str(year - 1)],
        },
    )


@require_GET
@role_required(*VIEWERS)
@lag_tolerant_view
def periodic_download(request, agency: str, period: str, fmt: str):
    agency_obj = _agency(request, agency)
    report = periodic_report(agency=agency_obj, period=report_period(period), cutoff_day=_cutoff(request))
    data, content_type, name = report_file(report, fmt)
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_POST
@role_required(*SENDERS)
def periodic_send(request, agency: str, period: str):
    agency_obj = _agency(request, agency, act=True)
    period_obj = report_period(period)
    doc = periodic_report_send(actor=request.user, agency=agency_obj, period=period_obj, cutoff_day=_cutoff(request))
    messages.success(
        request,
        _("Đã lập văn bản đi từ báo cáo %(phrase)s; văn thư cấp số, ký số của cơ quan và phát hành trong sổ văn bản đi.")
        % {"phrase": period_phrase(period_obj)},
    )
    return redirect("documents:outgoing_detail", pk=doc.pk)
