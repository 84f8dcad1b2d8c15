"""Writes of the documents app: registering incoming documents, the outgoing workflow, numbering,
signing and verification. Each function is one transaction that checks the transition is allowed,
changes state, logs a DocumentStep and writes the audit entry last."""

from __future__ import annotations

import hashlib
import mimetypes
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.core import uploads
from motcua.core.errors import ValidationFailed
from motcua.core.models import Agency, Unit, User
from motcua.core.roles import Role
from motcua.core.services import audit_record
from motcua.core.transitions import SYSTEM, Actor, StateMachine, System, Transition, require_actor

from . import signing
from .models import (
    Confidentiality,
    DocumentFile,
    DocumentStep,
    DocumentType,
    IncomingDocument,
    OutgoingDocument,
    OutgoingRecipient,
    Register,
    RegisterCounter,
    RegisterKind,
    SignatureRecord,
    SigningIdentity,
    Urgency,
)
from .selectors import agency_seal_identity, identity_signer, person_signing_identity


@dataclass
class FileInput:
    name: str
    data: bytes
    kind: str = DocumentFile.Kind.MAIN


def _as_files(files) -> list[FileInput]:
    """Accept FileInput objects, (name, bytes) pairs or Django UploadedFile objects."""
    result = []
    for index, item in enumerate(files or []):
        if isinstance(item, FileInput):
            result.append(item)
        elif isinstance(item, tuple):
            name, data, *rest = item
            result.append(
                FileInput(
                    name, data, rest[0] if rest else (DocumentFile.Kind.MAIN if index == 0 else DocumentFile.Kind.ATTACHMENT)
                )
            )
        else:  # UploadedFile
            result.append(
                FileInput(item.name, item.read(), DocumentFile.Kind.MAIN if index == 0 else DocumentFile.Kind.ATTACHMENT)
            )
    _check_files(result)
    return result


def _check_files(items: list[FileInput]) -> None:
    """The one upload policy (motcua.core.uploads): type by content, parsed, size, no embedded executable."""
    refused = []
    for item in items:
        try:
            uploads.bytes_check(item.name, item.data, types=uploads.STAFF_TYPES)
        except uploads.UploadRejected as exc:
            refused.append(str(exc))
    if refused:
        raise ValidationFailed(fields={"files": refused})


# The lifecycles (core.transitions): who may take each step, and from which statuses. NEW is the state
# before the record exists: registering an incoming document and drafting an outgoing one start there.
NEW = ""
S = OutgoingDocument.Status
DRAFTERS = (Role.SPECIALIST, Role.CLERK, Role.LEADER)

INCOMING = StateMachine(
    {
        "register": Transition(frozenset({NEW}), (Role.CLERK,), label=gettext_lazy("vào sổ văn bản đến")),
        "assign": Transition(
            frozenset({IncomingDocument.Status.REGISTERED, IncomingDocument.Status.ASSIGNED}),
            (Role.LEADER,),
            label=gettext_lazy("phân công xử lý"),
        ),
        "handle": Transition(
            frozenset({IncomingDocument.Status.ASSIGNED}),
            (Role.SPECIALIST, Role.LEADER, Role.CLERK),
            label=gettext_lazy("ghi nhận xử lý"),
        ),
        "close": Transition(
            frozenset({IncomingDocument.Status.ASSIGNED}), (Role.SPECIALIST, Role.LEADER), label=gettext_lazy("kết thúc xử lý")
        ),
    },
    lambda status: IncomingDocument.Status(status).label,
    subject=gettext_lazy("văn bản đến"),
)

OUTGOING = StateMachine(
    {
        "draft": Transition(frozenset({NEW}), DRAFTERS, label=gettext_lazy("soạn dự thảo")),
        "submit": Transition(frozenset({S.DRAFT}), DRAFTERS, label=gettext_lazy("trình duyệt")),
        "return": Transition(frozenset({S.IN_REVIEW}), (Role.LEADER,), label=gettext_lazy("trả lại để sửa")),
        "approve": Transition(frozenset({S.IN_REVIEW}), (Role.LEADER,), label=gettext_lazy("duyệt và ký")),
        "number": Transition(frozenset({S.APPROVED}), (Role.CLERK,), label=gettext_lazy("cấp số")),
        "seal": Transition(frozenset({S.NUMBERED}), (Role.CLERK,), label=gettext_lazy("ký số của cơ quan (đóng dấu)")),
        "dispatch": Transition(frozenset({S.SEALED}), (Role.CLERK,), label=gettext_lazy("phát hành")),
        "archive": Transition(frozenset({S.DISPATCHED}), (Role.CLERK,), label=gettext_lazy("lưu văn bản")),
    },
    lambda status: S(status).label,
    subject=gettext_lazy("văn bản đi"),
)


def _staff(actor: Actor) -> User | None:
    """The staff member behind an action, for the "by" fields and steps (none for SYSTEM)."""
    return actor if isinstance(actor, User) else None


def _unit_of(actor: Actor) -> Unit | None:
    staff = _staff(actor)
    return staff.unit if staff is not None else None


def _step(
    *,
    document,
    action: str,
    actor: Actor,
    note: str = "",
    paper: bool = False,
    unit: Unit | None = None,
    at: datetime | None = None,
) -> DocumentStep:
    kwargs = {"incoming": document} if isinstance(document, IncomingDocument) else {"outgoing": document}
    return DocumentStep.objects.create(
        action=action, actor=_staff(actor), note=note, paper=paper, unit=unit, at=at or timezone.now(), **kwargs
    )


# --- registers and numbering ---------------------------------------------------------------------


def register_create(*, actor: User | System, agency: Agency, kind: str, name: str, is_secret: bool = False) -> Register:
    require_actor(actor)
    if kind not in RegisterKind.values:
        raise ValidationFailed(fields={"kind": [_("Loại sổ không hợp lệ.")]})
    with transaction.atomic():
        if Register.objects.filter(agency=agency, kind=kind, name=name).exists():
            raise ValidationFailed(fields={"name": [_("Tên sổ đã được dùng.")]})
        register = Register.objects.create(agency=agency, kind=kind, name=name, is_secret=is_secret)
        audit_record(actor=actor, action="document_register.create", obj=register, changes={"kind": kind, "is_secret": is_secret})
    return register


def register_next_number(*, register: Register, year: int) -> int:
    """The next number of `register` in `year` (1 for the first document of the year). Must run inside
    the caller's transaction: the counter row stays locked until it commits, so concurrent callers
    wait and numbers have neither gaps nor duplicates; a rollback gives the number back."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("register_next_number must be called inside transaction.atomic()")
    RegisterCounter.objects.get_or_create(register=register, year=year)
    counter = RegisterCounter.objects.select_for_update().get(register=register, year=year)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return counter.last_number


def _check_register(register: Register, *, kind: str, confidentiality: str) -> None:
    if register.kind != kind:
        raise ValidationFailed(fields={"register": [_("Sổ không đúng loại (văn bản đi/đến).")]})
    if not register.is_active:
        raise ValidationFailed(fields={"register": [_("Sổ đã ngừng sử dụng.")]})
    secret = confidentiality != Confidentiality.NORMAL
    if secret and not register.is_secret:
        raise ValidationFailed(fields={"register": [_("Văn bản mật phải đăng ký vào sổ văn bản mật (hệ thống số riêng).")]})
    if register.is_secret and not secret:
        raise ValidationFailed(fields={"register": [_("Sổ văn bản mật chỉ dùng cho văn bản có độ mật.")]})


def local_year(moment: datetime | date) -> int:
    if isinstance(moment, datetime):
        return timezone.localtime(moment).year if timezone.is_aware(moment) else moment.year
    return moment.year


def outgoing_symbol(*, number: int, doc_type: DocumentType, agency: Agency, unit: Unit | None) -> str:
    """Decree 30: `05/QĐ-BQL`; a công văn has no type part: `45/BQL-VP`. Numbers below 10 get a leading 0."""
    num = f"{number:02d}"
    if doc_type.is_official_letter or not doc_type.abbreviation:
        return f"{num}/{agency.short_name}-{unit.short_name}" if unit else f"{num}/{agency.short_name}"
    return f"{num}/{doc_type.abbreviation}-{agency.short_name}"


# --- files and signatures ------------------------------------------------------------------------


def _store_file(document, item: FileInput) -> DocumentFile:
    digest = hashlib.sha256(item.data).hexdigest()
    content_type = mimetypes.guess_type(item.name)[0] or ("application/pdf" if signing.is_pdf(item.data) else "")
    kwargs = {"incoming": document} if isinstance(document, IncomingDocument) else {"outgoing": document}
    doc_file = DocumentFile(
        kind=item.kind, name=item.name[:255], sha256=digest, size=len(item.data), content_type=content_type, **kwargs
    )
    doc_file.file.save(item.name, ContentFile(item.data), save=False)
    doc_file.save()
    return doc_file


def _replace_content(doc_file: DocumentFile, data: bytes, suffix: str) -> None:
    name = doc_file.name
    if not name.lower().endswith(f"{suffix}.pdf"):
        stem = name[:-4] if name.lower().endswith(".pdf") else name
        name = f"{stem}{suffix}.pdf"
    doc_file.sha256 = hashlib.sha256(data).hexdigest()
    doc_file.size = len(data)
    doc_file.name = name[:255]
    doc_file.content_type = "application/pdf"
    doc_file.file.save(name, ContentFile(data), save=False)
    doc_file.save()


def trust_roots():
    return signing.load_certificates(signing.default_trust_paths())


def file_verify_signatures(
    *, doc_file: DocumentFile, data: bytes | None = None, roots=None, applied_here: Iterable[str] = ()
) -> list[SignatureRecord]:
    """Verify the PDF signatures of a stored file and replace its stored results."""
    if data is None:
        with doc_file.file.open("rb") as handle:
            data = handle.read()
    now = timezone.now()
    applied_here = set(applied_here)
    with transaction.atomic():
        doc_file.signatures.all().delete()
        try:
            results = signing.verify_pdf_bytes(data, trust_roots=trust_roots() if roots is None else roots)
            error = ""
        except ValueError as exc:
            results, error = [], str(exc)[:500]
        records = [
            SignatureRecord(
                file=doc_file,
                field_name=r.field_name[:120],
                signer=r.signer[:400],
                signed_at=datetime.fromisoformat(r.signed_at) if r.signed_at else None,
                intact=r.intact,
                valid=r.valid,
                trusted=r.trusted,
                coverage=r.coverage,
                verified_at=now,
                applied_here=r.field_name in applied_here,
            )
            for r in results
        ]
        SignatureRecord.objects.bulk_create(records)
        doc_file.verified_at = now
        doc_file.verification_error = error
        doc_file.save(update_fields=["verified_at", "verification_error", "updated_at"])
    return records


def _sign_file(doc_file: DocumentFile, signer, options: signing.SignOptions, suffix: str) -> None:
    with doc_file.file.open("rb") as handle:
        data = handle.read()
    if not signing.is_pdf(data):
        raise ValidationFailed(_("Tệp %(name)s không phải PDF nên không ký số được.") % {"name": doc_file.name})
    try:
        signed = signing.sign_pdf_bytes(data, signer=signer, options=options)
    except signing.SigningError as exc:
        raise ValidationFailed(str(exc))
    _replace_content(doc_file, signed, suffix)
    previous = set(doc_file.signatures.filter(applied_here=True).values_list("field_name", flat=True))
    file_verify_signatures(doc_file=doc_file, data=signed, applied_here=previous | {options.field_name})


# --- incoming documents --------------------------------------------------------------------------


def _locked_incoming(document: IncomingDocument, action: str, actor: Actor) -> IncomingDocument:
    """The document locked until commit, once the actor may take `action` from its status (403, 409)."""
    doc = IncomingDocument.objects.select_for_update().get(pk=document.pk)
    INCOMING.ensure(action, doc.status, actor)
    return doc


def incoming_register(
    *,
    actor: User | System,
    register: Register,
    sender: str,
    doc_type: DocumentType,
    summary: str,
    received_at: datetime | None = None,
    sender_symbol: str = "",
    sender_date: date | None = None,
    urgency: str = Urgency.NORMAL,
    confidentiality: str = Confidentiality.NORMAL,
    is_electronic: bool = True,
    files=None,
    source_outgoing: OutgoingDocument | None = None,
    roots=None,
) -> IncomingDocument:
    """Register an incoming document: next number of the register for the year it arrived; electronic
    PDFs have their signatures verified on arrival and the results stored per file. `actor`: a clerk, or
    SYSTEM delivering a document another agency in the system dispatched."""
    INCOMING.ensure("register", NEW, actor)
    fields = {}
    if not sender.strip():
        fields["sender"] = [_("Nhập nơi gửi.")]
    if not summary.strip():
        fields["summary"] = [_("Nhập trích yếu nội dung.")]
    if urgency not in Urgency.values:
        fields["urgency"] = [_("Độ khẩn không hợp lệ.")]
    if confidentiality not in Confidentiality.values:
        fields["confidentiality"] = [_("Độ mật không hợp lệ.")]
    if fields:
        raise ValidationFailed(fields=fields)
    _check_register(register, kind=RegisterKind.INCOMING, confidentiality=confidentiality)
    received_at = received_at or timezone.now()
    items = _as_files(files)
    with transaction.atomic():
        year = local_year(received_at)
        number = register_next_number(register=register, year=year)
        doc = IncomingDocument(
            register=register,
            year=year,
            number=number,
            received_at=received_at,
            sender=sender.strip(),
            sender_symbol=sender_symbol.strip(),
            sender_date=sender_date,
            doc_type=doc_type,
            summary=summary.strip(),
            urgency=urgency,
            confidentiality=confidentiality,
            is_electronic=is_electronic,
            registered_by=_staff(actor),
            source_outgoing=source_outgoing,
        )
        doc.search_text = doc.build_search_text()
        doc.save()
        for item in items:
            doc_file = _store_file(doc, item)
            if is_electronic and doc_file.is_pdf:
                file_verify_signatures(doc_file=doc_file, data=item.data, roots=roots)
        _step(
            document=doc,
            action="register",
            actor=actor,
            paper=not is_electronic,
            note="Tiếp nhận văn bản điện tử" if is_electronic else "Tiếp nhận văn bản giấy",
            unit=_unit_of(actor),
        )
        audit_record(
            actor=actor,
            action="incoming_document.register",
            obj=doc,
            changes={"register": register.pk, "year": year, "number": number},
        )
    return doc


def incoming_assign(
    *,
    actor: User | System,
    document: IncomingDocument,
    lead_unit: Unit,
    coordinating_units: Iterable[Unit] = (),
    deadline: date | None = None,
    note: str = "",
    paper: bool = False,
) -> IncomingDocument:
    """The leader sets the lead unit, coordinating units and deadline (again to change them)."""
    with transaction.atomic():
        doc = _locked_incoming(document, "assign", actor)
        agency_id = doc.register.agency_id
        coordinating = [u for u in coordinating_units if u.pk != lead_unit.pk]
        if lead_unit.agency_id != agency_id or any(u.agency_id != agency_id for u in coordinating):
            raise ValidationFailed(fields={"lead_unit": [_("Đơn vị phải thuộc cơ quan nhận văn bản.")]})
        if deadline and deadline < timezone.localdate(doc.received_at):
            raise ValidationFailed(fields={"deadline": [_("Hạn xử lý không được trước ngày đến.")]})
        doc.lead_unit = lead_unit
        doc.deadline = deadline
        doc.assignment_note = note
        doc.assigned_by = _staff(actor)
        doc.assigned_at = timezone.now()
        doc.status = IncomingDocument.Status.ASSIGNED
        doc.save(update_fields=["lead_unit", "deadline", "assignment_note", "assigned_by", "assigned_at", "status", "updated_at"])
        doc.coordinating_units.set(coordinating)
        _step(
            document=doc,
            action="assign",
            actor=actor,
            paper=paper,
            unit=lead_unit,
            note=f"Giao {lead_unit.short_name} chủ trì"
            + (f"; phối hợp: {', '.join(u.short_name for u in coordinating)}" if coordinating else "")
            + (f"; hạn {deadline:%d/%m/%Y}" if deadline else "")
            + (f". {note}" if note else ""),
        )
        audit_record(
            actor=actor,
            action="incoming_document.assign",
            obj=doc,
            changes={
                "lead_unit": lead_unit.pk,
                "coordinating_units": [u.pk for u in coordinating],
                "deadline": deadline.isoformat() if deadline else None,
            },
        )
    return doc


def incoming_record_handling(*, actor: User | System, document: IncomingDocument, note: str, paper: bool = False) -> DocumentStep:
    require_actor(actor)
    if not note.strip():
        raise ValidationFailed(fields={"note": [_("Nhập nội dung xử lý.")]})
    with transaction.atomic():
        doc = _locked_incoming(document, "handle", actor)
        step = _step(document=doc, action="handle", actor=actor, note=note.strip(), paper=paper, unit=_unit_of(actor))
        audit_record(actor=actor, action="incoming_document.handle", obj=doc, changes={"paper": paper})
    return step


def incoming_close(*, actor: User | System, document: IncomingDocument, outcome: str, paper: bool = False) -> IncomingDocument:
    require_actor(actor)
    if not outcome.strip():
        raise ValidationFailed(fields={"outcome": [_("Nhập kết quả giải quyết.")]})
    with transaction.atomic():
        doc = _locked_incoming(document, "close", actor)
        doc.status = IncomingDocument.Status.CLOSED
        doc.outcome = outcome.strip()
        doc.closed_at = timezone.now()
        doc.closed_by = _staff(actor)
        doc.save(update_fields=["status", "outcome", "closed_at", "closed_by", "updated_at"])
        _step(document=doc, action="close", actor=actor, note=doc.outcome, paper=paper, unit=_unit_of(actor))
        audit_record(actor=actor, action="incoming_document.close", obj=doc)
    return doc


# --- outgoing documents --------------------------------------------------------------------------


def _locked(document: OutgoingDocument, action: str, actor: Actor) -> OutgoingDocument:
    """The document locked until commit, once the actor may take `action` from its status (403, 409)."""
    doc = (
        OutgoingDocument.objects.select_for_update(of=("self",))
        .select_related("agency", "doc_type", "drafting_unit", "register")
        .get(pk=document.pk)
    )
    OUTGOING.ensure(action, doc.status, actor)
    return doc


def outgoing_create_draft(
    *,
    actor: User | System,
    register: Register,
    doc_type: DocumentType,
    summary: str,
    drafting_unit: Unit | None = None,
    urgency: str = Urgency.NORMAL,
    confidentiality: str = Confidentiality.NORMAL,
    is_electronic: bool = True,
    recipients: Iterable[dict] = (),
    files=None,
) -> OutgoingDocument:
    """recipients: dicts with `name` and optionally `agency` (an Agency in the system) and `email`."""
    OUTGOING.ensure("draft", NEW, actor)
    if not summary.strip():
        raise ValidationFailed(fields={"summary": [_("Nhập trích yếu nội dung.")]})
    _check_register(register, kind=RegisterKind.OUTGOING, confidentiality=confidentiality)
    drafting_unit = drafting_unit or _unit_of(actor)
    if drafting_unit and drafting_unit.agency_id != register.agency_id:
        raise ValidationFailed(fields={"drafting_unit": [_("Đơn vị soạn thảo phải thuộc cơ quan ban hành.")]})
    if doc_type.is_official_letter and drafting_unit is None:
        raise ValidationFailed(fields={"drafting_unit": [_("Công văn cần đơn vị soạn thảo (ký hiệu {số}/{cơ quan}-{đơn vị}).")]})
    items = _as_files(files)
    with transaction.atomic():
        doc = OutgoingDocument(
            agency=register.agency,
            register=register,
            doc_type=doc_type,
            drafting_unit=drafting_unit,
            drafted_by=_staff(actor),
            summary=summary.strip(),
            urgency=urgency,
            confidentiality=confidentiality,
            is_electronic=is_electronic,
        )
        doc.search_text = doc.build_search_text()
        doc.save()
        for rec in recipients:
            agency = rec.get("agency")
            OutgoingRecipient.objects.create(
                document=doc, agency=agency, name=rec.get("name") or (agency.name if agency else ""), email=rec.get("email", "")
            )
        for item in items:
            _store_file(doc, item)
        _step(document=doc, action="draft", actor=actor, unit=drafting_unit, paper=not is_electronic)
        audit_record(actor=actor, action="outgoing_document.create", obj=doc)
    return doc


def outgoing_submit(*, actor: User | System, document: OutgoingDocument, reviewer: User | None = None) -> OutgoingDocument:
    with transaction.atomic():
        doc = _locked(document, "submit", actor)
        if not doc.files.filter(kind=DocumentFile.Kind.MAIN).exists():
            raise ValidationFailed(_("Dự thảo cần có tệp văn bản chính."))
        doc.status = S.IN_REVIEW
        doc.reviewer = reviewer
        doc.save(update_fields=["status", "reviewer", "updated_at"])
        _step(document=doc, action="submit", actor=actor, note="Trình duyệt")
        audit_record(actor=actor, action="outgoing_document.submit", obj=doc)
    return doc


def outgoing_return(*, actor: User | System, document: OutgoingDocument, note: str) -> OutgoingDocument:
    with transaction.atomic():
        doc = _locked(document, "return", actor)
        doc.status = S.DRAFT
        doc.save(update_fields=["status", "updated_at"])
        _step(document=doc, action="return", actor=actor, note=note)
        audit_record(actor=actor, action="outgoing_document.return", obj=doc, changes={"note": note})
    return doc


def outgoing_approve(
    *, actor: User | System, document: OutgoingDocument, digital: bool = True, reason: str = ""
) -> OutgoingDocument:
    """The leader approves and signs: digitally (the main file gets the leader's PAdES signature with a
    visible box in the signature block) or on paper (a paper step is recorded). Only a person signs
    digitally: SYSTEM records a paper signature at most."""
    with transaction.atomic():
        doc = _locked(document, "approve", actor)
        if digital and not isinstance(actor, User):
            raise ValidationFailed(_("Chỉ lãnh đạo ký số được; hệ thống không có chữ ký số cá nhân."))
        if digital:
            identity = person_signing_identity(actor)
            signer = identity_signer(identity)
            for doc_file in doc.files.filter(kind=DocumentFile.Kind.MAIN):
                _sign_file(
                    doc_file,
                    signer,
                    signing.SignOptions(
                        kind=signing.SignerKind.SIGNER,
                        signer_name=identity.display_name or actor.display_name,
                        title=actor.position,
                        agency_name=doc.agency.name,
                        reason=reason or "Phê duyệt, ký ban hành",
                        location=doc.agency.province,
                        field_name=f"LanhDao_{doc.pk}_{doc_file.pk}",
                    ),
                    "_ky",
                )
        doc.status = S.APPROVED
        doc.signer = _staff(actor)
        doc.signed_at = timezone.now()
        doc.save(update_fields=["status", "signer", "signed_at", "updated_at"])
        _step(
            document=doc,
            action="approve",
            actor=actor,
            paper=not digital,
            note="Lãnh đạo ký số" if digital else "Lãnh đạo ký trên bản giấy",
        )
        audit_record(actor=actor, action="outgoing_document.approve", obj=doc, changes={"digital": digital})
    return doc


def outgoing_number(*, actor: User | System, document: OutgoingDocument, issued_date: date | None = None) -> OutgoingDocument:
    """The clerk gives the next number of the register for the year and the symbol."""
    with transaction.atomic():
        doc = _locked(document, "number", actor)
        issued_date = issued_date or timezone.localdate()
        year = issued_date.year
        doc.number = register_next_number(register=doc.register, year=year)
        doc.year = year
        doc.issued_date = issued_date
        doc.symbol = outgoing_symbol(number=doc.number, doc_type=doc.doc_type, agency=doc.agency, unit=doc.drafting_unit)
        doc.numbered_at = timezone.now()
        doc.status = S.NUMBERED
        doc.search_text = doc.build_search_text()
        doc.save(update_fields=["number", "year", "issued_date", "symbol", "numbered_at", "status", "search_text", "updated_at"])
        _step(document=doc, action="number", actor=actor, note=f"Cấp số {doc.symbol}")
        audit_record(actor=actor, action="outgoing_document.number", obj=doc, changes={"symbol": doc.symbol, "year": year})
    return doc


def outgoing_seal(*, actor: User | System, document: OutgoingDocument, digital: bool = True) -> OutgoingDocument:
    """Agency signature (digital seal): red box just left of the leader's signature on the main file (never
    over it); top right of the first page of every attachment."""
    with transaction.atomic():
        doc = _locked(document, "seal", actor)
        if digital:
            identity = agency_seal_identity(doc.agency)
            signer = identity_signer(identity)
            line = f"Số: {doc.symbol}, ngày {doc.issued_date:%d/%m/%Y}"
            for doc_file in doc.files.all():
                kind = signing.SignerKind.SEAL if doc_file.kind == DocumentFile.Kind.MAIN else signing.SignerKind.ATTACHMENT
                _sign_file(
                    doc_file,
                    signer,
                    signing.SignOptions(
                        kind=kind,
                        signer_name=identity.display_name or doc.agency.name,
                        agency_name=doc.agency.name,
                        extra_line=line,
                        reason="Ký số của cơ quan, tổ chức",
                        location=doc.agency.province,
                        field_name=f"CoQuan_{doc.pk}_{doc_file.pk}",
                    ),
                    "_dau",
                )
        doc.status = S.SEALED
        doc.sealed_at = timezone.now()
        doc.save(update_fields=["status", "sealed_at", "updated_at"])
        _step(
            document=doc,
            action="seal",
            actor=actor,
            paper=not digital,
            note="Ký số của cơ quan" if digital else "Đóng dấu trên bản giấy",
        )
        audit_record(actor=actor, action="outgoing_document.seal", obj=doc, changes={"digital": digital})
    return doc


def default_register(*, agency: Agency, kind: str, secret: bool) -> Register:
    register = Register.objects.filter(agency=agency, kind=kind, is_secret=secret, is_active=True).order_by("id").first()
    if register is None:
        label = "Sổ văn bản đến" if kind == RegisterKind.INCOMING else "Sổ văn bản đi"
        register = Register.objects.create(agency=agency, kind=kind, is_secret=secret, name=f"{label}{' mật' if secret else ''}")
    return register


def outgoing_dispatch(
    *, actor: User | System, document: OutgoingDocument, paper: bool | None = None, roots=None
) -> OutgoingDocument:
    """Send to every recipient. Agencies in the system receive it in their incoming register, registered
    by SYSTEM: the sender's clerk is no clerk of theirs (the signatures of the copies are verified on
    arrival, as for any electronic document)."""
    with transaction.atomic():
        doc = _locked(document, "dispatch", actor)
        paper = (not doc.is_electronic) if paper is None else paper
        now = timezone.now()
        files = [FileInput(f.name, f.file.open("rb").read(), f.kind) for f in doc.files.all()]
        for f in doc.files.all():
            f.file.close()
        for recipient in doc.recipients.select_related("agency"):
            if recipient.agency_id and not paper:
                incoming = incoming_register(
                    actor=SYSTEM,
                    register=default_register(
                        agency=recipient.agency, kind=RegisterKind.INCOMING, secret=doc.confidentiality != Confidentiality.NORMAL
                    ),
                    sender=doc.agency.name,
                    sender_symbol=doc.symbol,
                    sender_date=doc.issued_date,
                    doc_type=doc.doc_type,
                    summary=doc.summary,
                    received_at=now,
                    urgency=doc.urgency,
                    confidentiality=doc.confidentiality,
                    is_electronic=True,
                    files=files,
                    source_outgoing=doc,
                    roots=roots,
                )
                recipient.delivered_incoming = incoming
            recipient.dispatched_at = now
            recipient.save(update_fields=["delivered_incoming", "dispatched_at"])
        doc.status = S.DISPATCHED
        doc.dispatched_at = now
        doc.save(update_fields=["status", "dispatched_at", "updated_at"])
        _step(
            document=doc, action="dispatch", actor=actor, paper=paper, note="Phát hành bản giấy" if paper else "Phát hành điện tử"
        )
        audit_record(
            actor=actor,
            action="outgoing_document.dispatch",
            obj=doc,
            changes={"recipients": doc.recipients.count(), "paper": paper},
        )
    return doc


def outgoing_archive(*, actor: User | System, document: OutgoingDocument, paper: bool = False) -> OutgoingDocument:
    with transaction.atomic():
        doc = _locked(document, "archive", actor)
        doc.status = S.ARCHIVED
        doc.archived_at = timezone.now()
        doc.save(update_fields=["status", "archived_at", "updated_at"])
        _step(document=doc, action="archive", actor=actor, paper=paper, note="Lưu văn bản đi")
        audit_record(actor=actor, action="outgoing_document.archive", obj=doc)
    return doc


def signing_identity_set(
    *,
    actor: User | System,
    agency: Agency,
    pkcs12_path: str,
    passphrase_env: str = "",
    user: User | None = None,
    display_name: str = "",
) -> SigningIdentity:
    """Configure where a person's (user given) or the agency seal's (no user) PKCS#12 file is."""
    require_actor(actor)
    kind = SigningIdentity.Kind.PERSON if user else SigningIdentity.Kind.AGENCY_SEAL
    with transaction.atomic():
        if user:
            identity, _created = SigningIdentity.objects.update_or_create(
                user=user,
                defaults={
                    "kind": kind,
                    "agency": agency,
                    "pkcs12_path": pkcs12_path,
                    "passphrase_env": passphrase_env,
                    "display_name": display_name,
                    "is_active": True,
                },
            )
        else:
            SigningIdentity.objects.filter(agency=agency, kind=kind, is_active=True).update(is_active=False)
            identity = SigningIdentity.objects.create(
                kind=kind, agency=agency, pkcs12_path=pkcs12_path, passphrase_env=passphrase_env, display_name=display_name
            )
        audit_record(actor=actor, action="signing_identity.set", obj=identity, changes={"kind": kind, "path": pkcs12_path})
    return identity
