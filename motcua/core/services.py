"""Writes of the core app: the audit log, agencies, units and staff."""

import json
import os
from collections.abc import Iterable, Sequence
from datetime import UTC
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import context
from .audit_hash import audit_chain, checkpoint_signature
from .errors import ValidationFailed
from .models import Agency, AgencyLevel, AuditCheckpoint, AuditHead, AuditLog, Secondment, Unit, User
from .roles import Role
from .selectors import agency_descendant_ids
from .sql import insert, insert_ctes, insert_statement, mark_saved
from .transitions import Actor, require_actor


def _append_in_one_statement(entry: AuditLog, together: Iterable[Sequence[models.Model]]) -> None:
    """PostgreSQL: insert the caller's rows and the entry (hashed in Python under the head lock the
    caller holds) and advance the head, in one statement."""
    qn = connection.ops.quote_name
    head = qn(AuditHead._meta.db_table)
    ctes, params = insert_ctes(together)
    entry_sql, entry_params, _ = insert_statement(entry)
    ctes.append(f"entry AS ({entry_sql})")
    sql = (
        f'WITH {", ".join(ctes)} UPDATE {head} SET "last_hash" = %s, "count" = {head}."count" + 1 '
        f'FROM entry WHERE {head}."id" = 1 RETURNING entry."id"'
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *entry_params, entry.hash])
        entry.pk = cursor.fetchone()[0]
    mark_saved(entry)


def _jsonable(value: Any) -> Any:
    # Round-trip through JSON so the hashed value equals what the database gives back.
    return json.loads(json.dumps(value, ensure_ascii=False, default=str))


def _locked_head_hash() -> str:
    """The newest hash, with the head row locked until commit (created on the very first entry).
    Written as SQL: it runs in every service call, and the ORM's query building cost more than the query."""
    sql = f'SELECT "last_hash" FROM "{AuditHead._meta.db_table}" WHERE "id" = 1'
    if connection.features.has_select_for_update:
        sql += " FOR UPDATE"
    with connection.cursor() as cursor:
        cursor.execute(sql)
        row = cursor.fetchone()
        if row is None:
            AuditHead.objects.get_or_create(id=1)
            cursor.execute(sql)
            row = cursor.fetchone()
    return row[0]


def audit_record(
    *,
    actor: Actor,
    action: str,
    obj: models.Model | None = None,
    changes: dict | None = None,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
    together: Iterable[Sequence[models.Model]] = (),
) -> AuditLog:
    """Append one audit entry. Call it inside the service's transaction, as its last write: the head
    row lock it takes is held until commit, which serialises the chain. `together`: the service's
    last rows (each group: unsaved instances of one model, keys not needed), written in the entry's
    statement on PostgreSQL (their keys are not read back), one statement each elsewhere.

    The entry's hash is an HMAC computed here, in Python, with a key the database never sees: the head
    is read under its lock (one statement), then the rows, the entry and the new head go in one more.

    `actor`: who made the change (core.transitions): a staff User (recorded by id and username), an
    Applicant ("applicant:<via>") or SYSTEM ("system"). None is refused (TypeError): every entry names
    its actor."""
    require_actor(actor)
    ctx = context.current()
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)[:255]
    if isinstance(actor, User):
        actor_id, actor_repr = actor.pk, actor.get_username()
    else:
        actor_id, actor_repr = None, actor.describe()
    fields = dict(
        at=timezone.now(),
        actor_id=actor_id,
        actor_repr=actor_repr,
        action=action,
        object_type=object_type,
        object_id=object_id,
        object_repr=object_repr,
        changes=_jsonable(changes or {}),
        request_id=ctx.request_id,
        ip=ctx.ip,
    )
    entry = AuditLog(**fields)
    # core.sql writes it: AuditLog.save() only refuses updates, and a new entry is an insert.
    # No savepoint of its own: it is the caller's last write, and a failure must undo the caller's work.
    with transaction.atomic(savepoint=False):
        ((entry.prev_hash, entry.hash),) = audit_chain([fields], prev_hash=_locked_head_hash())
        if connection.vendor == "postgresql":
            _append_in_one_statement(entry, together)
            return entry
        for group in together:
            insert(*group)
        insert(entry)
        with connection.cursor() as cursor:
            cursor.execute(
                f'UPDATE "{AuditHead._meta.db_table}" SET "last_hash" = %s, "count" = "count" + 1 WHERE "id" = 1', [entry.hash]
            )
    return entry


def audit_checkpoint_take(*, only_if_changed: bool = False) -> AuditCheckpoint | None:
    """Sign the audit log's state (entry count, newest entry, head hash) with the audit key and keep it
    outside the log: a row of AuditCheckpoint and a line appended to settings.AUDIT_CHECKPOINT_FILE.
    `verify_audit` then notices entries removed or rewritten before it, even with the head row.
    `only_if_changed`: nothing when the log has not grown since the newest checkpoint (the worker's way).
    Not itself audited: it changes no record, and the worker takes one every few minutes."""
    with transaction.atomic():
        head_hash = _locked_head_hash()  # appends wait until this commits: count and head agree
        with connection.cursor() as cursor:
            cursor.execute(f'SELECT "count" FROM "{AuditHead._meta.db_table}" WHERE "id" = 1')
            count = cursor.fetchone()[0]
        last_entry_id = AuditLog.objects.aggregate(last=models.Max("id"))["last"]
        newest = AuditCheckpoint.objects.order_by("-id").first()
        if only_if_changed and newest is not None and (newest.count, newest.head_hash) == (count, head_hash):
            return None
        taken_at = timezone.now()
        stamp = taken_at.astimezone(UTC).isoformat(timespec="microseconds")
        signature = checkpoint_signature(taken_at=stamp, count=count, last_entry_id=last_entry_id, head_hash=head_hash)
        checkpoint = AuditCheckpoint.objects.create(
            taken_at=taken_at, count=count, last_entry_id=last_entry_id, head_hash=head_hash, signature=signature
        )
        path = Path(settings.AUDIT_CHECKPOINT_FILE)
        path.parent.mkdir(parents=True, exist_ok=True)
        line = json.dumps(
            {"taken_at": stamp, "count": count, "last_entry_id": last_entry_id, "head_hash": head_hash, "signature": signature},
            separators=(",", ":"),
        )
        with path.open("a", encoding="utf-8") as handle:
            handle.write(line + "\n")
            handle.flush()
            os.fsync(handle.fileno())
    return checkpoint


def agency_create(*, actor: Actor, name: str, short_name: str, code: str, **extra: Any) -> Agency:
    with transaction.atomic():
        if Agency.objects.filter(short_name=short_name).exists():
            raise ValidationFailed(fields={"short_name": [_("Tên viết tắt đã được dùng.")]})
        if Agency.objects.filter(code=code).exists():
            raise ValidationFailed(fields={"code": [_("Mã định danh đã được dùng.")]})
        agency = Agency.objects.create(name=name, short_name=short_name, code=code, **extra)
        audit_record(actor=actor, action="agency.create", obj=agency, changes={"code": code})
    return agency


def agency_place(*, actor: Actor, agency: Agency, parent: Agency | None, level: str | None = None) -> Agency:
    """Place the agency in the province's hierarchy under `parent` (None: at the top), at `level`.
    An agency cannot be placed under itself or under one of its own descendants (400)."""
    if level is not None and level not in AgencyLevel.values:
        raise ValidationFailed(fields={"level": [_("Cấp của cơ quan không hợp lệ.")]})
    with transaction.atomic():
        agency = Agency.objects.select_for_update().get(pk=agency.pk)
        if parent is not None and parent.pk in agency_descendant_ids(agency):
            raise ValidationFailed(fields={"parent": [_("Không đặt cơ quan dưới chính nó hoặc dưới cơ quan cấp dưới của nó.")]})
        before = [agency.parent_id, agency.level]
        agency.parent = parent
        if level is not None:
            agency.level = level
        agency.save(update_fields=["parent", "level", "updated_at"])
        audit_record(
            actor=actor,
            action="agency.place",
            obj=agency,
            changes={"parent": [before[0], agency.parent_id], "level": [before[1], agency.level]},
        )
    return agency


def secondment_add(*, actor: Actor, user: User, agency: Agency) -> Secondment:
    """Second a Public Administration Service Centre officer to receive dossiers for `agency`.
    Only staff of a service centre are seconded (400); seconding twice returns the existing row."""
    if not (user.unit_id and user.unit.agency.is_service_centre):
        raise ValidationFailed(
            fields={"user": [_("Chỉ cán bộ của Trung tâm Phục vụ hành chính công được cử tiếp nhận thay cơ quan khác.")]}
        )
    if agency.pk == user.unit.agency_id:
        raise ValidationFailed(fields={"agency": [_("Cán bộ đã thuộc cơ quan này.")]})
    with transaction.atomic():
        row, created = Secondment.objects.get_or_create(user=user, agency=agency)
        if created:
            audit_record(actor=actor, action="secondment.add", obj=row, changes={"user": user.pk, "agency": agency.pk})
    return row


def secondment_remove(*, actor: Actor, user: User, agency: Agency) -> None:
    with transaction.atomic():
        row = Secondment.objects.filter(user=user, agency=agency).first()
        if row is None:
            return
        snapshot = Secondment(pk=row.pk, user=user, agency=agency)
        row.delete()
        audit_record(actor=actor, action="secondment.remove", obj=snapshot, changes={"user": user.pk, "agency": agency.pk})


def unit_create(*, actor: Actor, agency: Agency, name: str, short_name: str, is_one_stop_desk: bool = False) -> Unit:
    with transaction.atomic():
        unit = Unit.objects.create(agency=agency, name=name, short_name=short_name, is_one_stop_desk=is_one_stop_desk)
        audit_record(actor=actor, action="unit.create", obj=unit)
    return unit


def staff_create(
    *,
    actor: Actor,
    username: str,
    password: str,
    full_name: str,
    unit: Unit | None,
    roles: list[str],
    email: str = "",
    position: str = "",
) -> User:
    """Create a staff user holding the given roles (Role codes)."""
    unknown = set(roles) - set(Role.values)
    if unknown:
        raise ValidationFailed(fields={"roles": [_("Vai trò không hợp lệ: %(roles)s") % {"roles": ", ".join(sorted(unknown))}]})
    with transaction.atomic():
        first, _space, last = full_name.rpartition(" ")
        user = User.objects.create_user(
            username=username,
            password=password,
            email=email,
            unit=unit,
            position=position,
            first_name=first,
            last_name=last,
            is_staff=Role.ADMINISTRATOR in roles,
        )
        staff_set_roles(actor=actor, user=user, roles=roles, _audit=False)
        audit_record(actor=actor, action="staff.create", obj=user, changes={"roles": sorted(roles)})
    return user


def staff_set_roles(*, actor: Actor, user: User, roles: list[str], _audit: bool = True) -> User:
    groups = [Group.objects.get_or_create(name=code)[0] for code in sorted(set(roles))]
    with transaction.atomic():
        user.groups.set(groups)
        user.__dict__.pop("_motcua_roles", None)
        if _audit:
            audit_record(actor=actor, action="staff.set_roles", obj=user, changes={"roles": sorted(roles)})
    return user
