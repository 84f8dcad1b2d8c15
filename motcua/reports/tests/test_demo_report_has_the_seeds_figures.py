"""The generated 2021 demo report (seed_demo's records: catalog, documents, CCHC) contains every figure
of the seed story, each equal to a count made here from the records, and moves when a record changes:
46/46; 36/46; levels 6, 30, 10; 22 abolished, 25 new, 3 amended; 1.548/4.682; 1.472."""

from datetime import datetime
from io import BytesIO, StringIO
from zoneinfo import ZoneInfo

import pytest
from docx import Document
from pypdf import PdfReader

from motcua.documents import demo as documents_demo
from motcua.reports.cchc import cchc_report_file
from motcua.reports.selectors import cchc_report

from .conftest import TODAY, seed_board
from .test_report_figures_from_records import independent

pytestmark = pytest.mark.django_db
VN = ZoneInfo("Asia/Ho_Chi_Minh")


def _documents_independent(agency):
    """Count the 2021 documents from the rows: fully electronic = no step done on paper; signed = a file
    with an intact and valid signature record."""
    from motcua.documents.models import DocumentStep, IncomingDocument, OutgoingDocument, SignatureRecord

    paper_in = set(DocumentStep.objects.filter(paper=True, incoming__isnull=False).values_list("incoming_id", flat=True))
    paper_out = set(DocumentStep.objects.filter(paper=True, outgoing__isnull=False).values_list("outgoing_id", flat=True))
    signed_in = set(
        SignatureRecord.objects.filter(intact=True, valid=True, file__incoming__isnull=False).values_list(
            "file__incoming_id", flat=True
        )
    )
    signed_out = set(
        SignatureRecord.objects.filter(intact=True, valid=True, file__outgoing__isnull=False).values_list(
            "file__outgoing_id", flat=True
        )
    )
    incoming = [
        pk
        for pk, at in IncomingDocument.objects.filter(register__agency=agency).values_list("pk", "received_at")
        if at.astimezone(VN).year == 2021
    ]
    outgoing = list(
        OutgoingDocument.objects.filter(agency=agency, issued_date__year=2021, number__isnull=False).values_list("pk", flat=True)
    )
    return {
        "total": len(incoming) + len(outgoing),
        "electronic": sum(pk not in paper_in for pk in incoming) + sum(pk not in paper_out for pk in outgoing),
        "signed": sum(pk in signed_in for pk in incoming) + sum(pk in signed_out for pk in outgoing),
    }, incoming


def _text(data_docx: bytes, data_pdf: bytes) -> tuple[str, str]:
    doc = Document(BytesIO(data_docx))
    parts = [p.text for p in doc.paragraphs] + [
        p.text for t in doc.tables for row in t.rows for c in row.cells for p in c.paragraphs
    ]
    pdf = " ".join(" ".join(page.extract_text() for page in PdfReader(BytesIO(data_pdf)).pages).split())
    return "\n".join(parts), pdf


def test_demo_report_has_the_seeds_figures_from_records(db):
    seeded = seed_board()
    documents_demo.seed(agency=seeded, stdout=StringIO())
    report = cchc_report(agency=seeded, year=2021, today=TODAY).figures()
    got = {k: (f.value, f.of) for k, f in report.items()}

    # the seed's figures
    assert got["one_stop"] == (46, 46)
    assert got["cut_20"] == (36, 46)
    assert (got["level_3"][0], got["level_4"][0], got["level_2"][0]) == (6, 30, 10)
    assert (got["decisions_abolished"][0], got["decisions_new"][0], got["decisions_amended"][0]) == (22, 25, 3)
    assert got["documents_electronic"] == (1548, 4682)
    assert got["documents_signed"][0] == 1472

    # each equals an independent count from the records
    counts, incoming = _documents_independent(seeded)
    assert got["documents_electronic"] == (counts["electronic"], counts["total"])
    assert got["documents_signed"][0] == counts["signed"]
    for key, expected in independent(seeded).items():
        assert got[key] == expected, key

    # and they are in the generated files, written the Vietnamese way
    docx = cchc_report_file(agency=seeded, year=2021, fmt="docx", today=TODAY)[0]
    pdf = cchc_report_file(agency=seeded, year=2021, fmt="pdf", today=TODAY)[0]
    for text in _text(docx, pdf):
        for phrase in [
            "46/46 TTHC, đạt 100%",
            "có 6 TTHC cung cấp mức độ 3, 30 TTHC cung cấp mức độ 4, 10 TTHC cung cấp mức độ 2",
            "Bãi bỏ 22 TTHC, công bố mới 25 TTHC, sửa đổi, bổ sung 3 TTHC",
            "Có 36/46 TTHC",
            "Có 1.548/4.682 văn bản đi/đến được xử lý hoàn toàn trên hệ thống điện tử, "
            "trong đó có 1.472 văn bản được áp dụng chữ ký số",
        ]:
            assert phrase in text, phrase

    # a record changes → the figure moves: one electronic incoming document gets a paper step
    from motcua.documents.models import DocumentStep, IncomingDocument

    paper = set(DocumentStep.objects.filter(paper=True, incoming__isnull=False).values_list("incoming_id", flat=True))
    target = IncomingDocument.objects.get(pk=next(pk for pk in incoming if pk not in paper))
    target.steps.create(action="handle", at=datetime(2021, 12, 20, 9, tzinfo=VN), note="In ra giấy để trình ký", paper=True)
    after = cchc_report(agency=seeded, year=2021, today=TODAY).figures()
    assert (after["documents_electronic"].value, after["documents_electronic"].of) == (1547, 4682)
    assert _documents_independent(seeded)[0]["electronic"] == 1547
