"""Every evidence figure of a procedure equals the same figure computed from the raw records by construction
(review/tests/data.py), including the percentiles of the processing time and the supplement reasons."""

import io
import json
from datetime import date

import pytest
from django.core.management import call_command

from motcua.review import selectors

from .data import build, linear_percentile

pytestmark = pytest.mark.django_db

YEAR = (date(2021, 1, 1), date(2021, 12, 31))


def test_every_figure_equals_the_raw_records_answer():
    agency, version, _other, exp = build()
    ev = selectors.procedure_evidence(agency=agency, procedure=version.procedure, start=YEAR[0], end=YEAR[1])

    assert ev.received == exp.received
    assert ev.online == exp.online
    assert ev.online_share == round(exp.online / exp.received, 4)
    assert ev.finished == exp.finished
    assert ev.late == exp.late
    assert ev.late_share == round(exp.late / exp.finished, 4)
    assert ev.processing_times == pytest.approx(sorted(exp.times), abs=1e-4)
    assert ev.median_time == pytest.approx(linear_percentile(exp.times, 0.5), abs=1e-4)
    assert ev.p90_time == pytest.approx(linear_percentile(exp.times, 0.9), abs=1e-4)
    assert ev.supplement_dossiers == exp.supplement_dossiers
    assert ev.supplement_share == round(exp.supplement_dossiers / exp.received, 4)
    assert dict(ev.missing_papers) == {k: v for k, v in sorted(exp.papers.items(), key=lambda kv: -kv[1])[:5]}
    assert ev.missing_papers[0][1] == max(exp.papers.values())
    assert ev.refused == exp.refused
    assert ev.rejected == exp.rejected
    assert dict(ev.refusal_reasons) == exp.reasons
    assert ev.pakn == exp.pakn
    assert dict(ev.pakn_subjects) == exp.subjects
    assert ev.ratings == len(exp.ratings)
    assert ev.mean_rating == round(sum(exp.ratings) / len(exp.ratings), 2)
    assert ev.legal_time == version.legal_time and ev.committed_time == version.committed_time


def test_the_data_exercises_every_figure():
    """The generated data is not degenerate: each figure is non-trivial, so an assertion above can fail."""
    *_, exp = build()
    assert exp.late and exp.late < exp.finished
    assert exp.supplement_dossiers and len(exp.papers) > 1
    assert exp.refused and exp.rejected and len(exp.reasons) == 2
    assert len(set(round(t, 4) for t in exp.times)) > 10
    assert len(exp.ratings) > 3


def test_percentile_follows_the_linear_rule_on_a_small_example():
    # ranks 0..4 of [1, 2, 3, 4, 10]: p90 at rank 3.6 → 4 + 0.6 × (10 − 4) = 7.6; median at rank 2 → 3.
    assert selectors.percentile([10, 1, 3, 2, 4], 90) == pytest.approx(7.6)
    assert selectors.percentile([10, 1, 3, 2, 4], 50) == 3
    assert selectors.percentile([5.5], 90) == 5.5
    assert selectors.percentile([], 50) is None


def test_the_command_prints_the_figures_ranked_as_json():
    agency, version, other, exp = build()
    out = io.StringIO()
    call_command("procedure_review", agency=agency.short_name, year=2021, stdout=out)
    data = json.loads(out.getvalue())
    rows = {r["code"]: r for r in data["procedures"]}
    assert set(rows) == {version.procedure.code, other.procedure.code}
    row = rows[version.procedure.code]
    assert row["dossiers"] == exp.received
    assert row["late_share"] == round(exp.late / exp.finished, 4)
    assert row["supplement_share"] == round(exp.supplement_dossiers / exp.received, 4)
    assert row["pakn"] == exp.pakn
    assert row["mean_rating"] == round(sum(exp.ratings) / len(exp.ratings), 2)
    # The other procedure has one dossier, nothing late, supplemented, refused, complained about or rated: it
    # ranks below the one with problems.
    assert rows[other.procedure.code]["dossiers"] == 1
    assert row["rank"] == 1 and rows[other.procedure.code]["rank"] == 2
    assert row["cost"] is None  # nothing estimated yet


def test_the_score_is_the_mean_of_the_documented_signals():
    agency, version, _other, exp = build()
    ev = selectors.procedure_evidence(agency=agency, procedure=version.procedure, start=YEAR[0], end=YEAR[1])
    signals = [
        round(exp.late / exp.finished, 4),
        round(exp.supplement_dossiers / exp.received, 4),
        round((exp.refused + exp.rejected) / exp.received, 4),
        min(1.0, exp.pakn / exp.received),
        1 - sum(exp.ratings) / len(exp.ratings) / 18,
    ]
    assert ev.score == round(sum(signals) / 5, 4)


def test_each_figure_links_to_as_many_records_as_it_counts():
    agency, version, _other, exp = build()
    args = {"agency": agency, "procedure": version.procedure, "start": YEAR[0], "end": YEAR[1]}
    counts = {
        "received": exp.received,
        "online": exp.online,
        "finished": exp.finished,
        "late": exp.late,
        "supplement": exp.supplement_dossiers,
        "refused": exp.refused + exp.rejected,
        "pakn": exp.pakn,
        "ratings": len(exp.ratings),
    }
    for key, n in counts.items():
        rec = selectors.figure_records(key=key, **args)
        assert len(rec.rows) == n, key
        assert all(link is not None for link in rec.links)
