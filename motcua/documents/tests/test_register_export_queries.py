"""The register export fetches its rows in chunks with their related rows: the number of queries does not grow with
the number of entries (the 2021 incoming register took 20–26 s when every row cost work of its own)."""

from datetime import date, datetime, timedelta
from io import BytesIO
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from motcua.core import xlsx
from motcua.documents.exports import register_book
from motcua.documents.models import IncomingDocument, OutgoingDocument, OutgoingRecipient

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def _add(register, types, units, start: int, n: int) -> None:
    rows = [
        IncomingDocument(
            register=register,
            year=2021,
            number=i,
            received_at=datetime(2021, 3, 1, 9, tzinfo=VN) + timedelta(hours=i),
            sender=f"Sở {i}",
            doc_type=types["QD"],
            summary=f"Trích yếu {i}",
            lead_unit=units["VP"],
        )
        for i in range(start, start + n)
    ]
    IncomingDocument.objects.bulk_create(rows)
    for doc in IncomingDocument.objects.filter(number__gte=start):
        doc.coordinating_units.add(units["VP"])


def _queries(register) -> int:
    with CaptureQueriesContext(connection) as captured:
        xlsx.to_bytes(register_book(register=register, year=2021))
    return len(captured.captured_queries)


@pytest.mark.django_db
def test_register_export_queries_do_not_grow_with_rows(registers, types, units):
    register = registers["in"]
    _add(register, types, units, 1, 5)
    few = _queries(register)
    _add(register, types, units, 6, 200)
    assert _queries(register) == few
    ws = load_workbook(BytesIO(xlsx.to_bytes(register_book(register=register, year=2021)))).active
    assert ws.max_row == 4 + 205 and ws.cell(row=5 + 204, column=2).value == 205


@pytest.mark.django_db
def test_outgoing_register_book_lists_signer_and_recipients(agency, registers, types, units, leader):
    doc = OutgoingDocument.objects.create(
        agency=agency,
        register=registers["out"],
        doc_type=types["QD"],
        summary="Ban hành quy chế",
        drafting_unit=units["VP"],
        signer=leader,
        year=2021,
        number=7,
        symbol="07/QĐ-BQL",
        issued_date=date(2021, 6, 16),
        status=OutgoingDocument.Status.DISPATCHED,
        dispatched_at=datetime(2021, 6, 17, 9, tzinfo=VN),
    )
    OutgoingRecipient.objects.create(document=doc, name="UBND tỉnh")
    OutgoingRecipient.objects.create(document=doc, name="Sở Nội vụ")
    ws = load_workbook(BytesIO(xlsx.to_bytes(register_book(register=registers["out"], year=2021)))).active
    assert [c.value for c in ws[5]] == [
        "07/QĐ-BQL",
        "16/06/2021",
        "Quyết định: Ban hành quy chế",
        leader.display_name,
        "UBND tỉnh; Sở Nội vụ",
        "VP",
        2,
        "17/06/2021",
        None,
        None,
    ]


@pytest.mark.django_db
def test_text_that_looks_like_a_formula_stays_text(registers, types, units):
    IncomingDocument.objects.create(
        register=registers["in"],
        year=2021,
        number=1,
        received_at=datetime(2021, 3, 1, 9, tzinfo=VN),
        sender='=HYPERLINK("http://evil.example","Mở")',
        doc_type=types["QD"],
        summary="http://x.example",
    )
    data = xlsx.to_bytes(register_book(register=registers["in"], year=2021))
    ws = load_workbook(BytesIO(data)).active
    assert ws.cell(row=5, column=3).value == '=HYPERLINK("http://evil.example","Mở")'
    assert ws.cell(row=5, column=3).data_type == "s" and not ws.cell(row=5, column=6).hyperlink
