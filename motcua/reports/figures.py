"""Thin adapter over the other apps' selectors the CCHC report reads. Imports are lazy, so the report
still renders (with "chưa có dữ liệu") when an app or one of its selectors is missing, and only this file
changes if their signatures do."""

import importlib
from datetime import date
from typing import Any

from django.db.models import QuerySet

from motcua.core.models import Agency


def _selector(module: str, name: str):
    """The selector, or None when its app or the function is not there. Any other error inside the
    app (a broken import) is raised, never hidden as "no data"."""
    try:
        mod = importlib.import_module(module)
    except ModuleNotFoundError as exc:
        if exc.name and module.startswith(exc.name):
            return None
        raise
    return getattr(mod, name, None)


def catalog_figures(*, agency: Agency, on: date) -> dict | None:
    """{in_force, one_stop, one_stop_of, cut_20, online_levels{1..4}, online_classes{full,partial,none},
    online, postal, result_by_post, four_on_spot} or None."""
    fn = _selector("motcua.catalog.selectors", "catalog_figures")
    return fn(agency=agency, on=on) if fn else None


def decision_counts(*, agency: Agency, start: date, end: date) -> dict | None:
    """{new, amended, replaced, abolished, total} of applied publication decisions in the period, or None."""
    fn = _selector("motcua.catalog.selectors", "decision_counts")
    return fn(agency=agency, start=start, end=end) if fn else None


def document_counts(*, agency: Agency, start: date, end: date) -> dict | None:
    """{total, incoming, outgoing, fully_electronic, digitally_signed} or None."""
    fn = _selector("motcua.documents.selectors", "document_counts")
    return fn(agency=agency, start=start, end=end) if fn else None


def dossier_counts(*, agency: Agency, start: date, end: date) -> dict | None:
    fn = _selector("motcua.dossiers.selectors", "dossier_counts")
    return fn(agency=agency, start=start, end=end) if fn else None


def latest_year(*, agency: Agency, until: int) -> int | None:
    """The latest year up to `until` with the agency's reform records or registered documents (the report
    opens on it, not on an empty current year); None when there are none."""
    years = [fn(agency=agency, until=until) for fn in (_selector("motcua.reform.selectors", "latest_year"),
                                                      _selector("motcua.documents.selectors", "latest_year")) if fn]
    years = [y for y in years if y]
    return max(years) if years else None


# ---------------------------------------------------------------- the records behind a figure


def procedure_versions(*, agency: Agency, on: date) -> QuerySet | None:
    fn = _selector("motcua.catalog.selectors", "procedure_versions_in_force")
    return fn(agency=agency, on=on).select_related("procedure", "field").order_by("procedure__code") if fn else None


def decisions(*, agency: Agency, start: date, end: date) -> list[Any] | None:
    fn = _selector("motcua.catalog.selectors", "decision_list")
    if fn is None:
        return None
    return list(fn(agency=agency).filter(applied_at__isnull=False, effective_on__gte=start, effective_on__lte=end)
                .prefetch_related("items__procedure", "items__version"))


def documents(*, agency: Agency, start: date, end: date) -> tuple[QuerySet, QuerySet] | None:
    """(incoming, outgoing) of the period, annotated with fully_electronic and digitally_signed."""
    mod = "motcua.documents.selectors"
    fns = [_selector(mod, n) for n in ("incoming_with_flags", "incoming_in_period", "outgoing_with_flags", "outgoing_in_period")]
    if not all(fns):
        return None
    inc_flags, inc_period, out_flags, out_period = fns
    return (inc_flags(inc_period(agency=agency, start=start, end=end)),
            out_flags(out_period(agency=agency, start=start, end=end)))


def cut_percent_threshold():
    from decimal import Decimal

    value = _selector("motcua.catalog.selectors", "CUT_THRESHOLD")
    return value if value is not None else Decimal("20")
