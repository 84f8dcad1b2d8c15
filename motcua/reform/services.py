"""Writes of the reform app. Every function: keyword-only arguments, one transaction, allowed-transition
check (409), audit entry last."""

from datetime import date
from decimal import Decimal
from typing import Any

from django.core.files.base import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import load_workbook

from motcua.core.errors import ConflictError, TransitionNotAllowed, ValidationFailed
from motcua.core.models import Agency, Unit, User
from motcua.core.roles import Role
from motcua.core.services import audit_record
from motcua.core.transitions import Actor, StateMachine, System, Transition, require_actor
from motcua.core.uploads import XLSX, upload_check_field
from motcua.core.validators import date_check
from motcua.workcalendar.selectors import Calendar

from .models import (
    LEGAL_DRAFT_STAGE_DATE,
    Area,
    ChecklistItem,
    CriteriaSet,
    Criterion,
    DiscussionPoint,
    EnforcementMonitoring,
    Inspection,
    InspectionMember,
    JobPosition,
    LegalDraft,
    QualitySystem,
    Recommendation,
    RecommendationEvidence,
    ReformPlan,
    ReformTask,
    SelfScore,
    StaffQuota,
    TaskEvidence,
    TrainingCourse,
    TrainingParticipant,
    TrainingPlan,
)

# ---------------------------------------------------------------- lifecycles (core.transitions)

EDITORS = (Role.LEADER, Role.SPECIALIST)  # the agency's own reform work
INSPECTION_TEAM = (Role.LEADER, Role.SPECIALIST, Role.INSPECTOR)  # and the inspection team, on recommendations
_TASK, _REC = ReformTask.Status, Recommendation.Status

# A task's progress moves it between not started, in progress and done (100%, with evidence); evidence is
# added at any time.
TASK = StateMachine(
    {
        "progress": Transition(
            frozenset({_TASK.NOT_STARTED, _TASK.IN_PROGRESS}), EDITORS, label=gettext_lazy("cập nhật tiến độ")
        ),
        "add_evidence": Transition(frozenset(_TASK.values), EDITORS, label=gettext_lazy("thêm minh chứng")),
    },
    lambda status: _TASK(status).label,
    subject=gettext_lazy("nhiệm vụ"),
)

# A legal draft goes through its stages in order, one at a time (no skipping, no going back): the
# transition is named by the stage it reaches and starts from the stage before it.
STAGES = list(LegalDraft.Stage.values)
_STAGE_STEP = {
    LegalDraft.Stage.DRAFTING: gettext_lazy("chuyển sang soạn thảo"),
    LegalDraft.Stage.CONSULTATION: gettext_lazy("chuyển sang lấy ý kiến, thẩm định"),
    LegalDraft.Stage.SUBMITTED: gettext_lazy("ghi nhận đã trình"),
    LegalDraft.Stage.ISSUED: gettext_lazy("ghi nhận đã ban hành"),
}
LEGAL_DRAFT = StateMachine(
    {
        stage: Transition(frozenset({previous}), EDITORS, label=_STAGE_STEP[stage])
        for previous, stage in zip(STAGES, STAGES[1:], strict=False)
    },
    lambda stage: LegalDraft.Stage(stage).label,
    subject=gettext_lazy("văn bản QPPL"),
)

RECOMMENDATION = StateMachine(
    {
        "start": Transition(frozenset({_REC.OPEN}), INSPECTION_TEAM, label=gettext_lazy("bắt đầu thực hiện")),
        "add_evidence": Transition(
            frozenset({_REC.OPEN, _REC.IN_PROGRESS}), INSPECTION_TEAM, label=gettext_lazy("thêm minh chứng")
        ),
        "close": Transition(frozenset({_REC.OPEN, _REC.IN_PROGRESS}), INSPECTION_TEAM, label=gettext_lazy("đóng kiến nghị")),
    },
    lambda status: _REC(status).label,
    subject=gettext_lazy("kiến nghị"),
)

# A participant of a training course is enrolled, then recorded as having completed it, once.
PARTICIPANT = StateMachine(
    {
        "complete": Transition(frozenset({False}), EDITORS, label=gettext_lazy("ghi nhận hoàn thành")),
    },
    lambda completed: _("đã hoàn thành") if completed else _("đang học"),
    subject=gettext_lazy("học viên"),
)


def _staff(actor: Actor) -> User | None:
    """The staff member behind an action, for the "by" fields (none for SYSTEM)."""
    return actor if isinstance(actor, User) else None


# ---------------------------------------------------------------- plans and tasks


def plan_create(
    *,
    actor: User | System,
    kind: str,
    year: int,
    number: str,
    issued_on: date,
    issuer: str,
    title: str,
    agency: Agency | None = None,
    parent: ReformPlan | None = None,
) -> ReformPlan:
    require_actor(actor)
    if kind == ReformPlan.Kind.AGENCY and agency is None:
        raise ValidationFailed(fields={"agency": [_("Kế hoạch triển khai phải gắn với một cơ quan.")]})
    if parent is not None and parent.year != year:
        raise ValidationFailed(fields={"parent": [_("Kế hoạch triển khai phải cùng năm với kế hoạch của tỉnh.")]})
    with transaction.atomic():
        if ReformPlan.objects.filter(year=year, number=number, issuer=issuer).exists():
            raise ValidationFailed(fields={"number": [_("Kế hoạch này đã có.")]})
        plan = ReformPlan.objects.create(
            kind=kind, year=year, number=number, issued_on=issued_on, issuer=issuer, title=title, agency=agency, parent=parent
        )
        audit_record(actor=actor, action="reform.plan.create", obj=plan, changes={"number": number, "year": year})
    return plan


def task_deadline(*, start_on: date, working_days: int | None = None, due_on: date | None = None) -> date:
    """The deadline of a task: `working_days` working days after `start_on` (start not counted), or a
    fixed date moved to the next working day when it falls on a day off."""
    calendar = Calendar()
    if working_days is not None:
        return calendar.add_working_days(start_on, working_days)
    if due_on is None:
        raise ValidationFailed(fields={"working_days": [_("Nhập thời hạn (số ngày làm việc) hoặc hạn hoàn thành.")]})
    if due_on < start_on:
        raise ValidationFailed(fields={"due_on": [_("Hạn hoàn thành phải sau ngày bắt đầu.")]})
    return due_on if calendar.is_working_day(due_on) else calendar.next_working_day(due_on)


def task_create(
    *,
    actor: User | System,
    plan: ReformPlan,
    area: str,
    title: str,
    owner_unit: Unit,
    start_on: date,
    working_days: int | None = None,
    due_on: date | None = None,
    expected_output: str = "",
    note: str = "",
) -> ReformTask:
    require_actor(actor)
    if area not in Area.values:
        raise ValidationFailed(fields={"area": [_("Lĩnh vực không hợp lệ.")]})
    if plan.agency_id and owner_unit.agency_id != plan.agency_id:
        raise ValidationFailed(fields={"owner_unit": [_("Đơn vị chủ trì phải thuộc cơ quan thực hiện kế hoạch.")]})
    deadline = task_deadline(start_on=start_on, working_days=working_days, due_on=due_on)
    with transaction.atomic():
        task = ReformTask.objects.create(
            plan=plan,
            area=area,
            title=title,
            owner_unit=owner_unit,
            start_on=start_on,
            working_days=working_days,
            deadline=deadline,
            expected_output=expected_output,
            note=note,
        )
        audit_record(actor=actor, action="reform.task.create", obj=task, changes={"deadline": deadline.isoformat()})
    return task


def task_add_evidence(*, actor: User | System, task: ReformTask, description: str, file: File | None = None) -> TaskEvidence:
    require_actor(actor)
    if file is not None:
        upload_check_field(file, field="file")  # the one upload policy (core.uploads)
    with transaction.atomic():
        task = ReformTask.objects.select_for_update().get(pk=task.pk)
        TASK.ensure("add_evidence", task.status, actor)
        evidence = TaskEvidence(task=task, description=description, uploaded_by=_staff(actor))
        if file is not None:
            evidence.file.save(getattr(file, "name", "minh-chung"), file, save=False)
        evidence.save()
        audit_record(actor=actor, action="reform.task.add_evidence", obj=task, changes={"description": description})
    return evidence


def task_update_progress(
    *, actor: User | System, task: ReformTask, progress: int, note: str = "", on: date | None = None
) -> ReformTask:
    """Record progress. 100% completes the task, which needs at least one piece of evidence."""
    require_actor(actor)
    if not 0 <= progress <= 100:
        raise ValidationFailed(fields={"progress": [_("Tiến độ phải từ 0 đến 100%.")]})
    with transaction.atomic():
        task = ReformTask.objects.select_for_update().get(pk=task.pk)
        TASK.ensure("progress", task.status, actor)
        if progress == 100:
            if not task.evidence.exists():
                raise ValidationFailed(
                    _("Cần có minh chứng trước khi báo cáo hoàn thành nhiệm vụ."), fields={"evidence": [_("Chưa có minh chứng.")]}
                )
            task.status = ReformTask.Status.DONE
            task.completed_on = on or timezone.localdate()
        else:
            task.status = ReformTask.Status.IN_PROGRESS if progress > 0 else ReformTask.Status.NOT_STARTED
        old = task.progress
        task.progress = progress
        if note:
            task.note = note
        task.save()
        audit_record(actor=actor, action="reform.task.progress", obj=task, changes={"from": old, "to": progress})
    return task


# ---------------------------------------------------------------- institutional reform


def legal_draft_register(
    *,
    actor: User | System,
    agency: Agency,
    year: int,
    title: str,
    registered_on: date,
    doc_type: str = "Quyết định",
    issuing_body: str = "UBND tỉnh",
    replaces_number: str = "",
    replaces_date: date | None = None,
    replaces_issuer: str = "",
) -> LegalDraft:
    require_actor(actor)
    date_check(registered_on, field="registered_on")
    if replaces_date is not None:
        date_check(replaces_date, field="replaces_date")
    with transaction.atomic():
        draft = LegalDraft.objects.create(
            agency=agency,
            year=year,
            title=title,
            registered_on=registered_on,
            doc_type=doc_type,
            issuing_body=issuing_body,
            replaces_number=replaces_number,
            replaces_date=replaces_date,
            replaces_issuer=replaces_issuer,
        )
        audit_record(actor=actor, action="reform.legal_draft.register", obj=draft, changes={"replaces": replaces_number})
    return draft


def legal_draft_advance(*, actor: User | System, draft: LegalDraft, stage: str, on: date, issued_number: str = "") -> LegalDraft:
    """Move a draft to the next stage (registered → drafting → consultation → submitted → issued).
    Skipping a stage or going back is a conflict (409)."""
    require_actor(actor)
    if stage not in STAGES:
        raise ValidationFailed(fields={"stage": [_("Giai đoạn không hợp lệ.")]})
    date_check(on, field="on")
    with transaction.atomic():
        draft = LegalDraft.objects.select_for_update().get(pk=draft.pk)
        if stage not in LEGAL_DRAFT.transitions:  # the first stage: nothing moves back to it
            raise TransitionNotAllowed(
                _("Không quay lại giai đoạn “%(stage)s”: các giai đoạn đi lần lượt, không quay lại.")
                % {"stage": LegalDraft.Stage(stage).label}
            )
        LEGAL_DRAFT.ensure(stage, draft.stage, actor)
        previous_date = getattr(draft, LEGAL_DRAFT_STAGE_DATE[draft.stage])
        if previous_date and on < previous_date:
            raise ValidationFailed(fields={"on": [_("Ngày của giai đoạn sau không được trước giai đoạn trước.")]})
        if stage == LegalDraft.Stage.ISSUED and not issued_number:
            raise ValidationFailed(fields={"issued_number": [_("Nhập số văn bản đã ban hành.")]})
        setattr(draft, LEGAL_DRAFT_STAGE_DATE[stage], on)
        old = draft.stage
        draft.stage = stage
        if issued_number:
            draft.issued_number = issued_number
        draft.save()
        audit_record(actor=actor, action="reform.legal_draft.advance", obj=draft, changes={"from": old, "to": stage, "on": on})
    return draft


def enforcement_monitoring_record(
    *,
    actor: User | System,
    agency: Agency,
    year: int,
    field: str,
    content: str,
    findings: str = "",
    monitored_on: date | None = None,
) -> EnforcementMonitoring:
    require_actor(actor)
    with transaction.atomic():
        entry = EnforcementMonitoring.objects.create(
            agency=agency, year=year, field=field, content=content, findings=findings, monitored_on=monitored_on
        )
        audit_record(actor=actor, action="reform.enforcement.record", obj=entry)
    return entry


# ---------------------------------------------------------------- organisation and staffing


def job_position_create(
    *, actor: User | System, unit: Unit, name: str, group: str = JobPosition.Group.PROFESSIONAL, headcount: int = 1
) -> JobPosition:
    require_actor(actor)
    with transaction.atomic():
        position = JobPosition.objects.create(unit=unit, name=name, group=group, headcount=headcount)
        audit_record(actor=actor, action="reform.job_position.create", obj=position)
    return position


def staff_quota_set(*, actor: User | System, unit: Unit, year: int, assigned: int, filled: int, decision: str = "") -> StaffQuota:
    require_actor(actor)
    if filled > assigned:
        raise ValidationFailed(fields={"filled": [_("Số có mặt không vượt quá biên chế được giao.")]})
    with transaction.atomic():
        quota, _created = StaffQuota.objects.update_or_create(
            unit=unit, year=year, defaults={"assigned": assigned, "filled": filled, "decision": decision}
        )
        audit_record(
            actor=actor,
            action="reform.staff_quota.set",
            obj=quota,
            object_repr=f"Biên chế {unit.short_name} {year}",
            changes={"assigned": assigned, "filled": filled},
        )
    return quota


def training_plan_create(*, actor: User | System, agency: Agency, year: int, title: str, number: str = "") -> TrainingPlan:
    require_actor(actor)
    with transaction.atomic():
        plan = TrainingPlan.objects.create(agency=agency, year=year, title=title, number=number)
        audit_record(actor=actor, action="reform.training_plan.create", obj=plan)
    return plan


def training_course_add(
    *,
    actor: User | System,
    plan: TrainingPlan,
    title: str,
    provider: str = "",
    start_on: date | None = None,
    end_on: date | None = None,
    planned_participants: int = 0,
) -> TrainingCourse:
    require_actor(actor)
    with transaction.atomic():
        course = TrainingCourse.objects.create(
            plan=plan, title=title, provider=provider, start_on=start_on, end_on=end_on, planned_participants=planned_participants
        )
        audit_record(actor=actor, action="reform.training_course.add", obj=course)
    return course


def training_participant_add(
    *, actor: User | System, course: TrainingCourse, full_name: str, user: User | None = None
) -> TrainingParticipant:
    require_actor(actor)
    with transaction.atomic():
        participant = TrainingParticipant.objects.create(course=course, full_name=full_name, user=user)
        audit_record(actor=actor, action="reform.training.enrol", obj=course, changes={"participant": full_name})
    return participant


def training_participant_complete(*, actor: User | System, participant: TrainingParticipant) -> TrainingParticipant:
    with transaction.atomic():
        participant = TrainingParticipant.objects.select_for_update().get(pk=participant.pk)
        PARTICIPANT.ensure("complete", participant.completed, actor)
        participant.completed = True
        participant.save(update_fields=["completed"])
        audit_record(
            actor=actor, action="reform.training.complete", obj=participant.course, changes={"participant": participant.full_name}
        )
    return participant


def quality_system_set(
    *,
    actor: User | System,
    agency: Agency,
    scope: str,
    committee_decision: str = "",
    committee_decision_on: date | None = None,
    last_review_on: date | None = None,
    standard: str = "TCVN ISO 9001:2015",
    note: str = "",
) -> QualitySystem:
    require_actor(actor)
    with transaction.atomic():
        qms, _created = QualitySystem.objects.update_or_create(
            agency=agency,
            defaults={
                "scope": scope,
                "committee_decision": committee_decision,
                "committee_decision_on": committee_decision_on,
                "last_review_on": last_review_on,
                "standard": standard,
                "note": note,
            },
        )
        audit_record(
            actor=actor,
            action="reform.quality_system.set",
            obj=qms,
            object_repr=f"ISO {agency.short_name}",
            changes={"committee_decision": committee_decision},
        )
    return qms


# ---------------------------------------------------------------- inspections


def inspection_create(
    *,
    actor: User | System,
    agency: Agency,
    inspected_on: date,
    place: str = "",
    decision_number: str = "",
    decision_on: date | None = None,
    decision_issuer: str = "",
    plan: ReformPlan | None = None,
    summary: str = "",
    members: list[dict[str, Any]] | None = None,
) -> Inspection:
    """Create an inspection with its team. `members`: dicts with full_name, title, role (leader/deputy/
    member/secretary) and optionally user. Exactly one leader."""
    require_actor(actor)
    members = members or []
    leaders = [m for m in members if m.get("role") == InspectionMember.Role.LEADER]
    if len(leaders) != 1:
        raise ValidationFailed(fields={"members": [_("Đoàn kiểm tra phải có đúng một Trưởng đoàn.")]})
    for m in members:
        if not (m.get("full_name") or m.get("user")):
            raise ValidationFailed(fields={"members": [_("Mỗi thành viên phải có họ tên.")]})
    with transaction.atomic():
        inspection = Inspection.objects.create(
            agency=agency,
            year=inspected_on.year,
            inspected_on=inspected_on,
            place=place,
            decision_number=decision_number,
            decision_on=decision_on,
            decision_issuer=decision_issuer,
            plan=plan,
            summary=summary,
        )
        for i, m in enumerate(members, start=1):
            user = m.get("user")
            InspectionMember.objects.create(
                inspection=inspection,
                user=user,
                full_name=m.get("full_name") or user.display_name,
                title=m.get("title", "") or getattr(user, "position", ""),
                role=m.get("role", InspectionMember.Role.MEMBER),
                order=i,
            )
        audit_record(
            actor=actor,
            action="reform.inspection.create",
            obj=inspection,
            changes={"leader": leaders[0].get("full_name", ""), "members": len(members)},
        )
    return inspection


def inspection_add_checklist_item(
    *, actor: User | System, inspection: Inspection, area: str, content: str, finding: str = ""
) -> ChecklistItem:
    require_actor(actor)
    if area not in Area.values:
        raise ValidationFailed(fields={"area": [_("Lĩnh vực không hợp lệ.")]})
    with transaction.atomic():
        order = inspection.checklist.count() + 1
        item = ChecklistItem.objects.create(inspection=inspection, area=area, content=content, finding=finding, order=order)
        audit_record(actor=actor, action="reform.inspection.checklist", obj=inspection, changes={"area": area})
    return item


def inspection_add_discussion(*, actor: User | System, inspection: Inspection, topic: str) -> DiscussionPoint:
    require_actor(actor)
    with transaction.atomic():
        point = DiscussionPoint.objects.create(inspection=inspection, topic=topic, order=inspection.discussion.count() + 1)
        audit_record(actor=actor, action="reform.inspection.discussion", obj=inspection)
    return point


def recommendation_create(
    *,
    actor: User | System,
    inspection: Inspection,
    area: str,
    content: str,
    addressee: str = Recommendation.Addressee.AGENCY,
    owner_unit: Unit | None = None,
    deadline: date | None = None,
    working_days: int | None = None,
) -> Recommendation:
    """A recommendation to the agency needs an owner unit and a deadline (a date, or working days after
    the inspection); one escalated to the province needs neither."""
    require_actor(actor)
    if area not in Area.values:
        raise ValidationFailed(fields={"area": [_("Lĩnh vực không hợp lệ.")]})
    if addressee == Recommendation.Addressee.AGENCY:
        errors = {}
        if owner_unit is None:
            errors["owner_unit"] = [_("Chọn đơn vị chủ trì thực hiện kiến nghị.")]
        elif owner_unit.agency_id != inspection.agency_id:
            errors["owner_unit"] = [_("Đơn vị chủ trì phải thuộc cơ quan được kiểm tra.")]
        if deadline is None and working_days is None:
            errors["deadline"] = [_("Nhập hạn thực hiện.")]
        if errors:
            raise ValidationFailed(fields=errors)
        deadline = task_deadline(start_on=inspection.inspected_on, working_days=working_days, due_on=deadline)
    with transaction.atomic():
        rec = Recommendation.objects.create(
            inspection=inspection,
            area=area,
            content=content,
            addressee=addressee,
            owner_unit=owner_unit,
            deadline=deadline,
            order=inspection.recommendations.count() + 1,
        )
        audit_record(actor=actor, action="reform.recommendation.create", obj=rec, changes={"addressee": addressee})
    return rec


def recommendation_add_evidence(
    *, actor: User | System, recommendation: Recommendation, description: str, file: File | None = None, reference: str = ""
) -> RecommendationEvidence:
    require_actor(actor)
    if file is None and not reference:
        raise ValidationFailed(fields={"file": [_("Đính kèm tệp hoặc ghi số, ký hiệu văn bản minh chứng.")]})
    if file is not None:
        upload_check_field(file, field="file")  # the one upload policy (core.uploads)
    with transaction.atomic():
        rec = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
        RECOMMENDATION.ensure("add_evidence", rec.status, actor)
        evidence = RecommendationEvidence(
            recommendation=rec, description=description, reference=reference, uploaded_by=_staff(actor)
        )
        if file is not None:
            evidence.file.save(getattr(file, "name", "minh-chung"), file, save=False)
        evidence.save()
        audit_record(actor=actor, action="reform.recommendation.add_evidence", obj=rec, changes={"description": description})
    return evidence


def recommendation_start(*, actor: User | System, recommendation: Recommendation, on: date | None = None) -> Recommendation:
    with transaction.atomic():
        rec = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
        RECOMMENDATION.ensure("start", rec.status, actor)
        rec.status = Recommendation.Status.IN_PROGRESS
        rec.started_on = on or timezone.localdate()
        rec.save(update_fields=["status", "started_on", "updated_at"])
        audit_record(actor=actor, action="reform.recommendation.start", obj=rec, changes={"on": rec.started_on})
    return rec


def recommendation_close(
    *, actor: User | System, recommendation: Recommendation, note: str, on: date | None = None
) -> Recommendation:
    """Close a recommendation: it must be open or in progress, and have evidence (else 400)."""
    require_actor(actor)
    with transaction.atomic():
        rec = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
        RECOMMENDATION.ensure("close", rec.status, actor)
        if not rec.evidence.exists():
            raise ValidationFailed(
                _("Cần có minh chứng trước khi đóng kiến nghị."), fields={"evidence": [_("Chưa có minh chứng.")]}
            )
        if not note.strip():
            raise ValidationFailed(fields={"note": [_("Nêu kết quả thực hiện.")]})
        old = rec.status
        rec.status = Recommendation.Status.CLOSED
        rec.closed_on = on or timezone.localdate()
        rec.started_on = min(rec.started_on or rec.closed_on, rec.closed_on)
        rec.closing_note = note
        rec.save(update_fields=["status", "started_on", "closed_on", "closing_note", "updated_at"])
        audit_record(actor=actor, action="reform.recommendation.close", obj=rec, changes={"from": old, "on": rec.closed_on})
    return rec


# ---------------------------------------------------------------- self-assessment


def criteria_set_import(
    *, actor: User | System, year: int, name: str, rows: list[dict[str, Any]], source: str = ""
) -> CriteriaSet:
    """Create the criteria tree of a year from rows {code, title, max_points, area}. A criterion's parent
    is the one whose code is its code minus the last dotted part; a parent's maximum must equal the sum of
    its children's maxima when it has children."""
    require_actor(actor)
    codes = [str(r["code"]).strip() for r in rows]
    if len(set(codes)) != len(codes):
        raise ValidationFailed(fields={"code": [_("Mã tiêu chí bị trùng.")]})
    with transaction.atomic():
        if CriteriaSet.objects.filter(year=year, name=name).exists():
            raise ConflictError(_("Bộ tiêu chí của năm này đã có."))
        cset = CriteriaSet.objects.create(year=year, name=name, source=source)
        by_code: dict[str, Criterion] = {}
        for i, row in enumerate(rows):
            code = str(row["code"]).strip()
            parent_code = code.rpartition(".")[0]
            parent = by_code.get(parent_code) if parent_code else None
            if parent_code and parent is None:
                raise ValidationFailed(
                    fields={
                        "code": [
                            _("Tiêu chí %(code)s: chưa có tiêu chí cha %(parent)s ở dòng trước.")
                            % {"code": code, "parent": parent_code}
                        ]
                    }
                )
            area = (row.get("area") or (parent.area if parent else "")) or ""
            if area and area not in Area.values:
                raise ValidationFailed(
                    fields={"area": [_("Tiêu chí %(code)s: lĩnh vực “%(area)s” không hợp lệ.") % {"code": code, "area": area}]}
                )
            by_code[code] = Criterion.objects.create(
                criteria_set=cset,
                parent=parent,
                code=code,
                title=str(row["title"]).strip(),
                max_points=Decimal(str(row["max_points"])),
                area=area,
                order=i,
            )
        for criterion in by_code.values():
            children = [c for c in by_code.values() if c.parent_id == criterion.pk]
            if children and sum(c.max_points for c in children) != criterion.max_points:
                raise ValidationFailed(
                    fields={
                        "max_points": [
                            _("Tiêu chí %(code)s: điểm tối đa %(max)s khác tổng các tiêu chí con %(sum)s.")
                            % {"code": criterion.code, "max": criterion.max_points, "sum": sum(c.max_points for c in children)}
                        ]
                    }
                )
        audit_record(actor=actor, action="reform.criteria.import", obj=cset, changes={"criteria": len(rows)})
    return cset


def criteria_rows_from_xlsx(file) -> list[dict[str, Any]]:
    """Rows of an XLSX sheet with the header: Mã | Tiêu chí | Điểm tối đa | Lĩnh vực (area code, optional)."""
    upload_check_field(file, field="file", types=(XLSX,))  # a real XLSX of sane size before openpyxl reads it
    sheet = load_workbook(file, read_only=True, data_only=True).active
    rows = []
    for i, values in enumerate(sheet.iter_rows(values_only=True)):
        if i == 0 or not values or values[0] in (None, ""):
            continue
        code, title, max_points = values[0], values[1], values[2]
        area = values[3] if len(values) > 3 else ""
        if title in (None, "") or max_points in (None, ""):
            raise ValidationFailed(fields={"file": [_("Dòng %(row)s: thiếu tên tiêu chí hoặc điểm tối đa.") % {"row": i + 1}]})
        rows.append({"code": str(code).strip(), "title": title, "max_points": max_points, "area": area or ""})
    return rows


def self_score_set(
    *,
    actor: User | System,
    criterion: Criterion,
    agency: Agency,
    score: Decimal,
    evidence: str,
    evidence_file: File | None = None,
) -> SelfScore:
    """Self-score a leaf criterion, between 0 and its maximum, with evidence."""
    require_actor(actor)
    score = Decimal(str(score))
    if criterion.children.exists():
        raise ValidationFailed(fields={"criterion": [_("Chỉ chấm điểm tiêu chí chi tiết (không có tiêu chí con).")]})
    if score < 0 or score > criterion.max_points:
        raise ValidationFailed(fields={"score": [_("Điểm phải từ 0 đến %(max)s.") % {"max": criterion.max_points}]})
    if not evidence.strip():
        raise ValidationFailed(fields={"evidence": [_("Nêu tài liệu kiểm chứng.")]})
    if evidence_file is not None:
        upload_check_field(evidence_file, field="evidence_file")  # the one upload policy (core.uploads)
    with transaction.atomic():
        obj, _created = SelfScore.objects.update_or_create(
            criterion=criterion, agency=agency, defaults={"score": score, "evidence": evidence, "scored_by": _staff(actor)}
        )
        if evidence_file is not None:
            obj.evidence_file.save(getattr(evidence_file, "name", "kiem-chung"), evidence_file)
        audit_record(
            actor=actor,
            action="reform.self_score.set",
            obj=obj,
            object_repr=f"{criterion.code} {agency.short_name}",
            changes={"score": str(score)},
        )
    return obj
