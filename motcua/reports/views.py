"""Pages of the reports app: the CCHC report on screen (each figure links to its records), its records,
and the DOCX/PDF downloads."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from motcua.catalog.models import ProcedureVersion
from motcua.core.errors import ValidationFailed
from motcua.core.models import Agency
from motcua.core.permissions import role_required
from motcua.core.replica import lag_tolerant_view
from motcua.core.roles import Role, user_has_role
from motcua.core.storage import file_response
from motcua.core.tenancy import agency_for, scope_for
from motcua.dossiers.models import Dossier
from motcua.feedback.models import Feedback, SatisfactionRating

from . import figures, services
from .cchc import FORMATS, cchc_report_file
from .index766.engine import compute, indicator_records
from .index766.explain import records_rows
from .index766.periods import parse_period
from .index766.rules import RULES_BY_CODE
from .models import IssuedReport
from .records import figure_records, figure_url
from .selectors import cchc_report

VIEWERS = (Role.LEADER, Role.SPECIALIST, Role.INSPECTOR, Role.CLERK, Role.PROVINCE_SUPERVISOR)


def parse_year(value: str | None) -> int:
    """The year asked for in ?year= (2000 to next year; empty: this year), else 400: one rule for every report page."""
    this_year = timezone.localdate().year
    try:
        year = int(value) if value not in (None, "") else this_year
    except ValueError:
        year = 0
    if not 2000 <= year <= this_year + 1:
        raise ValidationFailed(fields={"year": [gettext("Năm phải từ 2000 đến %(y)s.") % {"y": this_year + 1}]})
    return year


def _agency(request, short_name: str | None = None, *, act: bool = False) -> Agency:
    """The agency named in the URL (or ?agency=) within the user's scope (core.tenancy), else the user's own."""
    agency = agency_for(request, short_name, act=act)
    if agency is None:
        raise Http404("Chưa có cơ quan.")
    return agency


@role_required(*VIEWERS)
def cchc_index(request):

    agency = _agency(request, request.GET.get("agency"))
    this_year = timezone.localdate().year
    # A year the URL cannot hold (-1, ²) was a NoReverseMatch: 400 instead.
    year = parse_year(request.GET["year"]) if request.GET.get("year") else None
    year = year or figures.latest_year(agency=agency, until=this_year) or this_year
    return redirect("reports:cchc", agency=agency.short_name, year=year)


@require_GET
@role_required(*VIEWERS)
@lag_tolerant_view
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
@lag_tolerant_view
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
    return file_response(
        stored,
        content_type=FORMATS[fmt][0],
        filename=f"bao-cao-cchc-{issued.agency.short_name.lower()}-{issued.year}-lan-{issued.number}.{fmt}",
    )


@require_GET
@role_required(*VIEWERS)
@lag_tolerant_view
def cchc_download(request, agency: str, year: int, fmt: str):
    if fmt not in FORMATS:
        raise Http404()
    data, content_type, name = cchc_report_file(agency=_agency(request, agency), year=year, fmt=fmt)
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# ----------------------------------------------------------------------------- Decision 766 index (staff page)

INDEX766_PAGE = 100  # records per page of an indicator's list

# The columns of an indicator's records, per kind of record (explain.records_rows gives the rows).
INDEX766_COLUMNS = {
    "dossiers": [
        ("code", _("Mã hồ sơ")),
        ("procedure", _("Thủ tục")),
        ("channel", _("Kênh nộp")),
        ("accepted_at", _("Tiếp nhận")),
        ("due_at", _("Hẹn trả")),
        ("finished_at", _("Giải quyết xong")),
        ("timeliness", _("Tiến độ")),
        ("supplement_count", _("Số lần bổ sung")),
    ],
    "catalog": [
        ("code", _("Mã thủ tục")),
        ("name", _("Tên thủ tục")),
        ("online_class", _("Dịch vụ công trực tuyến")),
        ("online_level", _("Mức độ")),
    ],
    "pakn": [
        ("code", _("Mã PAKN")),
        ("status", _("Trạng thái")),
        ("received_at", _("Tiếp nhận")),
        ("refused_at", _("Từ chối")),
        ("refuse_due", _("Hạn từ chối")),
        ("more_info_requested_at", _("Đề nghị bổ sung thông tin")),
        ("more_info_due", _("Hạn đề nghị bổ sung")),
        ("answered_at", _("Trả lời")),
        ("resolve_due", _("Hạn trả lời")),
        ("published_at", _("Công khai")),
        ("publish_due", _("Hạn công khai")),
    ],
    "ratings": [("dossier", _("Mã hồ sơ")), ("overall", _("Mức độ hài lòng")), ("submitted_at", _("Thời điểm đánh giá"))],
}


def _choices(model, name: str) -> dict:
    return {str(k): v for k, v in model._meta.get_field(name).choices or ()}


def _index766_labels() -> dict[str, dict]:
    """The readable labels of the coded columns (the rows carry the stored codes, as the API gives them)."""
    return {
        "dossiers": {"channel": _choices(Dossier, "channel"), "timeliness": _choices(Dossier, "timeliness")},
        "catalog": {"online_class": _choices(ProcedureVersion, "online_class")},
        "pakn": {"status": _choices(Feedback, "status")},
        "ratings": {"overall": _choices(SatisfactionRating, "overall")},
    }


def _index766_params(request, agency: str | None = None, period: str | None = None):
    """(agency within the user's scope, period, field, procedure) of the URL or the query string: the agency 404
    outside the scope, a period that names none 400 (core errors), the current year by default."""
    agency_obj = _agency(request, agency or request.GET.get("agency"))
    period_obj = parse_period(period or request.GET.get("period") or str(timezone.localdate().year))
    return agency_obj, period_obj, request.GET.get("field") or None, request.GET.get("procedure") or None


def _worst_first(indicator: dict) -> tuple:
    """Computed indicators by the points they lost (most first), then those without records or a data source."""
    rank = {"computed": 0, "no_records": 1, "no_data_source": 2}[indicator["status"]]
    return (rank, -(indicator["maximum"] - indicator["score"]), indicator["code"])


@require_GET
@role_required(*VIEWERS)
@lag_tolerant_view
def index766(request):
    """The agency's Decision 766 index for a period: the five groups, then every indicator worst first, each
    linking to the records that lost (and earned) its points."""
    agency, period, field, procedure = _index766_params(request)
    data = compute(agency=agency, period=period, field=field, procedure=procedure)
    indicators = []
    for group in data["groups"]:
        group["lost"] = round(group["maximum"] - group["score"], 2)
        for ind in group["indicators"]:
            indicators.append({**ind, "group": group["name"], "lost_points": round(ind["maximum"] - ind["score"], 2)})
    indicators.sort(key=_worst_first)
    query = {}
    if field:
        query["field"] = field
    if procedure:
        query["procedure"] = procedure
    base = urlencode(query) + "&" if query else ""
    for ind in indicators:
        kwargs = {"agency": agency.short_name, "period": period.key, "indicator": ind["code"]}
        url = reverse("reports:index766-records", kwargs=kwargs)
        ind["lost_url"] = f"{url}?{base}earned=0"
        ind["earned_url"] = f"{url}?{base}earned=1"
    year = timezone.localdate().year
    return render(
        request,
        "reports/index766.html",
        {
            "data": data,
            "agency": agency,
            "period": period,
            "indicators": indicators,
            "agencies": scope_for(request.user).readable(Agency.objects.order_by("name"), "pk"),
            "periods": [str(year), f"{year}-H1", f"{year}-H2"]
            + [f"{year}-Q{q}" for q in range(1, 5)]
            + [f"{year}-{m:02d}" for m in range(1, 13)]
            + [str(year - 1)],
        },
    )


@require_GET
@role_required(*VIEWERS)
@lag_tolerant_view
def index766_records(request, agency: str, period: str, indicator: str):
    """The records that lost (earned=0, the default) or earned (earned=1) an indicator's points, each linking to
    its own page (dossier, PAKN, procedure): the same records the API and the command list (explain.py)."""
    agency, period, field, procedure = _index766_params(request, agency, period)
    earned = request.GET.get("earned", "0") in ("1", "true", "yes")
    qs = indicator_records(agency=agency, period=period, code=indicator, earned=earned, field=field, procedure=procedure)
    rule = RULES_BY_CODE[indicator]
    count = qs.count() if qs is not None else 0
    pages = max((count + INDEX766_PAGE - 1) // INDEX766_PAGE, 1)
    try:
        number = min(max(int(request.GET.get("page") or 1), 1), pages)
    except ValueError:
        number = 1
    rows = records_rows(indicator, qs, limit=INDEX766_PAGE, offset=(number - 1) * INDEX766_PAGE)
    columns = INDEX766_COLUMNS[rule.source] if rule.source in INDEX766_COLUMNS else INDEX766_COLUMNS["dossiers"]
    labels = _index766_labels().get(rule.source, {})
    table = [
        {"url": r["url"], "cells": [labels.get(key, {}).get(str(r.get(key)), r.get(key)) for key, _label in columns]}
        for r in rows
    ]
    query = {"earned": "1" if earned else "0"}
    if field:
        query["field"] = field
    if procedure:
        query["procedure"] = procedure
    dashboard = {"agency": agency.short_name, "period": period.key, **{k: v for k, v in query.items() if k != "earned"}}
    return render(
        request,
        "reports/index766_records.html",
        {
            "agency": agency,
            "period": period,
            "rule": rule,
            "earned": earned,
            "no_data_source": qs is None,
            "count": count,
            "columns": [label for _key, label in columns],
            "table": table,
            "page": number,
            "pages": pages,
            "first": (number - 1) * INDEX766_PAGE,
            "query": urlencode(query),
            "other_query": urlencode({**query, "earned": "0" if earned else "1"}),
            "dashboard_url": reverse("reports:index766") + "?" + urlencode(dashboard),
        },
    )
