"""Pages of the reports app: the CCHC report on screen (each figure links to its records), its records,
and the DOCX/PDF downloads."""

from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from motcua.core.models import Agency
from motcua.core.permissions import role_required
from motcua.core.roles import Role

from . import figures
from .cchc import FORMATS, cchc_report_file
from .records import figure_records, figure_url
from .selectors import cchc_report

VIEWERS = (Role.LEADER, Role.SPECIALIST, Role.INSPECTOR, Role.CLERK)


def _agency(request, short_name: str | None = None) -> Agency:
    if short_name:
        return get_object_or_404(Agency, short_name=short_name)
    if request.user.unit_id:
        return request.user.unit.agency
    agency = Agency.objects.order_by("id").first()
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


@role_required(*VIEWERS)
def cchc(request, agency: str, year: int):
    agency_obj = _agency(request, agency)
    report = cchc_report(agency=agency_obj, year=year)
    sections = []
    for s in report.sections:
        figures = [{"figure": f, "url": figure_url(agency=agency_obj, year=year, key=f.key)} for f in s.figures]
        sections.append({"section": s, "figures": figures})
    return render(request, "reports/cchc.html", {
        "report": report, "sections": sections, "agencies": Agency.objects.order_by("name"),
        "years": range(timezone.localdate().year, 2019, -1),
    })


@role_required(*VIEWERS)
def cchc_records(request, agency: str, year: int, key: str):
    agency_obj = _agency(request, agency)
    records = figure_records(agency=agency_obj, year=year, key=key)
    if records is None:
        raise Http404("Không có số liệu này.")
    figure = cchc_report(agency=agency_obj, year=year).figures().get(key)
    rows = list(zip(records.rows, records.links, strict=True))
    page = Paginator(rows, 100).get_page(request.GET.get("page"))
    return render(request, "reports/cchc_records.html", {
        "agency": agency_obj, "year": year, "records": records, "figure": figure, "page": page, "count": len(rows)})


@role_required(*VIEWERS)
def cchc_download(request, agency: str, year: int, fmt: str):
    if fmt not in FORMATS:
        raise Http404()
    data, content_type, name = cchc_report_file(agency=_agency(request, agency), year=year, fmt=fmt)
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
