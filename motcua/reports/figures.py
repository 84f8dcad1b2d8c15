"""Thin adapter over the other apps' selectors the CCHC report reads: only this file changes if their
signatures do. The imports are static, so a renamed or removed selector fails at import (and in the tests),
never as a figure that silently reads "no data"."""

from datetime import date

from django.db.models import QuerySet

from motcua.catalog import selectors as catalog
from motcua.catalog.models import PublicationDecision
from motcua.core.models import Agency
from motcua.documents import selectors as documents_selectors
from motcua.reform import selectors as reform
from motcua.review import selectors as review


def catalog_figures(*, agency: Agency, on: date) -> dict:
    """{in_force, one_stop, one_stop_of, cut_20, online_levels{1..4}, online_classes{full,partial,none},
    online, postal, result_by_post, four_on_spot}."""
    return catalog.catalog_figures(agency=agency, on=on)


def decision_counts(*, agency: Agency, start: date, end: date) -> dict:
    """{new, amended, replaced, abolished, total} of applied publication decisions in the period."""
    return catalog.decision_counts(agency=agency, start=start, end=end)


def document_counts(*, agency: Agency, start: date, end: date) -> dict:
    """{total, incoming, outgoing, fully_electronic, digitally_signed}."""
    return documents_selectors.document_counts(agency=agency, start=start, end=end)


def simplification_results(*, agency: Agency, year: int) -> dict:
    """{planned, reviewed, proposed, adopted, cut_20, cost_saved_per_year_vnd} of the agency's review plan of the year."""
    return review.simplification_results(agency=agency, year=year)


def simplification_items(*, agency: Agency, year: int, kind: str) -> list:
    return review.simplification_items(agency=agency, year=year, kind=kind)


def latest_year(*, agency: Agency, until: int) -> int | None:
    """The latest year up to `until` with the agency's reform records or registered documents (the report
    opens on it, not on an empty current year); None when there are none."""
    years = [
        y
        for y in (reform.latest_year(agency=agency, until=until), documents_selectors.latest_year(agency=agency, until=until))
        if y
    ]
    return max(years) if years else None


# ---------------------------------------------------------------- the records behind a figure


def procedure_versions(*, agency: Agency, on: date) -> QuerySet:
    return (
        catalog.procedure_versions_in_force(agency=agency, on=on).select_related("procedure", "field").order_by("procedure__code")
    )


def decisions(*, agency: Agency, start: date, end: date) -> list[PublicationDecision]:
    return list(
        catalog.decision_list(agency=agency)
        .filter(applied_at__isnull=False, effective_on__gte=start, effective_on__lte=end)
        .prefetch_related("items__procedure", "items__version")
    )


def documents(*, agency: Agency, start: date, end: date) -> tuple[QuerySet, QuerySet]:
    """(incoming, outgoing) of the period, annotated with fully_electronic and digitally_signed."""
    return (
        documents_selectors.incoming_with_flags(documents_selectors.incoming_in_period(agency=agency, start=start, end=end)),
        documents_selectors.outgoing_with_flags(documents_selectors.outgoing_in_period(agency=agency, start=start, end=end)),
    )


# Digitisation of dossiers and results, papers reused (issue 19 item 5): the counts page's own computation
# (reports.digitisation, the index's rules), for the agency and the agencies below it, as the report's one-stop
# figures (section IV, the desk's statistics table) count them.
DIGITISATION_FIGURES = {
    "digitisation_dossiers": "digitised",
    "digitisation_results": "electronic_results",
    "digitisation_reused": "reused",
}


def digitisation_slice(*, agency: Agency, start: date, end: date):
    from .digitisation import slice_for
    from .index766.periods import Period

    return slice_for(agency=agency, period=Period(str(start.year), "year", start, end))


def digitisation_counts(*, agency: Agency, start: date, end: date) -> dict:
    """{finished, digitised, electronic_results, accepted, reused, papers_reused} of the period."""
    from .digitisation import counts

    return counts(digitisation_slice(agency=agency, start=start, end=end))["total"]


def digitisation_dossiers(*, agency: Agency, start: date, end: date, key: str):
    """The dossiers behind one of DIGITISATION_FIGURES."""
    from .digitisation import records

    return records(digitisation_slice(agency=agency, start=start, end=end), DIGITISATION_FIGURES[key])
