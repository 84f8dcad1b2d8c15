"""The digitisation counts (issue 19 item 5) per agency, field and procedure equal a plain computation over the
raw rows (no code of the module), each count links to exactly the records it counts, the Decision 766 indicator
data_reused counts the same reuses, and a second agency's staff get none of the first's figures."""

from collections import defaultdict
from datetime import date

import pytest
from django.utils import timezone

from motcua.dossiers.models import Dossier, DossierFile
from motcua.dossiers.tests.factories import World, make_version
from motcua.dossiers.transitions import dossier_decide, dossier_forward
from motcua.papers.models import PaperReuse
from motcua.papers.services import consent_record, paper_reuse, paper_store_dossier_file
from motcua.papers.tests.conftest import OTHER_APPLICANT, receive_for, receive_with_scan
from motcua.reports.index766.engine import compute
from motcua.reports.index766.periods import parse_period
from motcua.reports.tests.index766_data import ensure_weights

pytestmark = pytest.mark.django_db
PAGE = "/bao-cao/so-hoa/"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _decide(world, dossier, *, electronic: bool):
    dossier = dossier_forward(dossier=dossier, actor=world.boss)
    dossier = dossier_decide(dossier=dossier, actor=world.boss, outcome="approved")
    if electronic:
        DossierFile.objects.create(
            dossier=dossier, kind="result", file=f"t/{dossier.code}.pdf", original_name="kq.pdf", sha256="1" * 64,
            content_type="application/pdf", extension=".pdf", size=1,
        )  # fmt: skip
    return dossier


@pytest.fixture
def records():
    ensure_weights()
    a, b = World(), World()
    # A: d1 digitised + electronic result (finished), d2 electronic result only, d3 scanned but no result.
    d1 = _decide(a, receive_with_scan(a, text="CCCD"), electronic=True)
    _decide(a, receive_for(a, applicant=OTHER_APPLICANT), electronic=True)
    receive_with_scan(a, text="Giấy phép", applicant=OTHER_APPLICANT)
    paper = paper_store_dossier_file(actor=a.officer, file=d1.files.get(digitised=True), valid_from=date(2020, 1, 1))
    # d4 and d5 (same applicant as d1) reuse d1's paper; d5 on another procedure of A.
    d4 = receive_for(a)
    consent_record(actor=a.officer, dossier=d4)
    paper_reuse(actor=a.officer, dossier=d4, paper=paper)
    v2 = make_version(a.agency, units=a.units)
    d5 = receive_for(a, procedure_code=v2.procedure.code)
    consent_record(actor=a.officer, dossier=d5)
    paper_reuse(actor=a.officer, dossier=d5, paper=paper)
    # B: one finished dossier, digitised with an electronic result.
    _decide(b, receive_with_scan(b), electronic=True)
    return a, b, paper, (d4, d5), v2


def plain(agency_ids: set[int], period_key: str):
    """{(agency_id, field, procedure): {measure: n}} from the raw rows."""
    p = parse_period(period_key)
    inside = lambda m: m is not None and p.lo <= m < p.hi  # noqa: E731
    files = defaultdict(list)
    for f in DossierFile.objects.all():
        files[f.dossier_id].append(f)
    reuses = defaultdict(int)
    for r in PaperReuse.objects.all():
        reuses[r.dossier_id] += 1
    out = defaultdict(lambda: defaultdict(int))
    for d in Dossier.objects.select_related("procedure_version__field", "procedure_version__procedure"):
        if d.agency_id not in agency_ids:
            continue
        key = (d.agency_id, d.procedure_version.field.code, d.procedure_version.procedure.code)
        electronic = bool(d.result_file) or any(f.kind == "result" for f in files[d.pk])
        scanned = any(f.kind in ("component", "supplement") and f.digitised for f in files[d.pk])
        if d.status in ("decided", "returned") and inside(d.finished_at):
            out[key]["finished"] += 1
            out[key]["digitised"] += electronic and scanned
            out[key]["electronic_results"] += electronic
        if inside(d.accepted_at):
            out[key]["accepted"] += 1
            out[key]["reused"] += reuses[d.pk] > 0
            out[key]["papers_reused"] += reuses[d.pk]
    return out


def test_counts_equal_the_plain_computation_and_link_to_their_records(records, client):
    a, b, paper, (d4, d5), v2 = records
    year = str(timezone.localdate().year)
    client.force_login(a.leader)
    response = client.get(PAGE, {"agency": a.agency.short_name, "period": year})
    assert response.status_code == 200
    expected = plain({a.agency.pk}, year)
    got = {
        (r["agency"].pk, r["field"], r["procedure"]): {k: v for k, v in r["values"].items() if v}
        for r in response.context["rows"]
    }
    assert got == {k: {m: n for m, n in v.items() if n} for k, v in expected.items()}
    totals = {m: sum(v[m] for v in expected.values()) for m in ("finished", "digitised", "electronic_results", "reused")}
    assert totals == {"finished": 2, "digitised": 1, "electronic_results": 2, "reused": 2}  # the data as built
    assert {r["procedure"] for r in response.context["rows"]} == {a.code, v2.procedure.code}
    codes = ["finished", "digitised", "electronic_results", "accepted", "reused", "papers_reused"]
    assert [v for v, _url in response.context["total"]] == [sum(v[m] for v in expected.values()) for m in codes]

    # Each count's link lists exactly what it counts.
    row = response.context["rows"][0]
    for code, (value, url) in zip(codes, row["cells"], strict=True):
        page = client.get(url)
        assert page.status_code == 200
        assert page.context["page"].paginator.count == value, code
    reused_url = dict(zip(codes, response.context["total"], strict=True))["papers_reused"][1]
    listed = client.get(reused_url)
    assert sorted(r.dossier.code for r in listed.context["page"]) == sorted([d4.code, d5.code])
    assert f'href="/staff/dossiers/{d4.code}/"' in listed.content.decode()

    # The index counts the same reuses through the same rule.
    result = compute(agency=a.agency, period=parse_period(year))
    ind = next(i for g in result["groups"] for i in g["indicators"] if i["code"] == "data_reused")
    accepted = sum(v["accepted"] for v in expected.values())
    assert (ind["earned"], ind["records"]) == (totals["reused"], accepted)


def test_another_agencys_staff_get_none_of_the_figures(records, client):
    a, b, *_ = records
    year = str(timezone.localdate().year)
    client.force_login(b.leader)
    assert client.get(PAGE, {"agency": a.agency.short_name, "period": year}).status_code == 404
    assert client.get(f"{PAGE}{a.agency.short_name}/{year}/reused/").status_code == 404
    own = client.get(PAGE, {"period": year})
    assert {r["agency"].pk for r in own.context["rows"]} == {b.agency.pk}
    assert client.get(PAGE, {"period": "2026-13"}).status_code == 400
    assert client.get(f"{PAGE}{b.agency.short_name}/{year}/nonsense/").status_code == 404


def test_the_cchc_report_states_the_same_counts_and_lists_their_dossiers(records, client):
    from motcua.reports.records import figure_records
    from motcua.reports.selectors import cchc_report

    a, *_ = records
    year = timezone.localdate().year
    expected = plain({a.agency.pk}, str(year))
    total = {m: sum(v[m] for v in expected.values()) for m in ("finished", "digitised", "electronic_results", "accepted")}
    total["reused"] = sum(v["reused"] for v in expected.values())
    figures = {k: (f.value, f.of) for k, f in cchc_report(agency=a.agency, year=year).figures().items()}
    assert figures["digitisation_dossiers"] == (total["digitised"], total["finished"])
    assert figures["digitisation_results"] == (total["electronic_results"], total["finished"])
    assert figures["digitisation_reused"] == (total["reused"], total["accepted"])
    for key in ("digitisation_dossiers", "digitisation_results", "digitisation_reused"):
        assert len(figure_records(agency=a.agency, year=year, key=key).rows) == figures[key][0]
