"""Writes of the review app: plans and their items, progress, compliance-cost inputs, proposals (sent as an
outgoing document, decided, adopted through a publication decision) and deadline reminders. One transaction
per call, the audit entry last."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_FLOOR, Decimal, InvalidOperation

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.catalog import services as catalog_services
from motcua.catalog.models import DecisionItem, Procedure, ProcedureVersion, PublicationDecision
from motcua.core.errors import ValidationFailed
from motcua.core.models import Agency, Unit, User
from motcua.core.roles import Role
from motcua.core.services import audit_record
from motcua.core.transitions import Actor, StateMachine, Transition, require_actor
from motcua.core.validators import NOTE_MAX, date_check, text_check
from motcua.documents import services as documents
from motcua.documents.models import DocumentType, RegisterKind
from motcua.notifications.services import message_enqueue

from .defaults import REMINDER_CODE
from .models import CostEstimate, Proposal, ReviewItem, ReviewPlan

EDITORS = (Role.LEADER, Role.SPECIALIST)
NEW = "new"
_P = Proposal.Status

PROPOSAL = StateMachine(
    {
        "create": Transition(frozenset({NEW}), EDITORS, label=gettext_lazy("lập phương án")),
        "edit": Transition(frozenset({_P.DRAFT}), EDITORS, label=gettext_lazy("sửa phương án")),
        "send": Transition(frozenset({_P.DRAFT}), EDITORS, label=gettext_lazy("gửi phương án")),
        "decide": Transition(frozenset({_P.SENT}), EDITORS, label=gettext_lazy("ghi nhận ý kiến")),
    },
    lambda status: Proposal.Status(status).label if status in Proposal.Status.values else status,
    subject=gettext_lazy("phương án đơn giản hóa"),
)
ITEM = StateMachine(
    {
        "plan": Transition(frozenset({NEW}), EDITORS, label=gettext_lazy("lập kế hoạch rà soát")),
        "progress": Transition(
            frozenset({ReviewItem.Status.PLANNED, ReviewItem.Status.IN_PROGRESS}), EDITORS, label=gettext_lazy("cập nhật tiến độ")
        ),
        "cost": Transition(
            frozenset({ReviewItem.Status.PLANNED, ReviewItem.Status.IN_PROGRESS}), EDITORS, label=gettext_lazy("tính chi phí")
        ),
    },
    lambda status: ReviewItem.Status(status).label if status in ReviewItem.Status.values else status,
    subject=gettext_lazy("việc rà soát"),
)


# ---------------------------------------------------------------------------------------------- plans


def plan_create(
    *, actor: User, agency: Agency, year: int, title: str, number: str = "", issued_on: date | None = None
) -> ReviewPlan:
    ITEM.ensure("plan", NEW, actor)
    errors = {}
    if not (title or "").strip():
        errors["title"] = [_("Nhập tên kế hoạch.")]
    if not 2000 <= int(year) <= 2100:
        errors["year"] = [_("Năm phải từ 2000 đến 2100.")]
    if errors:
        raise ValidationFailed(fields=errors)
    if issued_on:
        date_check(issued_on, field="issued_on")
    with transaction.atomic():
        if ReviewPlan.objects.filter(agency=agency, year=year).exists():
            raise ValidationFailed(fields={"year": [_("Cơ quan đã có kế hoạch rà soát năm %(year)s.") % {"year": year}]})
        plan = ReviewPlan.objects.create(
            agency=agency,
            year=year,
            title=title.strip(),
            number=(number or "").strip(),
            issued_on=issued_on,
            created_by=actor if isinstance(actor, User) else None,
        )
        audit_record(actor=actor, action="review.plan_create", obj=plan, changes={"year": year})
    return plan


def item_add(
    *, actor: Actor, plan: ReviewPlan, procedure: Procedure, unit: Unit, deadline: date, responsible: User | None = None
) -> ReviewItem:
    ITEM.ensure("plan", NEW, actor)
    errors = {}
    if unit.agency_id != plan.agency_id:
        errors["unit"] = [_("Đơn vị chủ trì phải thuộc cơ quan lập kế hoạch.")]
    if responsible is not None and (responsible.unit is None or responsible.unit.agency_id != plan.agency_id):
        errors["responsible"] = [_("Người phụ trách phải là cán bộ của cơ quan lập kế hoạch.")]
    if not ProcedureVersion.objects.filter(procedure=procedure, agency_id=plan.agency_id).exists():
        errors["procedure"] = [_("Thủ tục không thuộc thẩm quyền của cơ quan.")]
    if errors:
        raise ValidationFailed(fields=errors)
    date_check(deadline, field="deadline")
    with transaction.atomic():
        if plan.items.filter(procedure=procedure).exists():
            raise ValidationFailed(fields={"procedure": [_("Thủ tục %(code)s đã có trong kế hoạch.") % {"code": procedure.code}]})
        item = ReviewItem.objects.create(plan=plan, procedure=procedure, unit=unit, responsible=responsible, deadline=deadline)
        audit_record(
            actor=actor,
            action="review.item_add",
            obj=item,
            changes={"procedure": procedure.code, "deadline": deadline.isoformat()},
        )
    return item


def item_progress(*, actor: Actor, item: ReviewItem, progress: int, note: str = "") -> ReviewItem:
    """Progress in %; 100 marks the review done (it can then no longer change)."""
    try:
        progress = int(progress)
    except (TypeError, ValueError):
        progress = -1
    if not 0 <= progress <= 100:
        raise ValidationFailed(fields={"progress": [_("Tiến độ là số từ 0 đến 100.")]})
    text_check(note, limit=NOTE_MAX, field="note")
    with transaction.atomic():
        item = ReviewItem.objects.select_for_update().get(pk=item.pk)
        ITEM.ensure("progress", item.status, actor)
        before = (item.status, item.progress)
        item.progress = progress
        item.status = ReviewItem.Status.DONE if progress == 100 else ReviewItem.Status.IN_PROGRESS
        if note.strip():
            item.note = note.strip()
        item.save(update_fields=["progress", "status", "note", "updated_at"])
        audit_record(
            actor=actor,
            action="review.item_progress",
            obj=item,
            changes={"progress": [before[1], progress], "status": [before[0], item.status]},
        )
    return item


# ---------------------------------------------------------------------------------------------- costs

COST_HOURS = ("prepare_hours", "travel_hours", "wait_hours")
COST_MONEY = ("travel_vnd", "fees_vnd", "papers_vnd", "other_vnd")


def cost_estimate_set(*, actor: Actor, item: ReviewItem, variant: str, values: dict, note: str = "") -> CostEstimate:
    """Record the inputs of one variant (current / proposed): hours as decimals ≥ 0, amounts in whole VND ≥ 0,
    and optionally the dossiers a year (empty: counted from records)."""
    if variant not in CostEstimate.Variant.values:
        raise ValidationFailed(fields={"variant": [_("Phương án không hợp lệ.")]})
    errors: dict[str, list[str]] = {}
    clean: dict = {}
    for name in COST_HOURS:
        try:
            value = Decimal(str(values.get(name) or 0).replace(",", "."))
        except InvalidOperation:
            value = Decimal(-1)
        if not value.is_finite() or value < 0 or value >= 100000:
            errors[name] = [_("Số giờ phải là số không âm (dưới 100.000).")]
        else:
            clean[name] = value.quantize(Decimal("0.01"))
    for name in (*COST_MONEY, "dossiers_per_year"):
        raw = values.get(name)
        if name == "dossiers_per_year" and raw in (None, ""):
            clean[name] = None
            continue
        try:
            value = int(str(raw or 0).replace(".", "").replace(" ", ""))
        except ValueError:
            value = -1
        if value < 0 or value > 10**15:
            errors[name] = [_("Nhập số nguyên không âm.")]
        else:
            clean[name] = value
    if errors:
        raise ValidationFailed(fields=errors)
    text_check(note, limit=NOTE_MAX, field="note")
    with transaction.atomic():
        item = ReviewItem.objects.select_for_update().get(pk=item.pk)
        ITEM.ensure("cost", item.status, actor)
        estimate, _created = CostEstimate.objects.update_or_create(item=item, variant=variant, defaults={**clean, "note": note})
        audit_record(
            actor=actor,
            action="review.cost_set",
            obj=estimate,
            changes={"variant": variant} | {k: str(v) for k, v in clean.items()},
        )
    return estimate


# ---------------------------------------------------------------------------------------------- proposals


def _version_in_force(procedure: Procedure, agency_id: int) -> ProcedureVersion:
    version = ProcedureVersion.objects.filter(
        procedure=procedure, agency_id=agency_id, status=ProcedureVersion.Status.IN_FORCE
    ).first()
    if version is None:
        raise ValidationFailed(fields={"procedure": [_("Thủ tục không có phiên bản đang hiệu lực.")]})
    return version


def _proposal_fields(content: str, reason: str, legal_basis: str, proposed_time) -> dict:
    errors = {}
    if not (content or "").strip():
        errors["content"] = [_("Nêu nội dung đơn giản hóa.")]
    if proposed_time not in (None, ""):
        try:
            proposed_time = Decimal(str(proposed_time).replace(",", "."))
        except InvalidOperation:
            proposed_time = Decimal(-1)
        if not proposed_time.is_finite() or proposed_time <= 0 or proposed_time >= 10000:
            errors["proposed_time"] = [_("Thời hạn đề xuất phải là số dương.")]
    else:
        proposed_time = None
    if errors:
        raise ValidationFailed(fields=errors)
    for name, value in (("content", content), ("reason", reason), ("legal_basis", legal_basis)):
        text_check(value, limit=NOTE_MAX, field=name)
    return {
        "content": content.strip(),
        "reason": (reason or "").strip(),
        "legal_basis": (legal_basis or "").strip(),
        "proposed_time": proposed_time,
    }


def proposal_save(
    *,
    actor: Actor,
    item: ReviewItem,
    content: str,
    reason: str = "",
    legal_basis: str = "",
    proposed_time=None,
    version: ProcedureVersion | None = None,
) -> Proposal:
    """Create the item's proposal on the version reviewed (default: the one in force; a version reviewed before
    its first publication may be named), or edit it while it is a draft."""
    fields = _proposal_fields(content, reason, legal_basis, proposed_time)
    with transaction.atomic():
        item = ReviewItem.objects.select_for_update().select_related("plan").get(pk=item.pk)
        if version is not None and (version.procedure_id != item.procedure_id or version.agency_id != item.plan.agency_id):
            raise ValidationFailed(fields={"version": [_("Phiên bản không thuộc thủ tục được rà soát.")]})
        proposal = Proposal.objects.filter(item=item).first()
        if proposal is None:
            PROPOSAL.ensure("create", NEW, actor)
            version = version or _version_in_force(item.procedure, item.plan.agency_id)
            proposal = Proposal.objects.create(item=item, version=version, **fields)
            action = "review.proposal_create"
        else:
            PROPOSAL.ensure("edit", proposal.status, actor)
            for k, v in fields.items():
                setattr(proposal, k, v)
            proposal.save()
            action = "review.proposal_edit"
        audit_record(actor=actor, action=action, obj=proposal, changes={k: str(v) for k, v in fields.items()})
    return proposal


def proposal_send(*, actor: Actor, proposal: Proposal, recipient: Agency | None = None, recipient_name: str = "") -> Proposal:
    """Draft the outgoing document that carries the proposal (the PDF of the same form as the DOCX, the main
    file the leader signs) to the province: the agency's parent in the system, else `recipient_name`. The
    document then follows the outgoing register (approve, number, seal, dispatch) on its own pages."""
    from .proposal_doc import proposal_pdf

    with transaction.atomic():
        proposal = (
            Proposal.objects.select_for_update().select_related("item__plan__agency", "item__procedure").get(pk=proposal.pk)
        )
        PROPOSAL.ensure("send", proposal.status, actor)
        agency = proposal.item.plan.agency
        recipient = recipient or agency.parent
        name = recipient.name if recipient else (recipient_name.strip() or agency.parent_name)
        if not name:
            raise ValidationFailed(fields={"recipient": [_("Chọn cơ quan nhận phương án (UBND tỉnh).")]})
        register = documents.default_register(agency=agency, kind=RegisterKind.OUTGOING, secret=False)
        doc = documents.outgoing_create_draft(
            actor=actor,
            register=register,
            doc_type=DocumentType.objects.get(code="BC"),
            summary=_("Phương án đơn giản hóa thủ tục hành chính %(code)s") % {"code": proposal.item.procedure.code},
            drafting_unit=proposal.item.unit,
            recipients=[{"name": name, "agency": recipient}],
            files=[documents.FileInput(f"phuong-an-{proposal.item.procedure.code}.pdf", proposal_pdf(proposal))],
        )
        proposal.outgoing = doc
        proposal.status = _P.SENT
        proposal.save(update_fields=["outgoing", "status", "updated_at"])
        audit_record(actor=actor, action="review.proposal_send", obj=proposal, changes={"outgoing": doc.pk, "to": name})
    return proposal


def proposal_new_version(*, actor: Actor, proposal: Proposal) -> ProcedureVersion:
    """The draft version the proposal asks for (catalog service): the reviewed version with the proposed
    committed time; a publication decision then puts it in force."""
    if proposal.proposed_time is None:
        raise ValidationFailed(fields={"proposed_time": [_("Phương án chưa nêu thời hạn đề xuất.")]})
    PROPOSAL.ensure("decide", proposal.status, actor)  # while the proposal waits for its answer
    base = proposal.version
    old = Decimal(base.effective_time or 0)
    steps = None
    if old and proposal.proposed_time < old:
        # The internal steps shrink in proportion (rounded down to 0.01, never below it) so that their sum
        # stays within the new time, which the catalog requires; the draft can be edited in the catalog.
        factor = proposal.proposed_time / old
        steps = [
            {
                "order": s.order,
                "name": s.name,
                "unit": s.unit,
                "agency": s.agency,
                "role": s.role,
                "duration": max(Decimal("0.01"), (s.duration * factor).quantize(Decimal("0.01"), rounding=ROUND_FLOOR)),
            }
            for s in base.steps.all()
        ]
    return catalog_services.procedure_version_create(
        actor=actor,
        procedure=proposal.item.procedure,
        based_on=base,
        data={"committed_time": proposal.proposed_time},
        steps=steps,
    )


def proposal_decide(
    *,
    actor: Actor,
    proposal: Proposal,
    adopted: bool,
    decided_on: date,
    note: str = "",
    decision: PublicationDecision | None = None,
) -> Proposal:
    """Record the province's answer. Adopted: `decision` is an applied publication decision of the agency
    that put a newer version of the procedure in force (the version the proposal becomes)."""
    date_check(decided_on, field="decided_on")
    text_check(note, limit=NOTE_MAX, field="note")
    with transaction.atomic():
        proposal = Proposal.objects.select_for_update().select_related("item__plan", "version").get(pk=proposal.pk)
        PROPOSAL.ensure("decide", proposal.status, actor)
        new_version = None
        if adopted:
            if decision is None:
                raise ValidationFailed(fields={"decision": [_("Chọn quyết định công bố thủ tục đã được sửa đổi.")]})
            item = (
                DecisionItem.objects.filter(decision=decision, procedure=proposal.item.procedure, version__isnull=False)
                .select_related("version")
                .first()
            )
            errors = []
            if decision.agency_id != proposal.item.plan.agency_id:
                errors.append(_("Quyết định không thuộc cơ quan."))
            elif decision.applied_at is None:
                errors.append(_("Quyết định chưa được áp dụng."))
            elif item is None or not (
                item.version.number > proposal.version.number
                # a version reviewed before its first publication is the one the decision publishes
                or (item.action == DecisionItem.Action.NEW and item.version_id == proposal.version_id)
            ):
                errors.append(_("Quyết định không công bố phiên bản mới của thủ tục này."))
            if errors:
                raise ValidationFailed(fields={"decision": errors})
            new_version = item.version
        proposal.status = _P.ADOPTED if adopted else _P.REJECTED
        proposal.decision = decision if adopted else None
        proposal.new_version = new_version
        proposal.decided_on = decided_on
        proposal.decision_note = note.strip()
        proposal.save()
        audit_record(
            actor=actor,
            action="review.proposal_decide",
            obj=proposal,
            changes={"adopted": adopted, "decision": decision.number if decision and adopted else None},
        )
    return proposal


# ---------------------------------------------------------------------------------------------- reminders


def reminders_send(*, actor: Actor, today: date, within_days: int, agency: Agency | None = None) -> int:
    """Queue a reminder (notifications outbox) to the person responsible for each review item due within
    `within_days` days or overdue and not reminded today; returns how many items were reminded."""
    from .selectors import reminders_due

    require_actor(actor)
    sent = 0
    for item in reminders_due(today=today, within_days=within_days, agency=agency):
        with transaction.atomic():
            person = item.responsible
            message_enqueue(
                template_code=REMINDER_CODE,
                context={
                    "name": person.display_name if person else item.unit.name,
                    "code": item.procedure.code,
                    "procedure": item.procedure.versions.order_by("-number").first().name,
                    "year": item.plan.year,
                    "unit": item.unit.name,
                    "deadline": f"{item.deadline:%d/%m/%Y}",
                    "progress": item.progress,
                    "url": settings.SITE_URL.rstrip("/") + reverse("review:item", kwargs={"pk": item.pk}),
                },
                email=(person.email if person else "") or "",
                phone=(person.phone if person else "") or "",
                related=item,
            )
            ReviewItem.objects.filter(pk=item.pk).update(last_reminded_on=today, updated_at=timezone.now())
            audit_record(actor=actor, action="review.item_remind", obj=item, changes={"on": today.isoformat()})
        sent += 1
    return sent
