"""Computes the Decision 766 index of an agency (with the agencies below it) for a period: each rule of
rules.py measured with one aggregate query, scored with the weights and threshold of the version in force
for the period (models.py). Reads only: nothing is stored.

Scoring (docs/domain.md): rate = earned ÷ total (in %); at or above the indicator's threshold it earns its
maximum, below it rate × maximum ÷ threshold (so the score never exceeds the maximum). Scores are rounded to
two decimals per indicator; a group's score is the sum of its indicators', the total the sum of the groups'.
An indicator with no records in the period, or no data source yet, scores 0 and says why (`status`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core.errors import NotFoundError
from motcua.core.models import Agency
from motcua.core.selectors import agency_descendant_ids

from . import summary
from .measure import measure_all
from .models import IndexIndicator, IndexVersion
from .periods import Period
from .rules import GROUPS, NONE, RULES_BY_CODE, Slice

CENT = Decimal("0.01")
HUNDRED = Decimal(100)


def score(earned: int, total: int, max_points: Decimal, threshold_percent: Decimal) -> tuple[Decimal | None, Decimal]:
    """(rate in % rounded to 0.01, or None without records; score rounded to 0.01) — the threshold rule."""
    if not total:
        return None, Decimal(0)
    rate = Decimal(earned) * HUNDRED / Decimal(total)
    raw = max_points if rate >= threshold_percent else rate * max_points / threshold_percent
    return rate.quantize(CENT, ROUND_HALF_UP), min(raw, max_points).quantize(CENT, ROUND_HALF_UP)


def to_gain_one_point(earned: int, total: int, max_points: Decimal, threshold_percent: Decimal) -> int | None:
    """How many of the records that lost points would have to earn them (the total unchanged) for the
    indicator's score to rise by one point; None when it cannot rise by a whole point any more."""
    if not total:
        return None
    _rate, current = score(earned, total, max_points, threshold_percent)
    target = current + 1
    if target > max_points:
        return None
    # smallest x with (earned + x) / total × 100 × max ÷ threshold ≥ target (before rounding to 0.01)
    needed = (target - Decimal("0.005")) * threshold_percent * Decimal(total) / (HUNDRED * max_points) - Decimal(earned)
    x = max(int(needed.to_integral_value(ROUND_CEILING)), 0)
    while x <= total - earned and score(earned + x, total, max_points, threshold_percent)[1] < target:
        x += 1  # the rounding of the score to 0.01 may need one more
    return x if x <= total - earned else None


def version_for(period: Period) -> tuple[IndexVersion, bool]:
    """The weights in force on the period's first day, and whether they were in force then (a period before
    the first version is scored with the earliest one, and says so)."""
    version = IndexVersion.objects.filter(valid_from__lte=period.start).order_by("-valid_from").first()
    if version is not None:
        return version, True
    version = IndexVersion.objects.order_by("valid_from").first()
    if version is None:
        raise NotFoundError(_("Chưa có bộ trọng số của Chỉ số 766; quản trị viên cần nhập trong trang quản trị."))
    return version, False


def make_slice(
    *, agency: Agency, period: Period, field: str | None = None, procedure: str | None = None, now=None, memo: dict | None = None
) -> Slice:
    key = ("tree", agency.pk)
    if memo is not None and key in memo:
        agency_ids = memo[key]
    else:
        agency_ids = frozenset(agency_descendant_ids(agency))
        if memo is not None:
            memo[key] = agency_ids
    return Slice(
        agency_ids=agency_ids,
        start=period.start,
        end=period.end,
        lo=period.lo,
        hi=period.hi,
        now=now or timezone.now(),
        field=field or None,
        procedure=procedure or None,
    )


def _num(x: Decimal | None) -> float | None:
    return None if x is None else float(x)


@dataclass
class IndicatorResult:
    code: str
    name: str
    unit: str
    max_points: Decimal
    threshold_percent: Decimal
    earned: int
    total: int
    value: Decimal | None
    score: Decimal
    data_source: str
    missing: str
    forecast_lost: int | None = None  # None when the period is not in progress

    @property
    def status(self) -> str:
        if self.data_source == NONE:
            return "no_data_source"
        return "no_records" if not self.total else "computed"

    def as_json(self) -> dict:
        return {
            "code": self.code,
            "name": self.name,
            "value": _num(self.value),  # the rate, %
            "score": _num(self.score),
            "maximum": _num(self.max_points),
            "threshold": _num(self.threshold_percent),
            "records": self.total,  # the records behind the figure
            "earned": self.earned,
            "lost": self.total - self.earned,
            "unit": self.unit,
            "status": self.status,
            "data_source": self.data_source,
            "no_data_source_yet": self.missing or None,
            "to_gain_one_point": to_gain_one_point(self.earned, self.total, self.max_points, self.threshold_percent),
            "forecast": self.forecast_json(),
        }

    def forecast_score(self) -> Decimal:
        if self.forecast_lost is None:
            return self.score
        return score(self.earned, self.total + self.forecast_lost, self.max_points, self.threshold_percent)[1]

    def forecast_json(self) -> dict | None:
        if self.forecast_lost is None:
            return None
        total = self.total + self.forecast_lost
        value, points = score(self.earned, total, self.max_points, self.threshold_percent)
        return {"value": _num(value), "score": _num(points), "records": total, "already_lost": self.forecast_lost}


def compute(
    *,
    agency: Agency,
    period: Period,
    field: str | None = None,
    procedure: str | None = None,
    now: datetime | None = None,
    memo: dict | None = None,
    use_summary: bool = True,
) -> dict:
    """The index as a JSON-ready dict: total, each group with its score and maximum, each indicator with its
    value, score and the count of records behind it.

    `memo`: a dict kept by a caller computing many periods in one request (index766.history) — the agency tree and
    each version's groups and indicators are then read once, not once per period.

    `use_summary`: the period's closed months are read from the monthly summary (summary.py, kept exact); False
    counts everything from the records (the same rules, the naive path the benchmark compares it with)."""
    version, in_force = version_for(period)
    s = make_slice(agency=agency, period=period, field=field, procedure=procedure, now=now, memo=memo)
    in_progress = s.lo <= s.now < s.hi
    weights = None if memo is None else memo.get(("weights", version.pk))
    if weights is None:
        weights = (
            list(version.groups.order_by("order")),
            list(IndexIndicator.objects.filter(group__version=version).select_related("group").order_by("group__order", "order")),
        )
        if memo is not None:
            memo[("weights", version.pk)] = weights
    version_groups, indicators = weights
    groups: dict[int, dict] = {}
    for group in version_groups:
        groups[group.pk] = {
            "code": group.code,
            "name": str(GROUPS.get(group.code, group.code)),
            "score": Decimal(0),
            "maximum": group.max_points,
            "indicators": [],
        }
    indicators = [(ind, RULES_BY_CODE[ind.code]) for ind in indicators if ind.code in RULES_BY_CODE]
    rules = [rule for _ind, rule in indicators]
    measured = summary.measure(rules, s) if use_summary else measure_all(rules, s)
    for ind, rule in indicators:
        counts = measured[rule.code]
        value, points = score(counts["earned"], counts["total"], ind.max_points, ind.threshold_percent)
        result = IndicatorResult(
            code=rule.code,
            name=str(rule.name),
            unit=str(rule.unit),
            max_points=ind.max_points,
            threshold_percent=ind.threshold_percent,
            earned=counts["earned"],
            total=counts["total"],
            value=value,
            score=points,
            data_source=rule.data_source,
            missing=str(rule.missing) if rule.missing else "",
            forecast_lost=(rule.already_lost(s) if rule.already_lost else 0) if in_progress else None,
        )
        g = groups[ind.group_id]
        g["score"] += points
        g["indicators"].append(result)
    total = sum((g["score"] for g in groups.values()), Decimal(0))
    maximum = sum((g["maximum"] for g in groups.values()), Decimal(0))
    measured_max = sum((i.max_points for g in groups.values() for i in g["indicators"] if i.status == "computed"), Decimal(0))
    return {
        "agency": agency.short_name,
        "agency_name": agency.name,
        "agencies": len(s.agency_ids),  # the agency and those below it (rolled up)
        "period": period.key,
        "start": period.start.strftime("%d/%m/%Y"),
        "end": period.end.strftime("%d/%m/%Y"),
        "field": s.field,
        "procedure": s.procedure,
        "version": {
            "name": version.name,
            "decision": version.decision,
            "valid_from": version.valid_from.strftime("%d/%m/%Y"),
            "in_force_for_period": in_force,
        },
        "total": _num(total),
        "maximum": _num(maximum),
        "measured_maximum": _num(measured_max),  # the points of indicators that had records and a data source
        # While the period runs: the total at its end if the rest goes as it went so far, with what is already
        # lost though not yet counted (running dossiers past their deadline, PAKN past a stage deadline).
        "forecast_total": _num(sum((i.forecast_score() for g in groups.values() for i in g["indicators"]), Decimal(0)))
        if in_progress
        else None,
        "groups": [
            {
                "code": g["code"],
                "name": g["name"],
                "score": _num(g["score"]),
                "maximum": _num(g["maximum"]),
                "indicators": [i.as_json() for i in g["indicators"]],
            }
            for g in groups.values()
        ],
    }


def indicator_records(
    *,
    agency: Agency,
    period: Period,
    code: str,
    earned: bool,
    field: str | None = None,
    procedure: str | None = None,
    now: datetime | None = None,
) -> QuerySet | None:
    """The records that earned (True) or lost (False) the indicator's points; None when the indicator has no
    data source yet. NotFoundError for an unknown indicator."""
    rule = RULES_BY_CODE.get(code)
    if rule is None:
        raise NotFoundError(_("Không có chỉ số này."))
    if rule.records is None:
        return None
    return rule.records(make_slice(agency=agency, period=period, field=field, procedure=procedure, now=now), earned)
