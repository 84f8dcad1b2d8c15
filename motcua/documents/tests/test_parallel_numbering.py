"""50 numberings at the same time, each thread on its own PostgreSQL connection: no duplicate, no gap."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connections

from motcua.core.models import Agency, Unit
from motcua.core.roles import Role
from motcua.core.testing import make_staff, pdf_bytes, requires_postgres, run_at_once
from motcua.core.transitions import SYSTEM
from motcua.documents import services
from motcua.documents.models import DocumentType, IncomingDocument, OutgoingDocument, RegisterCounter, RegisterKind

N = 50


@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_fifty_parallel_numberings_without_duplicate_or_gap():
    agency = Agency.objects.create(name="Ban Quản lý Khu kinh tế tỉnh", short_name="BQL", code="H15.50")
    register = services.register_create(actor=SYSTEM, agency=agency, kind=RegisterKind.INCOMING, name="Sổ văn bản đến")
    doc_type, _ = DocumentType.objects.get_or_create(code="CV", defaults={"name": "Công văn", "is_official_letter": True})
    when = datetime(2021, 6, 1, 9, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    errors, backends = run_at_once(
        N,
        lambda i: services.incoming_register(
            actor=SYSTEM,
            register=register,
            sender=f"Nơi gửi {i}",
            doc_type=doc_type,
            summary=f"Văn bản {i}",
            received_at=when,
            is_electronic=True,
        ),
    )
    assert errors == []
    assert backends == N  # really N connections at once
    numbers = sorted(IncomingDocument.objects.filter(register=register, year=2021).values_list("number", flat=True))
    assert numbers == list(range(1, N + 1))
    assert RegisterCounter.objects.get(register=register, year=2021).last_number == N


@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_fifty_parallel_outgoing_numberings_give_distinct_symbols():
    agency = Agency.objects.create(name="Ban Quản lý Khu kinh tế tỉnh", short_name="BQL", code="H15.50")
    unit = Unit.objects.create(agency=agency, name="Văn phòng", short_name="VP")
    clerk = make_staff("vt", Role.CLERK, unit=unit)
    leader = make_staff("ld", Role.LEADER, unit=unit)
    register = services.register_create(actor=SYSTEM, agency=agency, kind=RegisterKind.OUTGOING, name="Sổ văn bản đi")
    doc_type, _ = DocumentType.objects.get_or_create(code="CV", defaults={"name": "Công văn", "is_official_letter": True})
    docs = []
    for i in range(N):
        doc = services.outgoing_create_draft(
            actor=clerk,
            register=register,
            doc_type=doc_type,
            summary=f"Công văn {i}",
            drafting_unit=unit,
            is_electronic=False,
            files=[("cv.pdf", pdf_bytes(1))],
        )
        services.outgoing_submit(actor=clerk, document=doc)
        docs.append(services.outgoing_approve(actor=leader, document=doc, digital=False))
    connections.close_all()
    errors, _ = run_at_once(N, lambda i: services.outgoing_number(actor=clerk, document=docs[i], issued_date=date(2021, 9, 23)))
    assert errors == []
    rows = list(OutgoingDocument.objects.filter(register=register).values_list("number", "symbol"))
    assert sorted(n for n, _ in rows) == list(range(1, N + 1))
    assert sorted(s for _, s in rows) == sorted(f"{n:02d}/BQL-VP" for n in range(1, N + 1))
