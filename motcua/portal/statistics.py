"""The public statistics page of the province portal: dossiers received, finished (on time or not) and
in progress this year, for the province (every agency below the province office, rolled up) and for
each agency, from the desk's statistics table (every figure a query over records)."""

from __future__ import annotations

from datetime import date

from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from motcua.core.selectors import agency_tree, province_office
from motcua.desk.selectors.statistics import statistics_table

FIRST_YEAR = 2000


def _year(value: str | None, today: date) -> int:
    try:
        year = int(value or today.year)
    except ValueError:
        return today.year
    return year if FIRST_YEAR <= year <= today.year else today.year


def _rate(values: dict) -> str:
    done = values["finished_total"]
    if not done:
        return "—"
    return f"{(values['finished_early'] + values['finished_on_time']) * 100 / done:.1f}".replace(".", ",") + " %"


@require_GET
def statistics(request):
    today = timezone.localdate()
    year = _year(request.GET.get("nam"), today)
    start, end = date(year, 1, 1), min(date(year, 12, 31), today)
    top = province_office()
    table = statistics_table(agency=top, start=start, end=end, group_by=("agency",)) if top else None
    by_agency = {row.key[0]: row.values for row in table.rows} if table else {}
    rows = [
        {"agency": a, "depth": depth, "values": by_agency[a.pk], "rate": _rate(by_agency[a.pk])}
        for a, depth in agency_tree()
        if a.pk in by_agency
    ]
    return render(
        request,
        "portal/statistics.html",
        {
            "portal_agency": top,
            "year": year,
            "start": start,
            "end": end,
            "rows": rows,
            "total": table.total if table else None,
            "total_rate": _rate(table.total) if table else "—",
            "years": list(range(today.year, max(FIRST_YEAR, today.year - 5) - 1, -1)),
        },
    )
