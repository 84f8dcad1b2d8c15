"""Counting the rules (engine.py and the monthly summary, summary.py, use these two functions: one counting)."""

from __future__ import annotations

from django.db.models import Count

from .rules import Slice


def _by_base(rules):
    by_base: dict = {}
    for rule in rules:
        if rule.base is not None:
            by_base.setdefault(rule.base, []).append(rule)
    return by_base


def _counts(shared, s: Slice) -> dict:
    """The aggregate of the rules sharing a base: the base's count and each rule's earned count as a FILTER."""
    return {"total": Count("pk"), **{f"earned_{n}": Count("pk", filter=rule.earned(s)) for n, rule in enumerate(shared)}}


def measure_all(rules, s: Slice) -> dict[str, dict[str, int]]:
    """{code: {"total", "earned"}} of every rule: the rate rules sharing a base in one aggregate query (each
    rule's earned count a FILTER of it), the others with their own measure; nothing for no data source."""
    out: dict[str, dict[str, int]] = {}
    for rule in rules:
        if rule.base is None:
            out[rule.code] = rule.measure(s) if rule.measure is not None else {"total": 0, "earned": 0}
    for base, shared in _by_base(rules).items():
        row = base(s).aggregate(**_counts(shared, s))
        for n, rule in enumerate(shared):
            out[rule.code] = {"total": row["total"], "earned": row[f"earned_{n}"]}
    return out


def measure_grouped(rules, s: Slice, group_by: tuple[str, ...]) -> dict[tuple, dict[str, dict[str, int]]]:
    """measure_all of rate rules, grouped by columns of their base's records: {key: {code: {"total", "earned"}}}
    (a key appears for the bases that have records under it). The monthly summary counts one month this way, by
    (agency, procedure version)."""
    out: dict[tuple, dict[str, dict[str, int]]] = {}
    for base, shared in _by_base(rules).items():
        for row in base(s).order_by().values(*group_by).annotate(**_counts(shared, s)):
            key = tuple(row[g] for g in group_by)
            codes = out.setdefault(key, {})
            for n, rule in enumerate(shared):
                codes[rule.code] = {"total": row["total"], "earned": row[f"earned_{n}"]}
    return out
