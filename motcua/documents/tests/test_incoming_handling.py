"""Incoming: signatures verified and stored on arrival; the leader assigns lead and coordinating units
and a deadline; units record handling; the document is closed with its outcome."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from motcua.core.errors import TransitionNotAllowed, ValidationFailed
from motcua.documents import services, signing
from motcua.documents.models import IncomingDocument
from motcua.documents.samples import one_page_pdf
from motcua.documents.selectors import incoming_for_unit, incoming_present_by, incoming_with_flags

from .conftest import PASS_ENV_LEADER

VN = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.mark.django_db
def test_signatures_verified_on_arrival_and_stored(clerk, registers, types, pki_env):
    signer = signing.load_signer(pki_env.leader_p12, passphrase_env=PASS_ENV_LEADER)
    signed = signing.sign_pdf_bytes(one_page_pdf(), signer=signer)
    tampered = signed.replace(b"/CreationDate (D:2", b"/CreationDate (D:1", 1)
    doc = services.incoming_register(
        actor=clerk,
        register=registers["in"],
        sender="UBND tỉnh",
        doc_type=types["QD"],
        summary="Quyết định công bố TTHC",
        files=[("qd.pdf", signed), ("qd-sua.pdf", tampered)],
    )
    good, bad = doc.files.order_by("id")
    [g] = good.signatures.all()
    assert (g.signer, g.intact, g.valid, g.trusted) == ("Lê Quang Hưng", True, True, True)
    assert g.signed_at is not None and good.verified_at is not None
    [b] = bad.signatures.all()
    assert (b.intact, b.valid) == (False, False)
    assert incoming_with_flags().get(pk=doc.pk).digitally_signed  # one valid signed file is enough


@pytest.mark.django_db
def test_unsigned_paper_document_has_no_signature_and_paper_step(clerk, registers, types):
    doc = services.incoming_register(
        actor=clerk, register=registers["in"], sender="Công ty A", doc_type=types["CV"], summary="Đề nghị", is_electronic=False
    )
    flags = incoming_with_flags().get(pk=doc.pk)
    assert not flags.fully_electronic and not flags.digitally_signed


@pytest.mark.django_db
def test_assign_handle_close(clerk, leader, specialist, registers, types, units):
    doc = services.incoming_register(
        actor=clerk,
        register=registers["in"],
        sender="Sở Xây dựng",
        doc_type=types["CV"],
        summary="Góp ý quy hoạch",
        received_at=datetime(2021, 5, 10, 9, tzinfo=VN),
    )
    with pytest.raises(TransitionNotAllowed):
        services.incoming_close(actor=specialist, document=doc, outcome="Xong")
    with pytest.raises(ValidationFailed):
        services.incoming_assign(actor=leader, document=doc, lead_unit=units["QLĐT"], deadline=date(2021, 5, 1))
    services.incoming_assign(
        actor=leader,
        document=doc,
        lead_unit=units["QLĐT"],
        coordinating_units=[units["QLDN"], units["QLĐT"]],
        deadline=date(2021, 5, 17),
        note="Tham mưu trả lời",
    )
    doc.refresh_from_db()
    assert doc.status == IncomingDocument.Status.ASSIGNED and doc.lead_unit == units["QLĐT"]
    assert list(doc.coordinating_units.all()) == [units["QLDN"]]
    assert list(incoming_for_unit(unit=units["QLDN"])) == [doc]
    services.incoming_record_handling(actor=specialist, document=doc, note="Đã dự thảo văn bản trả lời")
    services.incoming_close(actor=specialist, document=doc, outcome="Đã trả lời bằng Công văn 12/BQL-QLĐT")
    doc.refresh_from_db()
    assert doc.status == IncomingDocument.Status.CLOSED and doc.outcome.startswith("Đã trả lời")
    assert list(doc.steps.values_list("action", flat=True)) == ["register", "assign", "handle", "close"]
    assert incoming_with_flags().get(pk=doc.pk).fully_electronic


@pytest.mark.django_db
def test_file_over_the_upload_limit_is_refused(clerk, registers, types, settings):
    settings.MOTCUA_MAX_UPLOAD_BYTES = 1000
    with pytest.raises(ValidationFailed):
        services.incoming_register(
            actor=clerk,
            register=registers["in"],
            sender="A",
            doc_type=types["CV"],
            summary="B",
            files=[("big.pdf", b"%PDF" + b"0" * 2000)],
        )
    assert IncomingDocument.objects.count() == 0


@pytest.mark.django_db
def test_present_to_leader_by_next_working_day(clerk, registers, types, client):
    friday = services.incoming_register(
        actor=clerk,
        register=registers["in"],
        sender="A",
        doc_type=types["CV"],
        summary="B",
        received_at=datetime(2021, 9, 24, 16, tzinfo=VN),
    )
    assert incoming_present_by(friday) == date(2021, 9, 27)  # Friday → Monday
    client.force_login(clerk)
    assert 'id="present-by"' in client.get(f"/staff/van-ban/den/{friday.pk}/").content.decode()
