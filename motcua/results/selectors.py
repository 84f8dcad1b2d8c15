"""Reads of the electronic results: the public verification report (by token, or of an uploaded copy) and
the result of a dossier for the portal's download."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime

from django.utils import timezone

from motcua.core import masking
from motcua.documents import signing

from .models import ElectronicResult

EXPECTED_SIGNATURES = 2  # the leader and the agency seal
MAX_TOKEN = 64


@dataclass
class SignatureLine:
    signer: str
    signed_at: datetime | None
    valid: bool
    trusted: bool


@dataclass
class Verification:
    """What the public page shows: nothing but what the result itself shows (the applicant's name masked)."""

    valid: bool
    label: str = ""
    procedure_name: str = ""
    agency_name: str = ""
    applicant: str = ""
    issued_at: datetime | None = None
    sha256: str = ""
    matches_issued: bool = False
    signatures: list[SignatureLine] = field(default_factory=list)
    problem: str = ""


def result_by_token(token: str) -> ElectronicResult | None:
    if not token or len(token) > MAX_TOKEN:
        return None
    return ElectronicResult.objects.select_related("agency", "dossier").filter(token=token).first()


def result_of_dossier(dossier) -> ElectronicResult | None:
    return ElectronicResult.objects.filter(dossier=dossier).first()


def dossier_ids_with_result(ids) -> set[int]:
    """Which of these dossiers have an electronic result (one query, for lists)."""
    return set(ElectronicResult.objects.filter(dossier_id__in=list(ids)).values_list("dossier_id", flat=True))


def has_electronic_result(dossier_id: int) -> bool:
    """The dossier has an electronic result: the national portal's KetQuaDienTu, answered for
    dossiers.sync_flags (one query on the one-to-one's unique index)."""
    return ElectronicResult.objects.filter(dossier_id=dossier_id).exists()


def _signatures(data: bytes) -> tuple[list[SignatureLine], bool]:
    roots = signing.load_certificates(signing.default_trust_paths())
    try:
        results = signing.verify_pdf_bytes(data, trust_roots=roots)
    except ValueError:
        return [], False
    lines = []
    for r in results:
        when = datetime.fromisoformat(r.signed_at) if r.signed_at else None
        lines.append(SignatureLine(r.signer, timezone.localtime(when) if when else None, r.intact and r.valid, r.trusted))
    ok = len(results) == EXPECTED_SIGNATURES and all(r.intact and r.valid and r.trusted for r in results)
    return lines, ok


def _describe(result: ElectronicResult, data: bytes) -> Verification:
    digest = hashlib.sha256(data).hexdigest()
    lines, signatures_ok = _signatures(data)
    matches = digest == result.sha256
    return Verification(
        valid=matches and signatures_ok,
        label=result.label,
        procedure_name=result.procedure_name,
        agency_name=result.agency.name,
        applicant=masking.mask_name(result.dossier.applicant_name),
        issued_at=timezone.localtime(result.issued_at),
        sha256=digest,
        matches_issued=matches,
        signatures=lines,
    )


def verify_stored(result: ElectronicResult) -> Verification:
    """The stored PDF re-verified now: its hash against the one recorded at issuance and its signatures."""
    try:
        with result.file.open("rb") as handle:
            data = handle.read()
    except OSError:
        return Verification(valid=False, label=result.label, problem="missing")
    return _describe(result, data)


def verify_upload(data: bytes) -> Verification:
    """An uploaded copy: valid when it is byte for byte a result issued here and its signatures verify."""
    digest = hashlib.sha256(data).hexdigest()
    result = ElectronicResult.objects.select_related("agency", "dossier").filter(sha256=digest).first()
    if result is None:
        lines, _ok = _signatures(data)
        return Verification(valid=False, sha256=digest, signatures=lines, problem="unknown")
    return _describe(result, data)
