"""Pages of the Decision 766 index over time and across agencies (issue 20 item 3): the agency's monthly history
(table and inline SVG chart), the province's agencies ranked with the worst indicators first, and the public
open-data page with its CSV and JSON downloads. The figures are `index766.history` (itself `engine.compute`)."""

from __future__ import annotations

import csv
import io

from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from motcua.core.models import Agency
from motcua.core.permissions import role_required
from motcua.core.replica import lag_tolerant_view
from motcua.core.selectors import province_office
from motcua.core.tenancy import scope_for

from .index766.engine import compute
from .index766.history import (
    OPEN_DATA_COLUMNS,
    history_chart,
    indicators_worst_first,
    monthly_history,
    open_data_rows,
    province_ranking,
    public_index,
    public_period,
)
from .index766.periods import parse_period
from .views import VIEWERS, _agency, parse_year


@require_GET
@role_required(*VIEWERS)
@lag_tolerant_view
def index766_history(request):
    """The agency's index (rolled up with the agencies below it) for each month of a year: a table of the totals and
    group scores, a bar chart, and the year's indicators worst first."""
    agency = _agency(request, request.GET.get("agency"))
    year = parse_year(request.GET.get("year"))
    points = monthly_history(agency=agency, year=year)
    year_data = compute(agency=agency, period=parse_period(str(year)))
    group_names = [(g["code"], g["name"], g["maximum"]) for g in year_data["groups"]]
    rows = []
    for p in points:
        scores = {g["code"]: g["score"] for g in p.data["groups"]} if p.data else {}
        rows.append(
            {
                "key": p.period.key,
                "label": p.period.start.strftime("%m/%Y"),
                "total": p.total,
                "groups": [scores.get(code) for code, _n, _m in group_names],
                "url": reverse("reports:index766") + "?" + urlencode({"agency": agency.short_name, "period": p.period.key}),
            }
        )
    return render(
        request,
        "reports/index766_history.html",
        {
            "agency": agency,
            "year": year,
            "rows": rows,
            "groups": group_names,
            "chart": history_chart(points, maximum=year_data["maximum"] or 100),
            "year_data": year_data,
            "indicators": indicators_worst_first(year_data)[:5],
            "agencies": scope_for(request.user).readable(Agency.objects.order_by("name"), "pk"),
            "years": range(timezone.localdate().year, 2019, -1),
            "dashboard_url": reverse("reports:index766") + "?" + urlencode({"agency": agency.short_name, "period": year}),
        },
    )


@require_GET
@role_required(*VIEWERS)
@lag_tolerant_view
def index766_province(request):
    """Every agency the user may read, ranked by its index (each rolled up with the agencies below it), and the
    province's indicators worst first (the top of the tree the user reads, rolled up)."""
    period = parse_period(request.GET.get("period") or str(timezone.localdate().year))
    agencies = list(scope_for(request.user).readable(Agency.objects.order_by("name"), "pk"))
    ranking = province_ranking(agencies=agencies, period=period)
    # The province's figures: the province office's row (rolled up, the whole province) when the user reads it, else
    # the row covering the most agencies among those the user reads (e.g. a department with its sub-agencies).
    office = province_office()
    top_row = next((r for r in ranking if office is not None and r.agency.pk == office.pk), None)
    top_row = top_row or max(ranking, key=lambda r: (r.data["agencies"], -r.depth), default=None)
    top = top_row.agency if top_row else None
    overall = top_row.data if top_row else None
    for r in ranking:
        r.url = reverse("reports:index766") + "?" + urlencode({"agency": r.agency.short_name, "period": period.key})
        r.worst = next(iter(indicators_worst_first(r.data)), None)
        r.indent = "— " * r.depth
    return render(
        request,
        "reports/index766_province.html",
        {
            "period": period,
            "ranking": ranking,
            "top": top,
            "overall": overall,
            "indicators": indicators_worst_first(overall) if overall else [],
        },
    )


# ------------------------------------------------------------------------------------------ public pages


def _public(request) -> dict:
    return public_index(public_period(request.GET.get("ky"), timezone.localdate()))


@require_GET
@lag_tolerant_view
def index766_public(request):
    """The index of every agency of the province for a period, ranked: open data, no login, no personal data."""
    data = _public(request)
    year = timezone.localdate().year
    query = urlencode({"ky": data["period"]})
    return render(
        request,
        "reports/index766_public.html",
        {
            "data": data,
            "csv_url": reverse("reports:index766-public-csv") + "?" + query,
            "json_url": reverse("reports:index766-public-json") + "?" + query,
            "periods": [str(y) for y in range(year, 2019, -1)] + [f"{year}-Q{q}" for q in range(1, 5)],
        },
    )


@require_GET
@lag_tolerant_view
def index766_public_csv(request):
    data = _public(request)
    out = io.StringIO()
    out.write("\ufeff")  # so that spreadsheet programs read the Vietnamese as UTF-8
    writer = csv.DictWriter(out, fieldnames=OPEN_DATA_COLUMNS)
    writer.writeheader()
    for row in open_data_rows(data):
        writer.writerow(row)
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="chi-so-766-{data["period"]}.csv"'
    return response


@require_GET
@lag_tolerant_view
def index766_public_json(request):
    data = _public(request)
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    response["Content-Disposition"] = f'attachment; filename="chi-so-766-{data["period"]}.json"'
    return response
