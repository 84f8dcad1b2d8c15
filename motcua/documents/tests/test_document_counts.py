"""document_counts() equals an independent recomputation (plain Python over the stored records), and
the dashboard page shows the same figures."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from motcua.documents import services, signing
from motcua.documents.models import IncomingDocument, OutgoingDocument
from motcua.documents.samples import one_page_pdf
from motcua.documents.selectors import ISSUED_STATUSES, document_counts

from .conftest import PASS_ENV_LEADER

VN = ZoneInfo("Asia/Ho_Chi_Minh")
START, END = date(2021, 1, 1), date(2021, 12, 31)


def recompute(agency, start, end):
    docs = []
    for doc in IncomingDocument.objects.all():
        if doc.register.agency_id == agency.pk and start <= doc.received_at.astimezone(VN).date() <= end:
            docs.append(("in", doc))
    for doc in OutgoingDocument.objects.all():
        if doc.agency_id == agency.pk and doc.status in ISSUED_STATUSES and start <= doc.issued_date <= end:
            docs.append(("out", doc))
    electronic = sum(1 for _, d in docs if not any(step.paper for step in d.steps.all()))
    signed = sum(1 for _, d in docs if any(s.intact and s.valid for f in d.files.all() for s in f.signatures.all()))
    return {
        "total": len(docs),
        "incoming": sum(1 for k, _ in docs if k == "in"),
        "outgoing": sum(1 for k, _ in docs if k == "out"),
        "fully_electronic": electronic,
        "digitally_signed": signed,
    }


@pytest.fixture
def mixed(clerk, leader, specialist, registers, types, units, identities, other_agency):
    signer = signing.load_signer(identities.leader_p12, passphrase_env=PASS_ENV_LEADER)
    signed = signing.sign_pdf_bytes(one_page_pdf(), signer=signer)
    broken = signed.replace(b"/CreationDate (D:2", b"/CreationDate (D:1", 1)
    t = datetime(2021, 4, 5, 9, tzinfo=VN)

    def receive(**kw):
        kw.setdefault("register", registers["in"])
        return services.incoming_register(
            actor=clerk, sender="UBND tỉnh", doc_type=types["CV"], summary="Văn bản", received_at=kw.pop("at", t), **kw
        )

    receive(files=[("a.pdf", signed)])  # electronic, signed
    receive(files=[("b.pdf", signed), ("c.pdf", one_page_pdf())])  # electronic, signed
    receive(files=[("d.pdf", one_page_pdf())])  # electronic, unsigned
    receive(is_electronic=False)  # paper
    doc = receive(files=[("e.pdf", broken)])  # electronic, broken signature
    services.incoming_assign(actor=leader, document=doc, lead_unit=units["QLĐT"])
    services.incoming_record_handling(actor=specialist, document=doc, note="Trình ký giấy", paper=True)  # a paper step
    receive(at=datetime(2020, 12, 31, 23, 30, tzinfo=VN), files=[("f.pdf", signed)])  # before the period
    receive(at=datetime(2022, 1, 1, 0, 10, tzinfo=VN))  # after the period
    # outgoing: one fully electronic and signed, one signed on paper, one draft (not counted)
    for digital in (True, False):
        out = services.outgoing_create_draft(
            actor=specialist,
            register=registers["out"],
            doc_type=types["TB"],
            summary="Thông báo",
            files=[("tb.pdf", one_page_pdf())],
            recipients=[{"agency": other_agency}],
        )
        services.outgoing_submit(actor=specialist, document=out)
        services.outgoing_approve(actor=leader, document=out, digital=digital)
        services.outgoing_number(actor=clerk, document=out, issued_date=date(2021, 6, 1))
    services.outgoing_create_draft(actor=specialist, register=registers["out"], doc_type=types["TB"], summary="Nháp")


@pytest.mark.django_db
def test_counts_equal_independent_recomputation(mixed, agency):
    counts = document_counts(agency=agency, start=START, end=END)
    assert counts == recompute(agency, START, END)
    # and the expected figures, worked out by hand from the fixture
    assert counts == {"total": 7, "incoming": 5, "outgoing": 2, "fully_electronic": 4, "digitally_signed": 3}


@pytest.mark.django_db
def test_other_periods_and_agencies(mixed, agency, other_agency):
    for start, end in [
        (date(2020, 1, 1), date(2020, 12, 31)),
        (date(2022, 1, 1), date(2022, 12, 31)),
        (date(2021, 4, 5), date(2021, 4, 5)),
    ]:
        assert document_counts(agency=agency, start=start, end=end) == recompute(agency, start, end)
    assert document_counts(agency=other_agency, start=START, end=END) == recompute(other_agency, START, END)


@pytest.mark.django_db
def test_dashboard_shows_the_counts(mixed, agency, client, clerk):
    client.force_login(clerk)
    response = client.get("/staff/van-ban/", {"start": "2021-01-01", "end": "2021-12-31"})
    assert response.status_code == 200
    html = response.content.decode()
    expected = recompute(agency, START, END)
    assert f'id="count-total">{expected["total"]}<' in html
    assert f'id="count-incoming">{expected["incoming"]}<' in html
    assert f'id="count-fully-electronic">{expected["fully_electronic"]}/{expected["total"]}<' in html
    assert f'id="count-digitally-signed">{expected["digitally_signed"]}<' in html
