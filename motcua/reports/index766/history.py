"""Dashboards of the Decision 766 index over many computations: an agency's index month by month for a year, the
province's agencies ranked for one period, and the rows of the public open-data page. Every figure is
`engine.compute` (one implementation): nothing is counted here.

Cost is bounded by the shape, not by the records: `compute` is a fixed number of aggregate queries (about 9, plus
the weights and one per level of the agency tree), so a year's history is at most 12 computations and the
province's ranking one per agency. Months after today are not computed (they have no records yet)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core.errors import ValidationFailed
from motcua.core.models import Agency
from motcua.core.selectors import agency_tree

from .engine import compute
from .periods import Period, parse_period

MONTHS = range(1, 13)


def worst_first_key(indicator: dict) -> tuple:
    """Computed indicators by the points they lost (most first), then those without records, then those without a
    data source (the staff dashboard's order)."""
    rank = {"computed": 0, "no_records": 1, "no_data_source": 2}[indicator["status"]]
    return (rank, -(indicator["maximum"] - indicator["score"]), indicator["code"])


def indicators_worst_first(data: dict) -> list[dict]:
    """The index's indicators, flattened with their group's name and the points they lost, worst first."""
    rows = []
    for group in data["groups"]:
        for ind in group["indicators"]:
            rows.append({**ind, "group": group["name"], "lost_points": round(ind["maximum"] - ind["score"], 2)})
    rows.sort(key=worst_first_key)
    return rows


@dataclass
class MonthPoint:
    period: Period
    data: dict | None  # None for a month after today (not computed)

    @property
    def total(self) -> float | None:
        return None if self.data is None else self.data["total"]


def monthly_history(*, agency: Agency, year: int, now: datetime | None = None) -> list[MonthPoint]:
    """The agency's index (rolled up with the agencies below it) for each month of `year` up to the current one."""
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    points, memo = [], {}  # the agency tree and the weights read once for the 12 months
    for month in MONTHS:
        period = parse_period(f"{year:04d}-{month:02d}")
        data = compute(agency=agency, period=period, now=now, memo=memo) if period.start <= today else None
        points.append(MonthPoint(period=period, data=data))
    return points


def history_chart(points: list[MonthPoint], *, width: int = 480, height: int = 160, maximum: float = 100) -> dict:
    """Geometry of a small bar chart of the monthly totals (an inline SVG in the template, no script): one bar per
    month, height proportional to the total out of `maximum`, with the month's label under it."""
    pad_bottom, pad_top, pad_left = 18, 8, 28
    plot_h = height - pad_bottom - pad_top
    slot = (width - pad_left) / len(points)
    bars = []
    for i, p in enumerate(points):
        x = pad_left + i * slot + slot * 0.15
        h = 0.0 if p.total is None else plot_h * min(max(p.total, 0), maximum) / maximum
        bars.append(
            {
                "x": round(x, 1),
                "y": round(pad_top + plot_h - h, 1),
                "w": round(slot * 0.7, 1),
                "h": round(h, 1),
                "label": p.period.start.strftime("%m"),
                "label_x": round(x + slot * 0.35, 1),
                "total": p.total,
                "key": p.period.key,
            }
        )
    grid = [
        {"y": round(pad_top + plot_h - plot_h * v / maximum, 1), "value": int(v)}
        for v in (0, maximum / 2, maximum)  # 0, 50, 100 points
    ]
    return {"width": width, "height": height, "bars": bars, "grid": grid, "left": pad_left, "label_y": height - 4}


@dataclass
class RankedAgency:
    agency: Agency
    depth: int  # in the agency tree (0: the province)
    data: dict
    rank: int = 0


def province_ranking(*, agencies: list[Agency], period: Period, now: datetime | None = None) -> list[RankedAgency]:
    """Every agency given, each with its index rolled up with the agencies below it (the engine's roll-up), ranked
    by total (highest first; ties share a rank). Their depth in the province's tree is kept for display."""
    now = now or timezone.now()
    wanted = {a.pk for a in agencies}
    depth = {a.pk: d for a, d in agency_tree() if a.pk in wanted}
    memo: dict = {}  # the weights read once for every agency
    rows = [
        RankedAgency(agency=a, depth=depth.get(a.pk, 0), data=compute(agency=a, period=period, now=now, memo=memo))
        for a in agencies
    ]
    rows.sort(key=lambda r: (-r.data["total"], r.agency.name))
    previous, rank = None, 0
    for position, row in enumerate(rows, start=1):
        if row.data["total"] != previous:
            rank, previous = position, row.data["total"]
        row.rank = rank
    return rows


# ------------------------------------------------------------------------------------------- open data

OPEN_DATA_COLUMNS = [
    "period",
    "start",
    "end",
    "agency",
    "agency_name",
    "rank",
    "total",
    "maximum",
    "group",
    "indicator",
    "indicator_name",
    "value_percent",
    "score",
    "indicator_maximum",
    "threshold_percent",
    "records",
    "earned",
    "lost",
    "status",
]


def open_data_rows(data: dict) -> list[dict]:
    """The public JSON (`open_data_json`) flattened for CSV: one row per agency and indicator."""
    rows = []
    for a in data["agencies"]:
        for group in a["groups"]:
            for ind in group["indicators"]:
                rows.append(
                    {
                        "period": data["period"],
                        "start": data["start"],
                        "end": data["end"],
                        "agency": a["agency"],
                        "agency_name": a["agency_name"],
                        "rank": a["rank"],
                        "total": a["total"],
                        "maximum": a["maximum"],
                        "group": group["code"],
                        "indicator": ind["code"],
                        "indicator_name": ind["name"],
                        "value_percent": ind["value"],
                        "score": ind["score"],
                        "indicator_maximum": ind["maximum"],
                        "threshold_percent": ind["threshold"],
                        "records": ind["records"],
                        "earned": ind["earned"],
                        "lost": ind["lost"],
                        "status": ind["status"],
                    }
                )
    return rows


def open_data_json(ranking: list[RankedAgency], period: Period) -> dict:
    """The public JSON: per agency its rank, total and groups, and each indicator's aggregates. Only counts, rates
    and scores — no dossier, PAKN or person appears (the lists of records stay on the staff pages)."""
    keep = ("code", "name", "value", "score", "maximum", "threshold", "records", "earned", "lost", "status")
    return {
        "period": period.key,
        "start": period.start.strftime("%d/%m/%Y"),
        "end": period.end.strftime("%d/%m/%Y"),
        "agencies": [
            {
                "agency": r.agency.short_name,
                "agency_name": r.agency.name,
                "rank": r.rank,
                "depth": r.depth,
                "total": r.data["total"],
                "maximum": r.data["maximum"],
                "version": r.data["version"],
                "groups": [
                    {
                        "code": g["code"],
                        "name": g["name"],
                        "score": g["score"],
                        "maximum": g["maximum"],
                        "indicators": [{k: ind[k] for k in keep} for ind in g["indicators"]],
                    }
                    for g in r.data["groups"]
                ],
            }
            for r in ranking
        ],
    }


FIRST_PUBLIC_YEAR = 2020


def public_period(text: str | None, today: date) -> Period:
    """The period of the public page: a year, half, quarter or month from FIRST_PUBLIC_YEAR to today (400 for
    anything else, as `parse_period`); the current year by default. Bounded so the page cannot be asked for
    periods without records."""
    period = parse_period(text or str(today.year))
    if not (FIRST_PUBLIC_YEAR <= period.start.year and period.start <= today):
        raise ValidationFailed(
            fields={
                "ky": [
                    _("Kỳ phải từ năm %(first)s đến nay (hôm nay %(today)s).")
                    % {"first": FIRST_PUBLIC_YEAR, "today": today.strftime("%d/%m/%Y")}
                ]
            }
        )
    return period


PUBLIC_CACHE_SECONDS = 900  # the public page is computed at most once per period every 15 minutes


def public_index(period: Period, *, now: datetime | None = None) -> dict:
    """The open data of a period for every agency of the province (ranked), cached for PUBLIC_CACHE_SECONDS: an
    anonymous page must not cost a computation per agency on every request."""
    key = f"reports:index766:public:{period.key}"
    data = cache.get(key)
    if data is None:
        agencies = [a for a, _depth in agency_tree()]
        data = open_data_json(province_ranking(agencies=agencies, period=period, now=now), period)
        data["computed_at"] = timezone.localtime(now or timezone.now()).strftime("%d/%m/%Y %H:%M")
        cache.set(key, data, PUBLIC_CACHE_SECONDS)
    return data
