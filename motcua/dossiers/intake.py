"""The intake: a dossier received at the desk, by post, through the API or submitted online. Counter
and postal dossiers are accepted on the spot; online ones wait for `dossier_accept` (dossiers.transitions).

Who receives: a one-stop officer of the deciding agency or a service-centre officer seconded to it
(core.tenancy) for any channel; an applicant (core.transitions.Applicant) only online, through the
portal; the system (demo loaders, imports) for any. Every intake is one transaction, audited last."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core.errors import ApplicationError, IdempotencyKeyReused, PermissionDeniedError, ValidationFailed
from motcua.core.models import Agency, User
from motcua.core.roles import Role, user_has_role
from motcua.core.sql import insert, insert_select
from motcua.core.transitions import Actor, Applicant, require_actor
from motcua.workcalendar.selectors import Calendar

from . import postal, selectors
from .lookup_secret import lookup_secret_hash, new_lookup_secret
from .machine import may_act_for
from .models import Channel, Delivery, Dossier, ReceivedPaper, Status
from .search import dossier_search_text
from .validators import applicant_clean
from .writes import check_files, finish, first_step, now, set_appointment, staff, store_files

# Atomic per-agency daily counter: one upsert, no read-then-write race (PostgreSQL and SQLite). Its row
# lock is held until commit: the agency's intakes queue on it, never collide, and leave no gap.
_NEXT_NUMBER = (
    "INSERT INTO dossiers_dailysequence (agency_id, date, last) VALUES (%s, %s, 1) "
    "ON CONFLICT (agency_id, date) DO UPDATE SET last = dossiers_dailysequence.last + 1 RETURNING last"
)


def _next_number(agency_id: int, day) -> int:
    with connection.cursor() as cursor:
        cursor.execute(_NEXT_NUMBER, [agency_id, day.isoformat()])
        return cursor.fetchone()[0]


def _code_prefix(agency: Agency, day) -> str:
    return f"{agency.code}-{day:%y%m%d}-"


def dossier_code(agency: Agency, day, number: int) -> str:
    return f"{_code_prefix(agency, day)}{number:04d}"


def _insert_numbered(dossier: Dossier, agency: Agency, day) -> None:
    """Insert the dossier with the agency's next number of the day in its code. PostgreSQL: number and
    row in one statement, so the counter's lock is taken one round trip later (the agency's intakes
    queue on it until commit). Dossier has no save() override or signal receiver (core.sql)."""
    if connection.vendor != "postgresql":
        dossier.code = dossier_code(agency, day, _next_number(agency.pk, day))
        insert(dossier)
        return
    # The same digits as dossier_code: four at least, more past 9999.
    number = "CASE WHEN source.last < 10000 THEN lpad(source.last::text, 4, '0') ELSE source.last::text END"
    insert_select(
        dossier,
        source=_NEXT_NUMBER,
        source_params=[agency.pk, day.isoformat()],
        computed={"code": (f"%s || {number}", [_code_prefix(agency, day)])},
    )


def dossier_receive(
    *,
    actor: Actor,
    procedure_code: str,
    channel: str,
    applicant: dict[str, Any],
    agency: Agency | None = None,
    received_at: datetime | None = None,
    components: list[int] | None = None,
    files: Iterable[dict] = (),
    result_delivery: str = Delivery.COUNTER,
    postal_tracking: str = "",
    return_address: str = "",
    idempotency_key: str = "",
    idempotency_fingerprint: str = "",
    note: str = "",
) -> Dossier:
    """Receive a dossier. Counter and postal dossiers are accepted on the spot (status 2, appointment
    set); online dossiers arrive as newly submitted (status 1) and wait for `dossier_accept`.

    `actor`: the receiving officer (a User), the applicant submitting online (an Applicant), or SYSTEM.

    `components`: ids of the components the officer checked as present; when given, every mandatory
    component of the version in force must be among them or have a file. With `idempotency_key`,
    a repeated call by the same creator returns the first dossier (attribute `replayed` is True);
    with `idempotency_fingerprint` too (a hash of the request, `request_fingerprint`), a repeat whose
    fingerprint differs from the first call's raises IdempotencyKeyReused (422) and writes nothing."""
    # A repeated key is not looked up first (that query ran before every intake, nearly always in vain):
    # the unique (creator, key) index stops the repeat's INSERT, and a repeat that no longer passes the
    # checks (the procedure changed since) still gets the first dossier.
    require_actor(actor)
    try:
        return _receive(
            actor=actor,
            procedure_code=procedure_code,
            channel=channel,
            applicant=applicant,
            agency=agency,
            received_at=received_at,
            components=components,
            files=files,
            result_delivery=result_delivery,
            postal_tracking=postal_tracking,
            return_address=return_address,
            idempotency_key=idempotency_key,
            idempotency_fingerprint=idempotency_fingerprint,
            note=note,
        )
    except (ApplicationError, IntegrityError):
        if idempotency_key:
            existing = _by_key(actor, idempotency_key)
            if existing is not None:
                stored = existing.idempotency_fingerprint
                # Rows stored before fingerprints existed (empty) cannot be compared: replayed as before.
                if stored and idempotency_fingerprint and stored != idempotency_fingerprint:
                    raise IdempotencyKeyReused() from None
                return existing
        raise


def _receive(
    *,
    actor: Actor,
    procedure_code: str,
    channel: str,
    applicant: dict[str, Any],
    agency: Agency | None,
    received_at: datetime | None,
    components: list[int] | None,
    files: Iterable[dict],
    result_delivery: str,
    postal_tracking: str,
    return_address: str,
    idempotency_key: str,
    idempotency_fingerprint: str,
    note: str,
) -> Dossier:
    if channel not in Channel.values:
        raise ValidationFailed(fields={"channel": [_("Hình thức nộp phải là counter, online hoặc postal.")]})
    officer = staff(actor)
    if channel != Channel.ONLINE and (
        isinstance(actor, Applicant) or (officer is not None and not user_has_role(officer, Role.ONE_STOP_OFFICER))
    ):
        raise PermissionDeniedError(_("Chỉ cán bộ một cửa được tiếp nhận hồ sơ."))
    if result_delivery not in Delivery.values:
        raise ValidationFailed(fields={"result_delivery": [_("Hình thức trả kết quả không hợp lệ.")]})
    values = applicant_clean(applicant)
    at = now(received_at)
    version, first_process_step = selectors.intake_reference(code=procedure_code, on=timezone.localdate(at))
    allowed = {
        Channel.COUNTER: version.channel_counter,
        Channel.ONLINE: version.channel_online,
        Channel.POSTAL: version.channel_postal,
    }[Channel(channel)]
    if not allowed:
        raise ValidationFailed(
            fields={
                "channel": [_("Thủ tục không nhận hồ sơ theo hình thức “%(channel)s”.") % {"channel": Channel(channel).label}]
            }
        )
    if channel == Channel.POSTAL and not postal_tracking:
        postal.pickup_check(applicant_address=values["applicant_address"])  # a tracking number, or an order
    if result_delivery == Delivery.POST and not (return_address or values["applicant_address"]):
        raise ValidationFailed(fields={"return_address": [_("Cần địa chỉ nhận kết quả qua bưu chính.")]})
    files = list(files)
    checked = check_files(files)
    components, counts = _paper_counts(components)
    attached = {
        f["component"] if isinstance(f.get("component"), int) else f["component"].pk
        for f in files
        if f.get("component") is not None
    }
    # The version's components matter only when the officer ticked some or files name one.
    version_components = list(version.components.all()) if components is not None or attached else []
    known = {c.pk for c in version_components}
    if (attached | set(components or [])) - known:
        raise ValidationFailed(fields={"components": [_("Thành phần hồ sơ không thuộc thủ tục đã chọn.")]})
    if components is not None:
        present = set(components) | attached
        missing = [c for c in version_components if c.mandatory and c.pk not in present]
        if missing:
            raise ValidationFailed(
                _("Hồ sơ thiếu thành phần bắt buộc."),
                fields={"components": [_("Thiếu: %(component)s") % {"component": c.name} for c in missing]},
            )
    # Every paper received, scanned or not (BM.01 lists them): the ticked ones and those with a file.
    received = set(components or []) | attached
    papers = [
        ReceivedPaper(
            component_id=c.pk,
            order=c.order,
            name=c.name,
            originals=counts.get(c.pk, (c.originals, c.copies))[0],
            copies=counts.get(c.pk, (c.originals, c.copies))[1],
        )
        for c in version_components
        if c.pk in received
    ]
    agency = agency or version.agency or (officer.agency if officer is not None else None)
    if agency is None:
        raise ValidationFailed(fields={"agency": [_("Không xác định được cơ quan tiếp nhận.")]})
    # The dossier belongs to the deciding agency; its desk, or a service-centre officer seconded to it
    # (core.tenancy), receives it. The centre is recorded as the receiving place.
    # (Staff of the deciding agency itself skip the policy's look-up: the intake is the hot path.)
    # An applicant submits to the procedure's agency and the system acts for every agency: the policy
    # asks only about staff.
    own = officer is not None and officer.unit_id and officer.unit.agency_id == agency.pk
    if officer is not None and not own and not may_act_for(officer, agency.pk):
        raise PermissionDeniedError(_("Thủ tục thuộc thẩm quyền của cơ quan khác."))
    receiving_agency = None
    if officer is not None and officer.unit_id and officer.unit.agency_id != agency.pk:
        receiving_agency = officer.unit.agency if officer.unit.agency.is_service_centre else None

    secret = new_lookup_secret()
    accept_now = channel != Channel.ONLINE
    # Everything that only reads is done before the transaction: its first write takes the agency's
    # daily-sequence row lock, which every other intake of the agency waits for until commit.
    cal = Calendar()
    dossier = Dossier(
        agency=agency,
        receiving_agency=receiving_agency,
        procedure_version=version,
        channel=channel,
        status=Status.SUBMITTED,
        received_at=at,
        result_delivery=result_delivery,
        postal_tracking=postal_tracking.strip(),
        return_address=return_address.strip(),
        lookup_secret_hash=lookup_secret_hash(secret),
        idempotency_key=idempotency_key if officer else "",
        idempotency_fingerprint=idempotency_fingerprint if officer and idempotency_key else "",
        created_by=officer,
        note=note,
        **values,
    )
    dossier.search_text = dossier_search_text(**values, procedure_name=version.name)
    step = None
    if accept_now:
        dossier.status = Status.ACCEPTED
        set_appointment(cal, dossier, at=at)
        step = first_step(cal, dossier, at=at, actor=actor, first=first_process_step, write=False)
    day = timezone.localdate(at)
    with transaction.atomic():
        _insert_numbered(dossier, agency, day)
        store_files(dossier, checked, actor=actor)
        if step is not None:
            step.dossier = dossier  # its key exists now
        for paper in papers:
            paper.dossier = dossier
        finish(
            dossier,
            action="receive",
            actor=actor,
            at=at,
            status_from="",
            data={"channel": channel, "procedure": procedure_code},
            template="received" if channel != Channel.ONLINE else "submitted",
            rows=[
                [step] if step is not None else [],
                papers,
                # By post without a tracking number: the operator picks the papers up (dossiers.postal).
                postal.order_rows(dossier, kind=postal.Kind.PICKUP, at=at)
                if channel == Channel.POSTAL and not dossier.postal_tracking
                else [],
            ],
        )
    dossier.lookup_secret = secret  # shown once on the receipt (BM.01); only its hash is stored
    dossier.replayed = False
    return dossier


def request_fingerprint(data: Any) -> str:
    """SHA-256 of a request's validated data as canonical JSON (keys sorted, no spaces, dates as ISO
    text): the same request gives the same fingerprint whatever the key order or spacing of its body."""
    text = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def _paper_counts(components: list | None) -> tuple[list[int] | None, dict[int, tuple[int, int]]]:
    """`components` as given to dossier_receive — component ids, or dicts {"component": id,
    "originals": n, "copies": n} when the officer counted the papers — as (ids, {id: (originals, copies)})."""
    if components is None:
        return None, {}
    ids, counts = [], {}
    for index, item in enumerate(components):
        if not isinstance(item, dict):
            ids.append(int(item))
            continue
        try:
            pk, originals, copies = int(item["component"]), int(item.get("originals", 0)), int(item.get("copies", 0))
        except (KeyError, TypeError, ValueError):
            raise ValidationFailed(fields={f"components.{index}": [_("Cần mã thành phần và số bản chính, bản sao.")]}) from None
        if not (0 <= originals <= 99 and 0 <= copies <= 99) or originals + copies == 0:
            raise ValidationFailed(fields={f"components.{index}": [_("Số bản chính, bản sao từ 0 đến 99, ít nhất một bản.")]})
        ids.append(pk)
        counts[pk] = (originals, copies)
    return ids, counts


def _by_key(actor: Actor, key: str) -> Dossier | None:
    """The dossier this staff member created with the key (only staff send keys: an applicant's or the
    system's intake keeps none)."""
    if not isinstance(actor, User):
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            f'SELECT "id" FROM "{Dossier._meta.db_table}" WHERE "created_by_id" = %s AND "idempotency_key" = %s', [actor.pk, key]
        )
        row = cursor.fetchone()
    if row is None:
        return None
    pk = row[0]
    dossier = Dossier.objects.select_related("agency", "procedure_version__procedure").get(pk=pk)
    dossier.replayed = True
    return dossier
