"""Demo data of the documents app: registers and the 2021 story — 4,682 incoming and outgoing documents,
1,548 processed entirely in the electronic system, 1,472 of them carrying a digital signature.

The split between incoming and outgoing is not in the article; the one below is illustrative. Every
figure is derived from the records created here (paper steps for the documents handled on paper,
signature records for the signed files), so the dashboard recomputes the article's numbers.
Created with bulk_create (seconds); skipped when the 2021 documents are already there.

A throwaway demo PKI (root CA, the leader's and the agency seal's PKCS#12) is generated under
MOTCUA_VAR_DIR/demo-pki so the outgoing workflow can sign in the demo; never use it in production.
"""

from __future__ import annotations

import hashlib
import random
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction

from motcua.core.models import Agency, Unit, User
from motcua.core.services import audit_record
from motcua.core.transitions import SYSTEM

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
)
from .services import outgoing_symbol
from .testpki import create_test_pki

YEAR = 2021
TOTAL = 4682
FULLY_ELECTRONIC = 1548
DIGITALLY_SIGNED = 1472
INCOMING = 3164  # illustrative split: the article gives only the total
OUTGOING = TOTAL - INCOMING
INCOMING_ELECTRONIC = 1032
OUTGOING_ELECTRONIC = FULLY_ELECTRONIC - INCOMING_ELECTRONIC
INCOMING_SIGNED = 980
OUTGOING_SIGNED = DIGITALLY_SIGNED - INCOMING_SIGNED

DEMO_PASSPHRASE_ENV = "MOTCUA_DEMO_SIGNING_PASSPHRASE"
DEMO_PASSPHRASE = settings.MOTCUA_DEMO_SIGNING_PASSPHRASE  # throwaway demo key only

REGISTERS = [
    (RegisterKind.INCOMING, "Sổ văn bản đến", False),
    (RegisterKind.INCOMING, "Sổ văn bản đến mật", True),
    (RegisterKind.OUTGOING, "Sổ văn bản đi", False),
    (RegisterKind.OUTGOING, "Sổ văn bản đi mật", True),
]

SENDERS = [
    "Ủy ban nhân dân tỉnh",
    "Sở Kế hoạch và Đầu tư",
    "Sở Tài chính",
    "Sở Nội vụ",
    "Sở Xây dựng",
    "Sở Tài nguyên và Môi trường",
    "Sở Lao động - Thương binh và Xã hội",
    "Bộ Kế hoạch và Đầu tư",
    "Công an tỉnh",
    "Cục Hải quan tỉnh",
    "Công ty TNHH Đông Á",
    "Công ty CP Logistics Cửa khẩu",
]
SUMMARIES = [
    "V/v triển khai Kế hoạch CCHC năm 2021",
    "V/v báo cáo tình hình thu hút đầu tư quý",
    "V/v góp ý dự thảo Quy chế quản lý cửa khẩu, lối mở biên giới",
    "V/v đề nghị điều chỉnh Giấy chứng nhận đăng ký đầu tư",
    "V/v thu, nộp phí sử dụng công trình kết cấu hạ tầng khu vực cửa khẩu",
    "V/v kiện toàn Ban Chỉ đạo ISO 9001:2015",
    "V/v đăng ký nội quy lao động",
    "V/v thẩm định thiết kế cơ sở dự án",
    "V/v phòng, chống dịch COVID-19 tại khu kinh tế",
    "V/v báo cáo kết quả thực hiện cơ chế một cửa, một cửa liên thông",
]
OUT_TYPES = ["CV", "CV", "CV", "QD", "TB", "BC", "KH", "TTR", "GM"]


def _working_days(year: int) -> list[date]:
    day, days = date(year, 1, 4), []
    while day.year == year:
        if day.weekday() < 5:
            days.append(day)
        day += timedelta(days=1)
    return days


def _at(day: date, minutes: int) -> datetime:
    return datetime.combine(day, time(7, 30), tzinfo=ZoneInfo(settings.TIME_ZONE)) + timedelta(minutes=minutes)


def _registers(agency: Agency) -> dict:
    out = {}
    for kind, name, secret in REGISTERS:
        out[(kind, secret)], _ = Register.objects.get_or_create(
            agency=agency, kind=kind, name=name, defaults={"is_secret": secret}
        )
    return out


def _demo_pki(agency: Agency, stdout) -> None:
    """A throwaway PKI for the demo (only when none is configured)."""
    folder = settings.VAR_DIR / "demo-pki"
    leader = User.objects.filter(username="lanhdao").first()
    if SigningIdentity.objects.filter(agency=agency).exists():
        return
    try:
        pki = create_test_pki(folder, ca_name="motcua DEMO Root CA (không dùng thật)")
        seal = pki.issue(agency.name, organization=agency.name, passphrase=DEMO_PASSPHRASE, filename="agency-seal.p12")
        SigningIdentity.objects.create(
            kind=SigningIdentity.Kind.AGENCY_SEAL,
            agency=agency,
            pkcs12_path=str(seal),
            passphrase_env=DEMO_PASSPHRASE_ENV,
            display_name=agency.name,
        )
        if leader:
            path = pki.issue(leader.display_name, organization=agency.name, passphrase=DEMO_PASSPHRASE, filename="leader.p12")
            SigningIdentity.objects.create(
                kind=SigningIdentity.Kind.PERSON,
                user=leader,
                agency=agency,
                pkcs12_path=str(path),
                passphrase_env=DEMO_PASSPHRASE_ENV,
                display_name=leader.display_name,
            )
    except OSError as exc:  # read-only var dir: the demo still works, without digital signing
        stdout.write(f"  Bỏ qua PKI minh họa: {exc}")
        return
    stdout.write(
        f"  PKI minh họa (chỉ để thử): {folder}. Với DEBUG=1 (make run) bản demo ký số được ngay; để tin cậy CA "
        f"minh họa khi kiểm tra chữ ký: MOTCUA_TRUST_CA_FILES={pki.ca_pem}"
    )


def seed(*, agency: Agency, stdout) -> None:
    registers = _registers(agency)
    _demo_pki(agency, stdout)
    reg_in, reg_out = registers[(RegisterKind.INCOMING, False)], registers[(RegisterKind.OUTGOING, False)]
    if (
        IncomingDocument.objects.filter(register__agency=agency, year=YEAR).exists()
        or OutgoingDocument.objects.filter(agency=agency, year=YEAR).exists()
    ):
        stdout.write("  Văn bản năm 2021 đã có, bỏ qua.")
        return
    with transaction.atomic():
        _seed_2021(agency, reg_in, reg_out)
        audit_record(
            actor=SYSTEM,
            action="documents.demo_seed",
            obj=agency,
            changes={"year": YEAR, "total": TOTAL, "fully_electronic": FULLY_ELECTRONIC, "digitally_signed": DIGITALLY_SIGNED},
        )
    stdout.write(
        f"  Văn bản năm {YEAR}: {TOTAL} (đến {INCOMING}, đi {OUTGOING}); xử lý hoàn toàn điện tử {FULLY_ELECTRONIC}; "
        f"có chữ ký số {DIGITALLY_SIGNED}"
    )


def _seed_2021(agency: Agency, reg_in: Register, reg_out: Register) -> None:
    rnd = random.Random(YEAR)
    days = _working_days(YEAR)
    units = list(Unit.objects.filter(agency=agency).exclude(is_one_stop_desk=True)) or list(Unit.objects.filter(agency=agency))
    types = {t.code: t for t in DocumentType.objects.all()}
    clerk = User.objects.filter(groups__name="clerk", unit__agency=agency).first()
    leader = User.objects.filter(groups__name="leader", unit__agency=agency).first()
    specialist = User.objects.filter(groups__name="specialist", unit__agency=agency).first()
    now_sig = _at(days[-1], 600)

    # --- incoming: numbers 1..INCOMING in arrival order -------------------------------------------
    electronic_in = set(rnd.sample(range(INCOMING), INCOMING_ELECTRONIC))
    signed_in = set(rnd.sample(sorted(electronic_in), INCOMING_SIGNED))
    arrivals = sorted((rnd.choice(days), rnd.randrange(0, 540)) for _ in range(INCOMING))
    incoming = []
    for i, (day, minute) in enumerate(arrivals):
        lead = rnd.choice(units) if units else None
        doc = IncomingDocument(
            register=reg_in,
            year=YEAR,
            number=i + 1,
            received_at=_at(day, minute),
            sender=rnd.choice(SENDERS),
            sender_symbol=f"{rnd.randint(1, 999)}/{rnd.choice(['UBND-KT', 'SKHĐT-ĐKĐT', 'STC-NS', 'SNV-CCHC', 'CV'])}",
            sender_date=day - timedelta(days=rnd.randint(0, 3)),
            doc_type=types[rnd.choice(["CV", "CV", "QD", "TB", "KH", "GM"])],
            summary=rnd.choice(SUMMARIES),
            confidentiality=Confidentiality.NORMAL,
            is_electronic=i in electronic_in,
            status=IncomingDocument.Status.CLOSED,
            registered_by=clerk,
            lead_unit=lead,
            deadline=day + timedelta(days=10),
            assigned_by=leader,
            assigned_at=_at(day, minute + 60),
            closed_at=_at(day, minute + 60) + timedelta(days=rnd.randint(1, 9)),
            closed_by=specialist,
            outcome="Đã xử lý, báo cáo lãnh đạo",
        )
        doc.search_text = doc.build_search_text()
        incoming.append(doc)
    IncomingDocument.objects.bulk_create(incoming, batch_size=1000)
    incoming = list(IncomingDocument.objects.filter(register=reg_in, year=YEAR).select_related("lead_unit").order_by("number"))
    RegisterCounter.objects.update_or_create(register=reg_in, year=YEAR, defaults={"last_number": INCOMING})

    steps, files = [], []
    for i, doc in enumerate(incoming):
        paper = i not in electronic_in
        steps += [
            DocumentStep(
                incoming=doc,
                action="register",
                at=doc.received_at,
                actor=clerk,
                paper=paper,
                note="Tiếp nhận văn bản giấy" if paper else "Tiếp nhận văn bản điện tử",
            ),
            DocumentStep(
                incoming=doc,
                action="assign",
                at=doc.assigned_at,
                actor=leader,
                unit=doc.lead_unit,
                paper=paper,
                note="Phân công xử lý trên phiếu giấy" if paper else "Phân công xử lý",
            ),
            DocumentStep(
                incoming=doc,
                action="close",
                at=doc.closed_at,
                actor=specialist,
                unit=doc.lead_unit,
                note=doc.outcome,
                paper=False,
            ),
        ]
        if not paper:
            files.append(_file(incoming=doc, name=f"vb-den-{doc.number}.pdf", verified=now_sig))

    # --- outgoing: numbered 1..OUTGOING in issue order ---------------------------------------------
    electronic_out = set(rnd.sample(range(OUTGOING), OUTGOING_ELECTRONIC))
    signed_out = set(rnd.sample(sorted(electronic_out), OUTGOING_SIGNED))
    issued = sorted(rnd.choice(days) for _ in range(OUTGOING))
    outgoing = []
    for i, day in enumerate(issued):
        unit = rnd.choice(units) if units else None
        doc_type = types[rnd.choice(OUT_TYPES)]
        if doc_type.is_official_letter and unit is None:
            doc_type = types["TB"]
        at = _at(day, rnd.randrange(0, 480))
        doc = OutgoingDocument(
            agency=agency,
            register=reg_out,
            doc_type=doc_type,
            drafting_unit=unit,
            drafted_by=specialist,
            summary=rnd.choice(SUMMARIES),
            is_electronic=i in electronic_out,
            status=OutgoingDocument.Status.ARCHIVED,
            signer=leader,
            signed_at=at,
            year=YEAR,
            number=i + 1,
            symbol=outgoing_symbol(number=i + 1, doc_type=doc_type, agency=agency, unit=unit),
            issued_date=day,
            numbered_at=at + timedelta(minutes=20),
            sealed_at=at + timedelta(minutes=30),
            dispatched_at=at + timedelta(minutes=40),
            archived_at=at + timedelta(days=1),
        )
        doc.search_text = doc.build_search_text()
        outgoing.append(doc)
    OutgoingDocument.objects.bulk_create(outgoing, batch_size=1000)
    outgoing = list(
        OutgoingDocument.objects.filter(register=reg_out, year=YEAR).select_related("drafting_unit").order_by("number")
    )
    RegisterCounter.objects.update_or_create(register=reg_out, year=YEAR, defaults={"last_number": OUTGOING})

    recipients = []
    for i, doc in enumerate(outgoing):
        paper = i not in electronic_out
        signed = i in signed_out
        base = doc.signed_at
        for n, (action, note, is_paper) in enumerate(
            [
                ("draft", "Dự thảo", paper),
                ("submit", "Trình duyệt", False),
                (
                    "approve",
                    "Lãnh đạo ký số" if signed else "Lãnh đạo ký trên bản giấy" if paper else "Lãnh đạo duyệt trên hệ thống",
                    paper,
                ),
                ("number", f"Cấp số {doc.symbol}", False),
                ("seal", "Ký số của cơ quan" if signed else "Đóng dấu", paper),
                ("dispatch", "Phát hành điện tử" if not paper else "Phát hành bản giấy", paper),
                ("archive", "Lưu văn bản đi", False),
            ]
        ):
            steps.append(
                DocumentStep(
                    outgoing=doc,
                    action=action,
                    at=base + timedelta(minutes=10 * n - 30),
                    actor=leader if action == "approve" else clerk,
                    unit=doc.drafting_unit,
                    note=note,
                    paper=is_paper,
                )
            )
        recipients.append(OutgoingRecipient(document=doc, name=rnd.choice(SENDERS), dispatched_at=doc.dispatched_at))
        if not paper:
            files.append(_file(outgoing=doc, name=f"{doc.symbol.replace('/', '-')}.pdf", verified=now_sig))
    DocumentStep.objects.bulk_create(steps, batch_size=2000)
    OutgoingRecipient.objects.bulk_create(recipients, batch_size=2000)
    DocumentFile.objects.bulk_create(files, batch_size=1000)

    # --- signature records for the signed documents' files -----------------------------------------
    signed_in_ids = {incoming[i].pk for i in signed_in}
    signed_out_ids = {outgoing[i].pk for i in signed_out}
    signer_name = leader.display_name if leader else "Lãnh đạo Ban"
    records = []
    for f in DocumentFile.objects.filter(incoming__register=reg_in, incoming__year=YEAR, incoming_id__in=signed_in_ids):
        records.append(
            SignatureRecord(
                file=f,
                field_name="Signature1",
                signer=rnd.choice(SENDERS[:8]),
                intact=True,
                valid=True,
                trusted=True,
                coverage="ENTIRE_FILE",
                verified_at=now_sig,
                signed_at=now_sig - timedelta(days=rnd.randint(1, 300)),
            )
        )
    for f in DocumentFile.objects.filter(
        outgoing__register=reg_out, outgoing__year=YEAR, outgoing_id__in=signed_out_ids
    ).select_related("outgoing"):
        records.append(
            SignatureRecord(
                file=f,
                field_name="LanhDao",
                signer=signer_name,
                intact=True,
                valid=True,
                trusted=True,
                coverage="ENTIRE_REVISION",
                verified_at=now_sig,
                signed_at=f.outgoing.signed_at,
                applied_here=True,
            )
        )
        records.append(
            SignatureRecord(
                file=f,
                field_name="CoQuan",
                signer=agency.name,
                intact=True,
                valid=True,
                trusted=True,
                coverage="ENTIRE_FILE",
                verified_at=now_sig,
                signed_at=f.outgoing.sealed_at,
                applied_here=True,
            )
        )
    SignatureRecord.objects.bulk_create(records, batch_size=2000)


def _file(*, name: str, verified: datetime, incoming=None, outgoing=None) -> DocumentFile:
    # Demo rows describe files without storing content (no file on disk).
    digest = hashlib.sha256(name.encode("utf-8")).hexdigest()
    return DocumentFile(
        incoming=incoming,
        outgoing=outgoing,
        kind=DocumentFile.Kind.MAIN,
        name=name,
        sha256=digest,
        size=0,
        content_type="application/pdf",
        verified_at=verified,
    )
