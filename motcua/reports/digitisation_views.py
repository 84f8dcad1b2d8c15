"""Pages of the digitisation counts (issue 19 item 5): the table per agency, field and procedure for a period,
and the records behind each count. Thin: parse (agency within the user's scope, period), call
reports.digitisation, render."""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from motcua.core.models import Agency
from motcua.core.permissions import role_required
from motcua.core.replica import lag_tolerant_view
from motcua.core.tenancy import agency_for, scope_for
from motcua.papers.models import Via

from . import digitisation
from .index766.periods import parse_period
from .views import VIEWERS

PAGE = 100


def _params(request, agency: str | None = None, period: str | None = None):
    agency_obj = agency_for(request, agency or request.GET.get("agency"))
    if agency_obj is None:
        raise Http404("Chưa có cơ quan.")
    period_obj = parse_period(period or request.GET.get("period") or str(timezone.localdate().year))
    return agency_obj, period_obj, request.GET.get("field") or None, request.GET.get("procedure") or None


def _records_url(agency: Agency, period, code: str, **query) -> str:
    url = reverse("reports:digitisation-records", kwargs={"agency": agency.short_name, "period": period.key, "measure": code})
    query = {k: v for k, v in query.items() if v}
    return f"{url}?{urlencode(query)}" if query else url


@require_GET
@role_required(*VIEWERS)
@lag_tolerant_view
def digitisation_counts(request):
    agency, period, field, procedure = _params(request)
    data = digitisation.counts(digitisation.slice_for(agency=agency, period=period, field=field, procedure=procedure))
    for row in data["rows"]:
        where = {"exact": "1", "field": row["field"], "procedure": row["procedure"]}
        row["cells"] = [(row["values"][code], _records_url(row["agency"], period, code, **where)) for code in digitisation.CODES]
    total = [
        (data["total"][code], _records_url(agency, period, code, field=field, procedure=procedure)) for code in digitisation.CODES
    ]
    year = timezone.localdate().year
    return render(
        request,
        "reports/digitisation.html",
        {
            "agency": agency,
            "period": period,
            "field": field or "",
            "procedure": procedure or "",
            "headers": [digitisation.MEASURES[c].name for c in digitisation.MEASURES] + [digitisation.PAPERS_REUSED_NAME],
            "rows": data["rows"],
            "total": total,
            "agencies": scope_for(request.user).readable(Agency.objects.order_by("name"), "pk"),
            "periods": [str(year), f"{year}-H1", f"{year}-H2"] + [f"{year}-Q{q}" for q in range(1, 5)] + [str(year - 1)],
        },
    )


@require_GET
@role_required(*VIEWERS)
@lag_tolerant_view
def digitisation_records(request, agency: str, period: str, measure: str):
    if measure not in digitisation.CODES:
        raise Http404()
    agency_obj, period_obj, field, procedure = _params(request, agency, period)
    exact = request.GET.get("exact") == "1"
    s = digitisation.slice_for(agency=agency_obj, period=period_obj, field=field, procedure=procedure, exact=exact)
    page = Paginator(digitisation.records(s, measure), PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    name = digitisation.PAPERS_REUSED_NAME if measure == digitisation.PAPERS_REUSED else digitisation.MEASURES[measure].name
    back = {"agency": agency_obj.short_name, "period": period_obj.key}
    return render(
        request,
        "reports/digitisation_records.html",
        {
            "agency": agency_obj,
            "period": period_obj,
            "name": name,
            "exact": exact,
            "reuses": measure == digitisation.PAPERS_REUSED,
            "page": page,
            "query": query.urlencode(),
            "Via": Via,
            "back_url": reverse("reports:digitisation") + "?" + urlencode(back),
        },
    )
