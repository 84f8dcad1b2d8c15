"""Writes of the catalog: fields, procedures and their versions, publication decisions.

A version is created as a draft; a publication decision puts it in force from the decision's effective date
(and retires or abolishes the version it supersedes). Every write is one transaction, audited last."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core.errors import TransitionNotAllowed, ValidationFailed
from motcua.core.models import Agency, Unit
from motcua.core.roles import Role
from motcua.core.services import audit_record
from motcua.core.transitions import Actor

from . import public_cache
from .models import (
    Component,
    DecisionItem,
    Fee,
    Field,
    OnlineClass,
    Procedure,
    ProcedureVersion,
    ProcessStep,
    PublicationDecision,
    TimeUnit,
)
from .selectors import procedure_agency_id
from .text import normalize, search_text

# Attributes of a version that services accept in `data` (everything but identity, status and dates).
VERSION_FIELDS = (
    "name",
    "field",
    "agency",
    "implementing_body",
    "government_level",
    "legal_basis",
    "target",
    "time_unit",
    "legal_time",
    "committed_time",
    "time_note",
    "online_level",
    "online_class",
    "channel_counter",
    "channel_online",
    "channel_postal",
    "result_by_post",
    "four_on_spot",
    "one_stop",
    "reception_cutoff",
    "result",
    "conditions",
    "steps_text",
    "illustrative",
    "source",
)


def version_search_text(*, name: str, code: str) -> str:
    """What the public search matches: the unaccented lower-case name, then the code."""
    return f"{search_text(name)} {search_text(code)}".strip()


# --- fields -------------------------------------------------------------------------------------------------


def field_get_or_create(*, actor: Actor, code: str, name: str) -> Field:
    """The field with this code; created (and audited) when missing."""
    code, name = (code or "").strip(), (name or "").strip()
    field = Field.objects.filter(code=code).first() if code else None
    if field is not None:
        return field
    if not code or not name:
        raise ValidationFailed(fields={"field": [_("Lĩnh vực phải có mã và tên.")]})
    with transaction.atomic():
        field = Field.objects.create(code=code, name=name, search_text=normalize(name))
        audit_record(actor=actor, action="catalog.field_create", obj=field, changes={"code": code, "name": name})
        public_cache.catalog_changed()  # the search filter lists every field
    return field


# --- validation ---------------------------------------------------------------------------------------------


def _unit_label(time_unit: str) -> str:
    return TimeUnit(time_unit).label if time_unit in TimeUnit.values else _("ngày làm việc")


def _fmt(value: Decimal) -> str:
    text = f"{Decimal(value).normalize():f}"
    return text.replace(".", ",")


def validate_version(data: dict[str, Any], steps: list[dict] | None) -> None:
    """Raise ValidationFailed with Vietnamese field errors when the version's content is inconsistent."""
    errors: dict[str, list[str]] = {}
    if not (data.get("name") or "").strip():
        errors.setdefault("name", []).append(_("Tên thủ tục không được để trống."))
    if not data.get("field"):
        errors.setdefault("field", []).append(_("Chưa chọn lĩnh vực."))
    level = data.get("online_level")
    if level is not None and level not in (1, 2, 3, 4):
        errors.setdefault("online_level", []).append(_("Mức độ dịch vụ công trực tuyến phải từ 1 đến 4."))
    if data.get("online_class", OnlineClass.NONE) not in OnlineClass.values:
        errors.setdefault("online_class", []).append(_("Hình thức dịch vụ công trực tuyến không hợp lệ."))
    if data.get("time_unit", TimeUnit.WORKING_DAYS) not in TimeUnit.values:
        errors.setdefault("time_unit", []).append(_("Đơn vị thời gian không hợp lệ."))
    legal, committed = data.get("legal_time"), data.get("committed_time")
    for key, value in (("legal_time", legal), ("committed_time", committed)):
        if value is not None and Decimal(value) <= 0:
            errors.setdefault(key, []).append(_("Thời hạn phải lớn hơn 0."))
    if legal is not None and committed is not None and Decimal(committed) > Decimal(legal):
        errors.setdefault("committed_time", []).append(
            _("Thời hạn cam kết (%(committed)s) không được dài hơn thời hạn theo quy định (%(legal)s).")
            % {"committed": _fmt(committed), "legal": _fmt(legal)}
        )
    if steps:
        unit = _unit_label(data.get("time_unit", TimeUnit.WORKING_DAYS))
        orders = [s.get("order") for s in steps if s.get("order") is not None]
        if len(orders) != len(set(orders)):
            errors.setdefault("steps", []).append(_("Thứ tự các bước quy trình bị trùng."))
        for i, step in enumerate(steps, start=1):
            if not (step.get("name") or "").strip():
                errors.setdefault("steps", []).append(_("Bước %(step)d: chưa ghi nội dung công việc.") % {"step": i})
            if step.get("duration") is None or Decimal(step["duration"]) <= 0:
                errors.setdefault("steps", []).append(_("Bước %(step)d: thời gian phải lớn hơn 0.") % {"step": i})
        limit = committed if committed is not None else legal
        if limit is None:
            errors.setdefault("steps", []).append(_("Phải có thời hạn cam kết (hoặc theo quy định) để lập quy trình nội bộ."))
        elif "steps" not in errors:
            total = sum(Decimal(s["duration"]) for s in steps)
            if total > Decimal(limit):
                errors.setdefault("steps", []).append(
                    _(
                        "Tổng thời gian các bước quy trình nội bộ (%(total)s %(unit)s) vượt quá thời hạn cam kết "
                        "(%(limit)s %(unit)s). Hãy giảm thời gian của các bước."
                    )
                    % {"total": _fmt(total), "limit": _fmt(limit), "unit": unit}
                )
    if errors:
        raise ValidationFailed(_("Thông tin thủ tục chưa hợp lệ."), fields=errors)


def _clean_data(data: dict[str, Any]) -> dict[str, Any]:
    unknown = set(data) - set(VERSION_FIELDS)
    if unknown:
        raise ValidationFailed(fields={k: [_("Trường không được hỗ trợ.")] for k in sorted(unknown)})
    clean = dict(data)
    for key in ("legal_time", "committed_time"):
        if clean.get(key) not in (None, ""):
            clean[key] = Decimal(str(clean[key]))
        elif key in clean:
            clean[key] = None
    return clean


def _resolve_unit(unit: Any, agency: Agency | None) -> Unit | None:
    if unit is None or isinstance(unit, Unit):
        return unit
    qs = Unit.objects.filter(short_name=unit)
    if agency is not None:
        qs = qs.filter(agency=agency)
    found = qs.first()
    if found is None:
        raise ValidationFailed(fields={"steps": [_("Không có đơn vị viết tắt “%(unit)s”.") % {"unit": unit}]})
    return found


def _write_children(
    version: ProcedureVersion, components: list[dict] | None, fees: list[dict] | None, steps: list[dict] | None
) -> None:
    if components is not None:
        version.components.all().delete()
        Component.objects.bulk_create(
            [
                Component(
                    version=version,
                    order=c.get("order") or i,
                    name=c["name"],
                    originals=c.get("originals", 1),
                    copies=c.get("copies", 0),
                    mandatory=c.get("mandatory", True),
                    form_name=c.get("form_name", ""),
                    form_file=c.get("form_file") or "",
                )
                for i, c in enumerate(components, start=1)
            ]
        )
    if fees is not None:
        version.fees.all().delete()
        Fee.objects.bulk_create(
            [Fee(version=version, name=f["name"], amount_vnd=int(f.get("amount_vnd") or 0), note=f.get("note", "")) for f in fees]
        )
    if steps is not None:
        version.steps.all().delete()
        rows = []
        for i, s in enumerate(steps, start=1):
            # Inter-agency step (liên thông): "agency" is another agency (object, id or short name); its
            # unit is looked up in that agency.
            agency = _resolve_agency(s.get("agency"))
            rows.append(
                ProcessStep(
                    version=version,
                    order=s.get("order") or i,
                    name=s["name"],
                    agency=agency,
                    unit=_resolve_unit(s.get("unit"), agency or version.agency),
                    role=s.get("role", "") or "",
                    duration=Decimal(str(s["duration"])),
                )
            )
        ProcessStep.objects.bulk_create(rows)


def _resolve_agency(agency: Any) -> Agency | None:
    if agency is None or agency == "" or isinstance(agency, Agency):
        return agency or None
    found = (
        Agency.objects.filter(pk=agency).first()
        if isinstance(agency, int)
        else Agency.objects.filter(short_name=str(agency)).first()
    )
    if found is None:
        raise ValidationFailed(fields={"steps": [_("Không có cơ quan “%(agency)s”.") % {"agency": agency}]})
    return found


def _existing_steps(version: ProcedureVersion) -> list[dict]:
    return [{"order": s.order, "name": s.name, "duration": s.duration} for s in version.steps.all()]


# --- procedures and versions --------------------------------------------------------------------------------


def procedure_create(
    *,
    actor: Actor,
    code: str,
    data: dict[str, Any],
    components: list[dict] | None = None,
    fees: list[dict] | None = None,
    steps: list[dict] | None = None,
) -> ProcedureVersion:
    """A new procedure with its first version, as a draft (a publication decision puts it in force)."""
    code = (code or "").strip()
    if not code:
        raise ValidationFailed(fields={"code": [_("Mã thủ tục không được để trống.")]})
    data = _clean_data(data)
    validate_version(data, steps)
    with transaction.atomic():
        if Procedure.objects.filter(code=code).exists():
            raise ValidationFailed(fields={"code": [_("Mã thủ tục %(code)s đã có trong danh mục.") % {"code": code}]})
        procedure = Procedure.objects.create(code=code)
        version = ProcedureVersion.objects.create(
            procedure=procedure,
            number=1,
            status=ProcedureVersion.Status.DRAFT,
            search_text=version_search_text(name=data["name"], code=code),
            **data,
        )
        _write_children(version, components or [], fees or [], steps or [])
        audit_record(actor=actor, action="catalog.procedure_create", obj=version, changes={"code": code, "name": data["name"]})
    return version


def procedure_version_create(
    *,
    actor: Actor,
    procedure: Procedure,
    data: dict[str, Any] | None = None,
    components: list[dict] | None = None,
    fees: list[dict] | None = None,
    steps: list[dict] | None = None,
    based_on: ProcedureVersion | None = None,
) -> ProcedureVersion:
    """A new draft version of an existing procedure. Unless given, content, components, fees and steps are
    copied from `based_on` (default: the latest version), so an amendment states only what changes."""
    with transaction.atomic():
        base = based_on or procedure.versions.order_by("-number").first()
        merged: dict[str, Any] = {k: getattr(base, k) for k in VERSION_FIELDS} if base else {}
        merged.update(_clean_data(data or {}))
        if steps is None and base is not None:
            steps = [
                {"order": s.order, "name": s.name, "unit": s.unit, "agency": s.agency, "role": s.role, "duration": s.duration}
                for s in base.steps.all()
            ]
        if components is None and base is not None:
            components = [
                {
                    "order": c.order,
                    "name": c.name,
                    "originals": c.originals,
                    "copies": c.copies,
                    "mandatory": c.mandatory,
                    "form_name": c.form_name,
                    "form_file": c.form_file.name,
                }
                for c in base.components.all()
            ]
        if fees is None and base is not None:
            fees = [{"name": f.name, "amount_vnd": f.amount_vnd, "note": f.note} for f in base.fees.all()]
        validate_version(merged, steps)
        number = (procedure.versions.aggregate(n=Max("number"))["n"] or 0) + 1
        version = ProcedureVersion.objects.create(
            procedure=procedure,
            number=number,
            status=ProcedureVersion.Status.DRAFT,
            search_text=version_search_text(name=merged["name"], code=procedure.code),
            **merged,
        )
        _write_children(version, components or [], fees or [], steps or [])
        audit_record(actor=actor, action="catalog.version_create", obj=version, changes={"number": number})
    return version


def procedure_version_update(
    *,
    actor: Actor,
    version: ProcedureVersion,
    data: dict[str, Any] | None = None,
    components: list[dict] | None = None,
    fees: list[dict] | None = None,
    steps: list[dict] | None = None,
) -> ProcedureVersion:
    """Edit a draft version, or correct the one in force (a version that has ended stays as it was)."""
    data = _clean_data(data or {})
    with transaction.atomic():
        version = ProcedureVersion.objects.select_for_update().get(pk=version.pk)
        if version.status not in (ProcedureVersion.Status.DRAFT, ProcedureVersion.Status.IN_FORCE):
            raise TransitionNotAllowed(_("Phiên bản đã hết hiệu lực hoặc bị bãi bỏ, không sửa được."))
        merged = {k: getattr(version, k) for k in VERSION_FIELDS}
        merged.update(data)
        validate_version(merged, steps if steps is not None else _existing_steps(version))
        changes = {k: str(v) for k, v in data.items() if getattr(version, k) != v}
        for key, value in data.items():
            setattr(version, key, value)
        version.search_text = version_search_text(name=version.name, code=version.procedure.code)
        version.save()
        _write_children(version, components, fees, steps)
        audit_record(actor=actor, action="catalog.version_update", obj=version, changes=changes)
        if version.status == ProcedureVersion.Status.IN_FORCE:
            public_cache.catalog_changed()
    return version


# --- publication decisions ----------------------------------------------------------------------------------


def decision_create(
    *, actor: Actor, agency: Agency, number: str, signed_on: date, effective_on: date, signer: str = "", title: str = ""
) -> PublicationDecision:
    number = (number or "").strip()
    errors = {}
    if not number:
        errors["number"] = [_("Số quyết định không được để trống.")]
    if signed_on and effective_on and effective_on < signed_on:
        errors["effective_on"] = [_("Ngày hiệu lực không được trước ngày ký.")]
    if errors:
        raise ValidationFailed(fields=errors)
    with transaction.atomic():
        if PublicationDecision.objects.filter(agency=agency, number=number).exists():
            raise ValidationFailed(fields={"number": [_("Quyết định số %(number)s đã có.") % {"number": number}]})
        decision = PublicationDecision.objects.create(
            agency=agency, number=number, signed_on=signed_on, effective_on=effective_on, signer=signer, title=title
        )
        audit_record(
            actor=actor,
            action="catalog.decision_create",
            obj=decision,
            changes={"number": number, "effective_on": effective_on.isoformat()},
        )
    return decision


def decision_item_add(
    *,
    actor: Actor,
    decision: PublicationDecision,
    action: str,
    procedure: Procedure,
    version: ProcedureVersion | None = None,
    replaces: Procedure | None = None,
) -> DecisionItem:
    """Add one procedure to a decision not yet applied. New, amended and replaced items publish a draft
    version of `procedure`; a replaced item names the procedure it `replaces`; abolished items name only
    the procedure."""
    Action = DecisionItem.Action  # noqa: N806
    errors: dict[str, list[str]] = {}
    if action not in Action.values:
        errors["action"] = [_("Hình thức công bố không hợp lệ.")]
    elif action == Action.ABOLISHED:
        if version is not None:
            errors["version"] = [_("Bãi bỏ không kèm phiên bản mới.")]
    else:
        if version is None:
            errors["version"] = [_("Phải chọn phiên bản được công bố.")]
        elif version.procedure_id != procedure.pk:
            errors["version"] = [_("Phiên bản không thuộc thủ tục đã chọn.")]
        elif version.status != ProcedureVersion.Status.DRAFT:
            errors["version"] = [_("Chỉ công bố được phiên bản đang là dự thảo.")]
        if action == Action.REPLACED and (replaces is None or replaces.pk == procedure.pk):
            errors["replaces"] = [_("Phải chọn thủ tục bị thay thế (khác thủ tục mới).")]
    for name, proc in (("code", procedure), ("replaces", replaces)):
        owner = procedure_agency_id(proc) if proc is not None else None
        if owner is not None and owner != decision.agency_id:
            errors[name] = [_("Thủ tục không thuộc cơ quan ban hành quyết định.")]
    if errors:
        raise ValidationFailed(fields=errors)
    with transaction.atomic():
        decision = PublicationDecision.objects.select_for_update().get(pk=decision.pk)
        if decision.applied_at is not None:
            raise TransitionNotAllowed(_("Quyết định đã được áp dụng, không thêm nội dung được."))
        if decision.items.filter(procedure=procedure).exists():
            raise ValidationFailed(
                fields={"procedure": [_("Thủ tục %(code)s đã có trong quyết định.") % {"code": procedure.code}]}
            )
        item = DecisionItem.objects.create(
            decision=decision,
            action=action,
            procedure=procedure,
            version=version,
            replaces=replaces if action == Action.REPLACED else None,
        )
        audit_record(
            actor=actor,
            action="catalog.decision_item_add",
            obj=decision,
            changes={"action": action, "procedure": procedure.code, "version": version.number if version else None},
        )
    return item


def decision_item_remove(*, actor: Actor, item: DecisionItem) -> None:
    with transaction.atomic():
        decision = PublicationDecision.objects.select_for_update().get(pk=item.decision_id)
        if decision.applied_at is not None:
            raise TransitionNotAllowed(_("Quyết định đã được áp dụng, không bớt nội dung được."))
        code = item.procedure.code
        item.delete()
        audit_record(actor=actor, action="catalog.decision_item_remove", obj=decision, changes={"procedure": code})


def _current_version(procedure_id: int, on: date) -> ProcedureVersion | None:
    """The version that is (or will be) in force for the procedure, ignoring drafts."""
    return (
        ProcedureVersion.objects.select_for_update()
        .filter(procedure_id=procedure_id, status=ProcedureVersion.Status.IN_FORCE)
        .first()
    )


def _end_version(version: ProcedureVersion, *, on: date, status: str, decision: PublicationDecision) -> None:
    if version.valid_from and version.valid_from > on:
        raise ValidationFailed(
            fields={
                "effective_on": [
                    _("Phiên bản đang hiệu lực của thủ tục %(code)s bắt đầu từ %(valid_from)s, sau ngày hiệu lực của quyết định.")
                    % {"code": version.procedure.code, "valid_from": f"{version.valid_from:%d/%m/%Y}"}
                ]
            }
        )
    version.status = status
    version.valid_to = on
    version.save(update_fields=["status", "valid_to", "updated_at"])


def _start_version(version: ProcedureVersion, *, on: date) -> None:
    version.status = ProcedureVersion.Status.IN_FORCE
    version.valid_from = on
    version.valid_to = None
    version.save(update_fields=["status", "valid_from", "valid_to", "updated_at"])


def decision_apply(*, actor: Actor, decision: PublicationDecision) -> PublicationDecision:
    """Apply a decision: each published version is in force from the effective date; the version it
    supersedes ends that day (valid_to, exclusive); abolished procedures end that day. A decision is applied
    once: a second call raises TransitionNotAllowed (409)."""
    Action = DecisionItem.Action  # noqa: N806
    Status = ProcedureVersion.Status  # noqa: N806
    with transaction.atomic():
        decision = PublicationDecision.objects.select_for_update().get(pk=decision.pk)
        if decision.applied_at is not None:
            raise TransitionNotAllowed(
                _("Quyết định %(number)s đã được áp dụng lúc %(applied_at)s.")
                % {"number": decision.number, "applied_at": f"{timezone.localtime(decision.applied_at):%H:%M %d/%m/%Y}"}
            )
        items = list(decision.items.select_related("procedure", "version", "replaces").order_by("id"))
        if not items:
            raise ValidationFailed(fields={"items": [_("Quyết định chưa có thủ tục nào.")]})
        on = decision.effective_on
        summary: dict[str, list[str]] = {a: [] for a in Action.values}
        for item in items:
            code = item.procedure.code
            current = _current_version(item.procedure_id, on)
            if item.action == Action.ABOLISHED:
                if current is None:
                    raise ValidationFailed(
                        fields={"items": [_("Thủ tục %(code)s không có phiên bản đang hiệu lực để bãi bỏ.") % {"code": code}]}
                    )
                _end_version(current, on=on, status=Status.ABOLISHED, decision=decision)
            else:
                version = ProcedureVersion.objects.select_for_update().get(pk=item.version_id)
                if version.status != Status.DRAFT:
                    raise TransitionNotAllowed(
                        _("Phiên bản %(number)s của thủ tục %(code)s không còn là dự thảo.")
                        % {"number": version.number, "code": code}
                    )
                if item.action == Action.NEW and current is not None:
                    raise ValidationFailed(
                        fields={
                            "items": [
                                _("Thủ tục %(code)s đã có phiên bản đang hiệu lực; hãy dùng hình thức sửa đổi, bổ sung.")
                                % {"code": code}
                            ]
                        }
                    )
                if item.action == Action.AMENDED and current is None:
                    raise ValidationFailed(
                        fields={
                            "items": [
                                _("Thủ tục %(code)s chưa có phiên bản đang hiệu lực để sửa đổi; hãy dùng hình thức công bố mới.")
                                % {"code": code}
                            ]
                        }
                    )
                if current is not None:
                    _end_version(current, on=on, status=Status.RETIRED, decision=decision)
                if item.action == Action.REPLACED and item.replaces_id:
                    old = _current_version(item.replaces_id, on)
                    if old is None:
                        raise ValidationFailed(
                            fields={
                                "items": [
                                    _("Thủ tục bị thay thế %(code)s không có phiên bản đang hiệu lực.")
                                    % {"code": item.replaces.code}
                                ]
                            }
                        )
                    _end_version(old, on=on, status=Status.RETIRED, decision=decision)
                _start_version(version, on=on)
            summary[item.action].append(code)
        decision.applied_at = timezone.now()
        decision.save(update_fields=["applied_at", "updated_at"])
        audit_record(
            actor=actor,
            action="catalog.decision_apply",
            obj=decision,
            changes={k: v for k, v in summary.items() if v} | {"effective_on": on.isoformat()},
        )
        public_cache.catalog_changed()
    return decision


def procedure_publish(*, actor: Actor, version: ProcedureVersion, valid_from: date) -> ProcedureVersion:
    """Put a draft version in force directly (imports and data migration, where the publication decision is
    not recorded in the system); the version in force before it ends on `valid_from`."""
    with transaction.atomic():
        version = ProcedureVersion.objects.select_for_update().get(pk=version.pk)
        if version.status != ProcedureVersion.Status.DRAFT:
            raise TransitionNotAllowed(_("Chỉ đưa vào hiệu lực được phiên bản dự thảo."))
        current = _current_version(version.procedure_id, valid_from)
        if current is not None:
            if current.valid_from and current.valid_from >= valid_from:
                raise ValidationFailed(
                    fields={"valid_from": [_("Ngày hiệu lực phải sau ngày hiệu lực của phiên bản hiện hành.")]}
                )
            current.status = ProcedureVersion.Status.RETIRED
            current.valid_to = valid_from
            current.save(update_fields=["status", "valid_to", "updated_at"])
        _start_version(version, on=valid_from)
        audit_record(actor=actor, action="catalog.version_publish", obj=version, changes={"valid_from": valid_from.isoformat()})
        public_cache.catalog_changed()
    return version


CATALOG_EDITORS = (Role.ADMINISTRATOR, Role.LEADER)
