"""Pages of the reports app: the CCHC report on screen (each figure links to its records), its records,
and the DOCX/PDF downloads."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_POST

from motcua.core.models import Agency
from motcua.core.permissions import role_required
from motcua.core.roles import Role, user_has_role
from motcua.core.tenancy import agency_for, scope_for

from . import figures, services
from .cchc import FORMATS, cchc_report_file
from .models import IssuedReport
from .records import figure_records, figure_url
from .selectors import cchc_report

VIEWERS = (Role.LEADER, Role.SPECIALIST, Role.INSPECTOR, Role.CLERK, Role.PROVINCE_SUPERVISOR)


def _agency(request, short_name: str | None = None, *, act: bool = False) -> Agency:
    """The agency named in the URL (or ?agency=) within the user's scope (core.tenancy), else the user's own."""
    agency = agency_for(request, short_name, act=act)
    if agency is None:
        raise Http404("Chưa có cơ quan.")
    return agency


@role_required(*VIEWERS)
def cchc_index(request):
    agency = _agency(request, request.GET.get("agency"))
    try:
        year = int(request.GET.get("year") or 0)
    except ValueError:
        year = 0
    this_year = timezone.localdate().year
    year = year or figures.latest_year(agency=agency, until=this_year) or this_year
    return redirect("reports:cchc", agency=agency.short_name, year=year)


@require_GET
@role_required(*VIEWERS)
def cchc(request, agency: str, year: int):
    agency_obj = _agency(request, agency)
    report = cchc_report(agency=agency_obj, year=year)
    sections = []
    for s in report.sections:
        figures = [{"figure": f, "url": figure_url(agency=agency_obj, year=year, key=f.key)} for f in s.figures]
        sections.append({"section": s, "figures": figures})
    return render(
        request,
        "reports/cchc.html",
        {
            "report": report,
            "sections": sections,
            "agencies": scope_for(request.user).readable(Agency.objects.order_by("name"), "pk"),
            "issued": IssuedReport.objects.filter(agency=agency_obj, year=year).select_related("issued_by"),
            "can_issue": user_has_role(request.user, Role.LEADER),
            "years": range(timezone.localdate().year, 2019, -1),
        },
    )


@require_GET
@role_required(*VIEWERS)
def cchc_records(request, agency: str, year: int, key: str):
    agency_obj = _agency(request, agency)
    records = figure_records(agency=agency_obj, year=year, key=key)
    if records is None:
        raise Http404("Không có số liệu này.")
    figure = cchc_report(agency=agency_obj, year=year).figures().get(key)
    rows = list(zip(records.rows, records.links, strict=True))
    page = Paginator(rows, 100).get_page(request.GET.get("page"))
    return render(
        request,
        "reports/cchc_records.html",
        {"agency": agency_obj, "year": year, "records": records, "figure": figure, "page": page, "count": len(rows)},
    )


@require_POST
@role_required(Role.LEADER)
def cchc_issue(request, agency: str, year: int):
    """Issue the report as it reads now: its DOCX, PDF and figures are stored unchanged (listed on the page)."""
    agency_obj = _agency(request, agency, act=True)
    issued = services.cchc_report_issue(actor=request.user, agency=agency_obj, year=year)
    messages.success(
        request, gettext("Đã ban hành báo cáo (lần %(n)s); bản đã ban hành được lưu nguyên trạng.") % {"n": issued.number}
    )
    return redirect("reports:cchc", agency=agency_obj.short_name, year=year)


@require_GET
@role_required(*VIEWERS)
def cchc_issued_download(request, pk: int, fmt: str):
    issued = get_object_or_404(IssuedReport.objects.select_related("agency"), pk=pk)
    _agency(request, issued.agency.short_name)
    if fmt not in FORMATS:
        raise Http404()
    stored = issued.docx if fmt == "docx" else issued.pdf
    return FileResponse(
        stored.open("rb"),
        as_attachment=True,
        content_type=FORMATS[fmt][0],
        filename=f"bao-cao-cchc-{issued.agency.short_name.lower()}-{issued.year}-lan-{issued.number}.{fmt}",
    )


@require_GET
@role_required(*VIEWERS)
def cchc_download(request, agency: str, year: int, fmt: str):
    if fmt not in FORMATS:
        raise Http404()
    data, content_type, name = cchc_report_file(agency=_agency(request, agency), year=year, fmt=fmt)
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
