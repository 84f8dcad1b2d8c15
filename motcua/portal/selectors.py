"""Reads of the public site. The lookup answers only with a masked, public view of a dossier."""

from __future__ import annotations

import hmac
from dataclasses import dataclass, field
from datetime import datetime

from django.utils import timezone

from motcua.catalog.models import Component
from motcua.core import masking
from motcua.core.errors import NotFoundError
from motcua.dossiers import postal
from motcua.dossiers import selectors as dossier_selectors
from motcua.dossiers.lookup_secret import lookup_secret_hash
from motcua.dossiers.machine import MACHINE, Action
from motcua.dossiers.models import Dossier, Status, SupplementRequest

from .models import PortalDraft, PortalDraftFile


def draft_get(*, token: str) -> PortalDraft | None:
    """A draft by its token (None when unknown or expired and never submitted)."""
    if not token or len(token) > 64:
        return None
    draft = (
        PortalDraft.objects.select_related("procedure_version__procedure", "procedure_version__agency")
        .filter(token=token)
        .first()
    )
    if draft is None or (draft.submitted_at is None and draft.expires_at < timezone.now()):
        return None
    return draft


def draft_components(*, draft: PortalDraft) -> list[tuple[Component, list[PortalDraftFile]]]:
    files: dict[int, list[PortalDraftFile]] = {}
    for f in PortalDraftFile.objects.filter(draft=draft).order_by("id"):
        files.setdefault(f.component_id, []).append(f)
    return [(c, files.get(c.pk, [])) for c in Component.objects.filter(version=draft.procedure_version).order_by("order")]


def _normalise(value: str) -> str:
    return "".join((value or "").split()).upper()


def dossier_lookup(*, code: str, proof: str) -> Dossier | None:
    """The dossier whose code is `code` when `proof` is its applicant's ID number, its organisation's tax
    code or its private lookup secret; None otherwise — the caller cannot tell an unknown code from a
    wrong proof. Comparisons are constant-time."""
    code = (code or "").strip().upper()
    proof = _normalise(proof)
    dossier = dossier_get(code=code) if code else None
    secret_hash = lookup_secret_hash(proof)  # computed whether or not the code exists
    if dossier is None or not proof:
        return None
    matches = [
        bool(dossier.applicant_id_number) and hmac.compare_digest(dossier.applicant_id_number.encode(), proof.encode()),
        bool(dossier.applicant_tax_code) and hmac.compare_digest(dossier.applicant_tax_code.upper().encode(), proof.encode()),
        bool(dossier.lookup_secret_hash) and hmac.compare_digest(dossier.lookup_secret_hash, secret_hash),
    ]
    return dossier if any(matches) else None


# Public wording of each step of the timeline.
EVENT_LABELS = {
    "receive": "Nộp/tiếp nhận hồ sơ",
    "accept": "Hồ sơ được tiếp nhận",
    "refuse": "Từ chối tiếp nhận hồ sơ",
    "request_supplement": "Yêu cầu bổ sung hồ sơ",
    "receive_supplement": "Đã nhận hồ sơ bổ sung",
    "require_payment": "Yêu cầu thực hiện nghĩa vụ tài chính",
    "confirm_payment": "Đã xác nhận nghĩa vụ tài chính",
    "forward": "Chuyển xử lý",
    "return_to_step": "Chuyển xử lý lại",
    "decide": "Đã có kết quả giải quyết",
    "extend": "Xin lỗi và hẹn lại ngày trả kết quả",
    "return_result": "Đã trả kết quả",
    "withdraw": "Rút hồ sơ",
    "stop": "Dừng xử lý",
    **postal.EVENT_LABELS,  # pickup and delivery by the postal operator
}
# What the applicant may read of an event's note (internal notes of processing steps stay inside).
PUBLIC_NOTE_ACTIONS = {"refuse", "request_supplement", "require_payment", "extend", "decide", "stop", "withdraw"}


@dataclass
class PublicEvent:
    at: datetime
    label: str
    status: str
    note: str = ""


@dataclass
class PublicDossier:
    code: str
    procedure_code: str
    procedure_name: str
    agency_name: str
    channel: str
    status: str
    status_label: str
    received_at: datetime
    accepted_at: datetime | None
    due_at: datetime | None
    original_due_at: datetime | None
    extended: bool
    returned_at: datetime | None
    finished_at: datetime | None
    timeliness: str
    outcome: str
    outcome_note: str
    result_delivery: str
    has_result_file: bool
    applicant_name: str
    applicant_id: str
    applicant_phone: str
    applicant_email: str
    events: list[PublicEvent] = field(default_factory=list)
    supplement_items: list[str] = field(default_factory=list)
    supplement_note: str = ""
    supplement_requested_at: datetime | None = None
    can_supplement: bool = False
    can_withdraw: bool = False  # no decision yet: the applicant may withdraw it online
    can_rate: bool = False
    payment_due: bool = False
    payment_note: str = ""
    payment_amount_vnd: int | None = None


def applicant_may_withdraw(dossier: Dossier) -> bool:
    """Whether the applicant may withdraw the dossier online now (the state machine's states: no decision yet)."""
    return MACHINE[Action.WITHDRAW].applicant and dossier.status in MACHINE[Action.WITHDRAW].sources


def dossier_public_view(*, dossier: Dossier) -> PublicDossier:
    """Everything the lookup page shows, with personal data masked."""
    d = dossier
    events = [
        PublicEvent(
            at=e.at,
            label=EVENT_LABELS.get(e.action, e.action),
            status=Status(e.status_to).label if e.status_to in Status.values else "",
            note=e.note if e.action in PUBLIC_NOTE_ACTIONS else "",
        )
        for e in dossier_selectors.dossier_timeline(dossier=d)
    ]
    pending = (
        SupplementRequest.objects.filter(dossier=d, answered_at__isnull=True).order_by("-requested_at").first()
        if d.status == Status.SUPPLEMENT_REQUESTED
        else None
    )
    view = PublicDossier(
        code=d.code,
        procedure_code=d.procedure_version.procedure.code,
        procedure_name=d.procedure_version.name,
        agency_name=d.agency.name,
        channel=d.get_channel_display(),
        status=d.status,
        status_label=d.get_status_display(),
        received_at=d.received_at,
        accepted_at=d.accepted_at,
        due_at=d.due_at,
        original_due_at=d.original_due_at,
        extended=d.extended,
        returned_at=d.returned_at,
        finished_at=d.finished_at,
        timeliness=d.get_timeliness_display() if d.timeliness else "",
        outcome=d.get_outcome_display() if d.outcome else "",
        outcome_note=d.outcome_note
        if d.status in (Status.REFUSED, Status.DECIDED, Status.RETURNED, Status.STOPPED, Status.WITHDRAWN)
        else "",
        result_delivery=d.get_result_delivery_display(),
        has_result_file=bool(d.result_file) and d.status in (Status.DECIDED, Status.RETURNED),
        applicant_name=masking.mask_name(d.applicant_name),
        applicant_id=masking.mask_id(d.applicant_id_number or d.applicant_tax_code),
        applicant_phone=masking.mask_phone(d.applicant_phone),
        applicant_email=masking.mask_email(d.applicant_email),
        events=events,
    )
    if pending is not None:
        view.supplement_items = list(pending.items)
        view.supplement_note = pending.note
        view.supplement_requested_at = pending.requested_at
        view.can_supplement = True
    view.can_rate = d.status == Status.RETURNED
    view.can_withdraw = applicant_may_withdraw(d)
    if d.status == Status.PAYMENT_REQUIRED:
        asked = next((e for e in reversed(dossier_selectors.dossier_timeline(dossier=d)) if e.action == "require_payment"), None)
        view.payment_due = True
        if asked is not None:
            view.payment_note = asked.note
            view.payment_amount_vnd = (asked.data or {}).get("amount_vnd")
    return view


def dossier_get(*, code: str) -> Dossier | None:
    try:
        return dossier_selectors.dossier_get(code=code)
    except NotFoundError:
        return None
