"""Issue 20 item 4: the periodic report form (Biểu số 06/VPCP/KSTT, Circular 01/2020/TT-VPCP) recomputed
independently from the raw dossier and pause rows — plain Python, no statistics code — equals the generated form by
field, by agency and in total, in the XLSX and the DOCX too; the CCHC report's one-stop figures are the same table's;
a second agency's staff get no report of the first; sending makes a signed outgoing document that reaches the agency
above in its incoming register."""

import io
import os
import tempfile
from collections import defaultdict
from datetime import date

import pytest
from django.test import override_settings
from docx import Document
from openpyxl import load_workbook

from motcua.core.errors import ValidationFailed
from motcua.core.models import AuditLog
from motcua.core.roles import Role
from motcua.core.testing import make_staff
from motcua.core.transitions import SYSTEM
from motcua.documents import services as documents
from motcua.documents import signing
from motcua.documents.models import DocumentFile, IncomingDocument, OutgoingDocument
from motcua.documents.testpki import create_test_pki
from motcua.dossiers.models import FINISHED_STATUSES, Dossier, Pause
from motcua.dossiers.tests.factories import World
from motcua.reports.index766.periods import parse_period
from motcua.reports.periodic import FORM_KEYS, periodic_report, report_file, report_period
from motcua.reports.periodic_services import periodic_report_send
from motcua.reports.selectors import cchc_report

from .index766_data import NOW, build
from .test_index766_matches_a_plain_computation import tree

pytestmark = pytest.mark.django_db


@pytest.fixture
def data():
    return build()


def plain_form(agency, key: str, now) -> tuple[dict, dict, dict]:
    """(total, by field name, by agency name) of the form's columns 3–13, from the raw rows."""
    period = parse_period(key)
    lo, hi = period.lo, period.hi
    judged = min(now, hi)
    ids = tree(agency)
    paused_at_end = {p.dossier_id for p in Pause.objects.all() if p.started_at < hi and (p.ended_at is None or p.ended_at >= hi)}
    total = defaultdict(int)
    by_field: dict[str, dict] = defaultdict(lambda: defaultdict(int))
    by_agency: dict[str, dict] = defaultdict(lambda: defaultdict(int))
    for d in Dossier.objects.select_related("procedure_version__field", "agency"):
        if d.agency_id not in ids or d.accepted_at is None or d.accepted_at >= hi:
            continue
        if d.finished_at is not None and d.finished_at < lo:
            continue
        c = defaultdict(int)
        c["received"] = 1
        if d.accepted_at < lo:
            c["carried_over"] = 1
        elif d.channel == "online":
            c["received_online"] = 1
        else:  # at the counter or by post
            c["received_direct"] = 1
        if d.finished_at is not None and d.finished_at < hi:
            c["finished"] = 1
            if d.status not in FINISHED_STATUSES:  # withdrawn, refused, stopped: done with, counted on time
                c["finished_on_time"] = 1
            else:
                c[{"early": "finished_early", "on_time": "finished_on_time", "late": "finished_late"}[d.timeliness]] = 1
        else:
            c["processing"] = 1
            if d.pk in paused_at_end or d.due_at is None or d.due_at >= judged:
                c["processing_within"] = 1
            else:
                c["processing_late"] = 1
        for k, v in c.items():
            total[k] += v
            by_field[d.procedure_version.field.name][k] += v
            by_agency[d.agency.name][k] += v
    full = lambda m: {k: m.get(k, 0) for k in FORM_KEYS}  # noqa: E731
    return full(total), {n: full(m) for n, m in by_field.items()}, {n: full(m) for n, m in by_agency.items()}


@pytest.mark.parametrize("key", ["2026-Q1", "2026-H1", "2026"])
def test_the_form_equals_the_plain_count_of_the_records(data, key):
    report = periodic_report(agency=data.a.agency, period=parse_period(key), now=NOW)
    total, by_field, by_agency = plain_form(data.a.agency, key, NOW)
    assert total["received"] > 0 and total["finished"] > 0
    assert report.total == total
    assert {r.label: r.values for r in report.by_field} == by_field
    assert {r.label: r.values for r in report.by_agency} == by_agency
    # the form balances: received = handled + still being handled
    assert total["received"] == total["finished"] + total["processing"]


def test_the_xlsx_and_docx_carry_the_same_figures(data):
    report = periodic_report(agency=data.a.agency, period=parse_period("2026-Q1"), now=NOW)
    total, _f, by_agency = plain_form(data.a.agency, "2026-Q1", NOW)
    xlsx, content_type, name = report_file(report, "xlsx")
    assert name.endswith("-2026-q1.xlsx") and "spreadsheetml" in content_type
    wb = load_workbook(io.BytesIO(xlsx), read_only=True)
    sheet = list(wb.worksheets[0].iter_rows(values_only=True))
    total_row = next(r for r in sheet if r[1] == "Tổng cộng")
    assert list(total_row[2:]) == [total[k] for k in FORM_KEYS]
    agencies = {r[1]: list(r[2:]) for r in wb.worksheets[1].iter_rows(values_only=True) if isinstance(r[0], int)}
    assert agencies == {n: [v[k] for k in FORM_KEYS] for n, v in by_agency.items()}

    docx, _t, _n = report_file(report, "docx")
    table = Document(io.BytesIO(docx)).tables
    cells = next([c.text for c in row.cells] for t in table for row in t.rows if row.cells[1].text == "Tổng cộng")
    assert cells[2:] == [str(total[k]) for k in FORM_KEYS]
    assert report_file(report, "pdf")[0].startswith(b"%PDF")


def test_the_cchc_reports_one_stop_figures_are_the_same_table(data):
    year = 2026
    report = periodic_report(agency=data.a.agency, period=parse_period(str(year)), now=NOW)
    figures = cchc_report(agency=data.a.agency, year=year, today=date(2026, 12, 8)).figures()
    desk = report.desk_total
    assert (
        figures["dossiers_received"].value
        == desk["new_total"]
        == report.total["received_online"] + report.total["received_direct"]
    )
    assert figures["dossiers_online"].value == report.total["received_online"]
    assert (figures["dossiers_on_time"].value, figures["dossiers_on_time"].of) == (
        desk["finished_early"] + desk["finished_on_time"],
        desk["finished_total"],
    )


def test_only_quarters_halves_and_years_that_have_started(data):
    for bad in ("2026-03", "2026-Q5", "abc", "2099", "1999-Q1"):
        with pytest.raises(ValidationFailed):
            report_period(bad, today=date(2026, 12, 8))
    assert report_period("2026-Q4", today=date(2026, 12, 8)).kind == "quarter"


def test_pages_tenancy_a_second_agencys_staff_get_nothing(client, data):
    a = data.a.agency.short_name
    client.force_login(data.a.leader)
    page = client.get(f"/bao-cao/dinh-ky/{a}/2026-Q1/")
    assert page.status_code == 200
    assert client.get(f"/bao-cao/dinh-ky/{a}/2026-Q1/tai-ve.xlsx").status_code == 200
    assert client.get(f"/bao-cao/dinh-ky/{a}/2026-Q1/tai-ve.docx").status_code == 200
    assert client.get(f"/bao-cao/dinh-ky/{a}/2026-03/").status_code == 400
    assert client.get(f"/bao-cao/dinh-ky/{a}/2026-Q1/tai-ve.exe").status_code == 400

    other = World()
    for user in (other.leader, data.b.leader):  # another agency; the agency below A does not read A
        client.force_login(user)
        assert client.get(f"/bao-cao/dinh-ky/{a}/2026-Q1/").status_code == 404
        assert client.get(f"/bao-cao/dinh-ky/{a}/2026-Q1/tai-ve.xlsx").status_code == 404
        assert client.post(f"/bao-cao/dinh-ky/{a}/2026-Q1/gui/").status_code == 404
    assert OutgoingDocument.objects.count() == 0
    client.force_login(make_staff("motcua-dinhky", Role.ONE_STOP_OFFICER, unit=data.a.units["MC"]))
    assert client.post(f"/bao-cao/dinh-ky/{a}/2026-Q1/gui/").status_code == 403


def test_sending_signs_it_and_it_reaches_the_agency_above(data):
    b = data.b
    with tempfile.TemporaryDirectory() as folder, override_settings(MEDIA_ROOT=folder + "/media"):
        pki = create_test_pki(folder + "/pki")
        p12 = pki.issue("Trần Văn Bình", passphrase="b-pass", filename="b.p12")
        documents.signing_identity_set(
            actor=SYSTEM, agency=b.agency, user=b.leader, pkcs12_path=str(p12), passphrase_env="MOTCUA_TEST_PERIODIC_B"
        )
        os.environ["MOTCUA_TEST_PERIODIC_B"] = "b-pass"
        try:
            doc = periodic_report_send(actor=b.leader, agency=b.agency, period=parse_period("2026-Q1"))
        finally:
            del os.environ["MOTCUA_TEST_PERIODIC_B"]
        assert doc.status == OutgoingDocument.Status.APPROVED and doc.signer == b.leader
        main = doc.files.get(kind=DocumentFile.Kind.MAIN)
        roots = signing.load_certificates([pki.ca_pem])
        results = signing.verify_pdf_bytes(main.file.open("rb").read(), trust_roots=roots)
        assert len(results) == 1 and results[0].intact and results[0].valid and results[0].trusted
        assert sorted(f.name.rsplit(".", 1)[1] for f in doc.files.all()) == ["docx", "pdf", "xlsx"]
        assert [r.agency for r in doc.recipients.all()] == [data.a.agency]
        entry = AuditLog.objects.filter(action="reports.periodic.send").get()
        total, _f, _a = plain_form(b.agency, "2026-Q1", NOW)
        assert entry.changes["figures"]["received"] == total["received"]

        clerk = b.clerk
        documents.outgoing_number(actor=clerk, document=doc)
        documents.outgoing_seal(actor=clerk, document=doc, digital=False)
        documents.outgoing_dispatch(actor=clerk, document=doc, roots=roots)
        arrived = IncomingDocument.objects.get(source_outgoing=doc)
        assert arrived.register.agency == data.a.agency


def test_sending_without_a_signing_key_keeps_nothing(data):
    with pytest.raises(ValidationFailed):  # the leader has no personal signing key
        periodic_report_send(actor=data.b.leader, agency=data.b.agency, period=parse_period("2026-Q1"))
    assert OutgoingDocument.objects.count() == 0
    assert not AuditLog.objects.filter(action="reports.periodic.send").exists()
