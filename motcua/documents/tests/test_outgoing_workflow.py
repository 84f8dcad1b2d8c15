"""Outgoing: draft → review → leader signs → clerk numbers → agency signature → dispatch (internal
recipients get it in their incoming register, signatures verified on arrival) → archive."""

import pytest

from motcua.core.errors import PermissionDeniedError, TransitionNotAllowed, ValidationFailed
from motcua.core.models import AuditLog
from motcua.documents import services, signing
from motcua.documents.models import DocumentFile, IncomingDocument, OutgoingDocument
from motcua.documents.samples import one_page_pdf
from motcua.documents.selectors import incoming_with_flags, outgoing_with_flags

S = OutgoingDocument.Status


@pytest.fixture
def draft(specialist, registers, types, units, other_agency):
    return services.outgoing_create_draft(
        actor=specialist,
        register=registers["out"],
        doc_type=types["CV"],
        summary="V/v triển khai chữ ký số",
        drafting_unit=units["QLĐT"],
        recipients=[{"agency": other_agency}, {"name": "Công ty TNHH A"}],
        files=[("cong-van.pdf", one_page_pdf()), ("phu-luc.pdf", one_page_pdf(summary="Phụ lục"))],
    )


@pytest.mark.django_db
def test_full_electronic_workflow(draft, specialist, leader, clerk, identities, other_agency):
    services.outgoing_submit(actor=specialist, document=draft)
    doc = services.outgoing_approve(actor=leader, document=draft)
    main = doc.files.get(kind=DocumentFile.Kind.MAIN)
    assert [(s.signer, s.intact, s.valid, s.trusted, s.applied_here) for s in main.signatures.all()] == [
        ("Lê Quang Hưng", True, True, True, True)
    ]
    doc = services.outgoing_number(actor=clerk, document=doc)
    assert doc.symbol == "01/BQL-QLĐT" and doc.status == S.NUMBERED
    doc = services.outgoing_seal(actor=clerk, document=doc)
    main.refresh_from_db()
    signers = [s.signer for s in main.signatures.order_by("id")]
    assert signers == ["Lê Quang Hưng", "Ban Quản lý Khu kinh tế tỉnh"]
    assert all(s.intact and s.valid and s.trusted for s in main.signatures.all())
    attachment = doc.files.get(kind=DocumentFile.Kind.ATTACHMENT)
    assert [s.signer for s in attachment.signatures.all()] == ["Ban Quản lý Khu kinh tế tỉnh"]
    # the stored file really is the signed one
    with main.file.open("rb") as fh:
        assert len(signing.verify_pdf_bytes(fh.read())) == 2

    doc = services.outgoing_dispatch(actor=clerk, document=doc)
    assert doc.status == S.DISPATCHED
    received = IncomingDocument.objects.get(register__agency=other_agency)
    assert (received.sender_symbol, received.number, received.source_outgoing_id) == ("01/BQL-QLĐT", 1, doc.pk)
    rec_main = received.files.get(kind=DocumentFile.Kind.MAIN)
    assert rec_main.sha256 == main.sha256
    assert rec_main.signatures.count() == 2 and all(s.intact and s.valid and s.trusted for s in rec_main.signatures.all())
    assert incoming_with_flags().get(pk=received.pk).fully_electronic
    doc = services.outgoing_archive(actor=clerk, document=doc)
    flags = outgoing_with_flags().get(pk=doc.pk)
    assert flags.fully_electronic and flags.digitally_signed
    actions = list(
        AuditLog.objects.filter(object_type="documents.outgoingdocument", object_id=str(doc.pk)).values_list("action", flat=True)
    )
    assert actions == [
        "outgoing_document.create",
        "outgoing_document.submit",
        "outgoing_document.approve",
        "outgoing_document.number",
        "outgoing_document.seal",
        "outgoing_document.dispatch",
        "outgoing_document.archive",
    ]


@pytest.mark.django_db
def test_paper_signature_makes_document_not_fully_electronic(draft, specialist, leader, clerk):
    services.outgoing_submit(actor=specialist, document=draft)
    services.outgoing_approve(actor=leader, document=draft, digital=False)
    flags = outgoing_with_flags().get(pk=draft.pk)
    assert not flags.fully_electronic and not flags.digitally_signed


@pytest.mark.django_db
def test_transitions_and_roles_are_checked(draft, specialist, leader, clerk):
    with pytest.raises(TransitionNotAllowed):
        services.outgoing_number(actor=clerk, document=draft)
    with pytest.raises(PermissionDeniedError):
        services.outgoing_approve(actor=clerk, document=draft)
    services.outgoing_submit(actor=specialist, document=draft)
    with pytest.raises(PermissionDeniedError):
        services.outgoing_approve(actor=specialist, document=draft, digital=False)
    draft.refresh_from_db()
    assert draft.status == S.IN_REVIEW and draft.number is None


@pytest.mark.django_db
def test_failed_signing_leaves_no_number_used(draft, specialist, leader, clerk, registers, monkeypatch):
    """Digital approval without a configured certificate fails and changes nothing."""
    services.outgoing_submit(actor=specialist, document=draft)
    with pytest.raises(ValidationFailed):
        services.outgoing_approve(actor=leader, document=draft)
    draft.refresh_from_db()
    assert draft.status == S.IN_REVIEW
