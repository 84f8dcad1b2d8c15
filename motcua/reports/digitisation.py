"""Counts of digitisation for the index and the reform report (issue 19 item 5): digitised dossiers, electronic
results and reused papers, per agency, field, procedure and period, each count linking to its records.

No second definition: a dossier is digitised, has an electronic result or reused a paper by the Decision 766
rules' own conditions (index766.rules: `digitised_q`, `electronic_result_q`; `reused_q` from the papers app),
over the same records (`finished_in_period`, `accepted_in_period`), so this page and the index agree."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from motcua.catalog.models import Field, ProcedureVersion
from motcua.core.models import Agency
from motcua.dossiers.models import Dossier
from motcua.papers.selectors import reused_q, reuses_in

from .index766.engine import make_slice
from .index766.periods import Period
from .index766.rules import Slice, accepted_in_period, digitised_q, electronic_result_q, finished_in_period


@dataclass(frozen=True)
class Measure:
    code: str
    name: str
    base: Callable[[Slice], QuerySet[Dossier]]  # the dossiers it is counted among
    earned: Callable[[], Q] | None  # the condition; None for a base count


MEASURES = {
    m.code: m
    for m in (
        Measure("finished", _("Hồ sơ đã giải quyết trong kỳ"), finished_in_period, None),
        Measure("digitised", _("Hồ sơ được số hóa"), finished_in_period, digitised_q),
        Measure("electronic_results", _("Kết quả giải quyết điện tử"), finished_in_period, electronic_result_q),
        Measure("accepted", _("Hồ sơ tiếp nhận trong kỳ"), accepted_in_period, None),
        Measure("reused", _("Hồ sơ dùng lại giấy tờ trong kho"), accepted_in_period, reused_q),
    )
}
PAPERS_REUSED = "papers_reused"  # the reuse records themselves (one dossier may reuse several papers)
PAPERS_REUSED_NAME = _("Lượt dùng lại giấy tờ")
CODES = [*MEASURES, PAPERS_REUSED]


def slice_for(*, agency: Agency, period: Period, field=None, procedure=None, exact: bool = False) -> Slice:
    """The index's slice (the agency and those below it), or the agency alone (`exact`: one row of the table)."""
    s = make_slice(agency=agency, period=period, field=field, procedure=procedure)
    return replace(s, agency_ids=frozenset({agency.pk})) if exact else s


_KEYS = ("agency_id", "procedure_version__field__code", "procedure_version__procedure__code")


def _grouped(base: QuerySet[Dossier], measures: list[Measure]) -> dict[tuple, dict[str, int]]:
    aggregates = {m.code: Count("pk", filter=m.earned()) if m.earned else Count("pk") for m in measures}
    return {tuple(row[k] for k in _KEYS): row for row in base.values(*_KEYS).annotate(**aggregates).order_by()}


def counts(s: Slice) -> dict:
    """{"rows": [...], "total": {...}}: per (agency, field, procedure) the counts of every measure and the reuse
    records, and the slice's totals. Three grouped queries (finished, accepted, reuse records) and the names."""
    finished = _grouped(finished_in_period(s), [m for m in MEASURES.values() if m.base is finished_in_period])
    accepted = _grouped(accepted_in_period(s), [m for m in MEASURES.values() if m.base is accepted_in_period])
    reuses = {
        tuple(row[f"dossier__{k}"] for k in _KEYS): row["n"]
        for row in reuses_in(dossiers=accepted_in_period(s))
        .values(*(f"dossier__{k}" for k in _KEYS))
        .annotate(n=Count("pk"))
        .order_by()
    }
    keys = sorted(set(finished) | set(accepted), key=lambda k: (k[0], k[1] or "", k[2] or ""))
    agencies = {a.pk: a for a in Agency.objects.filter(pk__in={k[0] for k in keys})}
    fields = dict(Field.objects.filter(code__in={k[1] for k in keys}).values_list("code", "name"))
    # A procedure's name: its newest version's (the dict keeps the last of each code).
    names = dict(
        ProcedureVersion.objects.filter(procedure__code__in={k[2] for k in keys})
        .order_by("procedure__code", "number")
        .values_list("procedure__code", "name")
    )
    rows, total = [], dict.fromkeys(CODES, 0)
    for key in keys:
        values = {}
        for code, m in MEASURES.items():
            source = finished if m.base is finished_in_period else accepted
            values[code] = source.get(key, {}).get(code, 0)
        values[PAPERS_REUSED] = reuses.get(key, 0)
        for code in CODES:
            total[code] += values[code]
        rows.append(
            {
                "agency": agencies[key[0]],
                "field": key[1],
                "field_name": fields.get(key[1], key[1]),
                "procedure": key[2],
                "procedure_name": names.get(key[2], key[2]),
                "values": values,
            }
        )
    return {"rows": rows, "total": total}


def records(s: Slice, code: str) -> QuerySet:
    """The records behind one count: dossiers (every measure), or the reuse records (`papers_reused`)."""
    if code == PAPERS_REUSED:
        return reuses_in(dossiers=accepted_in_period(s)).select_related("dossier__agency").order_by("-reused_at", "-id")
    m = MEASURES[code]
    qs = m.base(s)
    if m.earned is not None:
        qs = qs.filter(m.earned())
    return qs.select_related("agency", "procedure_version").order_by("-received_at", "-id")
