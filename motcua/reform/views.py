"""Pages of the reform app: thin views over services and selectors."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from motcua.core.errors import ApplicationError
from motcua.core.models import Agency
from motcua.core.permissions import role_required
from motcua.core.roles import Role, user_has_role
from motcua.core.tenancy import agency_for, ensure_can_act, scope_for

from . import selectors, services
from .forms import (
    AdvanceForm,
    ChecklistForm,
    CloseForm,
    CriteriaImportForm,
    DiscussionForm,
    DraftForm,
    EvidenceForm,
    InspectionForm,
    MonitoringForm,
    PlanForm,
    PositionForm,
    ProgressForm,
    QuotaForm,
    RecommendationForm,
    ScoreForm,
    TaskForm,
    _AgencyForm,
)
from .minutes import minutes_docx, minutes_pdf
from .models import Area, Criterion, Inspection, LegalDraft, Recommendation, ReformPlan, ReformTask
from .panels import render_sections

VIEWERS = (Role.LEADER, Role.SPECIALIST, Role.INSPECTOR, Role.CLERK, Role.PROVINCE_SUPERVISOR)
EDITORS = (Role.LEADER, Role.SPECIALIST)


def _agency(request, *, act: bool = False) -> Agency:
    """The agency the page works on (core.tenancy): ?agency= within the user's scope, else the user's own."""
    agency = agency_for(request, request.GET.get("agency"), act=act)
    if agency is None:
        if act:
            raise PermissionDenied("Bạn không thuộc cơ quan nào để thực hiện thao tác này.")
        raise Http404("Chưa có cơ quan.")
    return agency


def _get(request, qs, pk, field: str = "agency", *, act: bool | None = None, inspection: bool = False):
    """One row the user may read (404 otherwise); for a POST (or `act`), one the user may act for (403) —
    for inspections and recommendations also the province's inspection team (selectors.can_inspect)."""
    obj = get_object_or_404(scope_for(request.user).readable(qs, field), pk=pk)
    if request.method == "POST" if act is None else act:
        agency = obj
        for part in field.split("__"):
            agency = getattr(agency, part)
        if not (inspection and selectors.can_inspect(request.user, agency.pk)):
            ensure_can_act(request.user, agency.pk)
    return obj


def _year(request) -> int:
    """The year asked for; by default the latest year with the agency's reform records (not an empty current year)."""
    try:
        if request.GET.get("year"):
            return int(request.GET["year"])
    except ValueError:
        pass
    this_year = timezone.localdate().year
    return selectors.latest_year(agency=_agency(request), until=this_year) or this_year


def _apply(request, action, success: str):
    """Run a service; show its error (400/409) as a message instead of a crash."""
    try:
        action()
    except ApplicationError as exc:
        details = "; ".join(m for msgs in exc.fields.values() for m in msgs)
        messages.error(request, f"{exc.message} {details}".strip())
        return False
    messages.success(request, success)
    return True


@role_required(*VIEWERS)
def index(request):
    agency, today = _agency(request), timezone.localdate()
    reminders = selectors.task_reminders(agency=agency, today=today)
    return render(
        request,
        "reform/index.html",
        {
            "agency": agency,
            "today": today,
            "due_soon": reminders["due_soon"],
            "overdue_tasks": reminders["overdue"],
            "overdue_recommendations": selectors.recommendations_overdue(agency=agency, today=today),
            "escalated": selectors.recommendations_escalated(agency=agency, open_only=True),
            "plans": selectors.plans_for(agency=agency)[:10],
            "sections": render_sections(request, agency),  # apps above reform (review), reform/panels.py
        },
    )


@role_required(*VIEWERS)
def tasks(request):
    agency = _agency(request)
    year = _year(request)
    area, status = request.GET.get("area") or None, request.GET.get("status") or None
    return render(
        request,
        "reform/tasks.html",
        {
            "agency": agency,
            "year": year,
            "tasks": selectors.tasks_for(agency=agency, year=year, area=area, status=status),
            "completion": selectors.task_completion_by_area(agency=agency, year=year),
            "areas": Area.choices,
            "statuses": ReformTask.Status.choices,
            "area": area,
            "status": status,
            "today": timezone.localdate(),
            **create_forms(agency, "plan", "task"),
        },
    )


@role_required(*VIEWERS)
def task_detail(request, pk: int):
    task = _get(request, ReformTask.objects.select_related("plan__agency", "owner_unit"), pk, "plan__agency")
    if request.method == "POST":
        if not user_has_role(request.user, *EDITORS):
            raise PermissionDenied("Chỉ lãnh đạo, chuyên viên được cập nhật.")
        if "progress" in request.POST:
            form = ProgressForm(request.POST)
            if form.is_valid():
                _apply(
                    request,
                    lambda: services.task_update_progress(actor=request.user, task=task, **form.cleaned_data),
                    "Đã cập nhật tiến độ.",
                )
        else:
            form = EvidenceForm(request.POST, request.FILES)
            if form.is_valid():
                _apply(
                    request,
                    lambda: services.task_add_evidence(
                        actor=request.user,
                        task=task,
                        description=form.cleaned_data["description"],
                        file=form.cleaned_data["file"],
                    ),
                    "Đã thêm minh chứng.",
                )
        return redirect("reform:task-detail", pk=task.pk)
    return render(
        request,
        "reform/task_detail.html",
        {"task": task, "progress_form": ProgressForm(initial={"progress": task.progress}), "evidence_form": EvidenceForm()},
    )


@role_required(*VIEWERS)
def drafts(request):
    agency, year = _agency(request), _year(request)
    return render(
        request,
        "reform/drafts.html",
        {
            "agency": agency,
            "year": year,
            "drafts": selectors.legal_drafts(agency=agency, year=year),
            "monitoring": selectors.enforcement_entries(agency=agency, year=year),
            "form": AdvanceForm(),
            **create_forms(agency, "draft", "monitoring"),
        },
    )


@role_required(*EDITORS)
@require_POST
def draft_advance(request, pk: int):
    draft = _get(request, LegalDraft.objects.select_related("agency"), pk)
    form = AdvanceForm(request.POST)
    if form.is_valid():
        _apply(
            request,
            lambda: services.legal_draft_advance(actor=request.user, draft=draft, **form.cleaned_data),
            "Đã chuyển giai đoạn.",
        )
    else:
        messages.error(request, "Dữ liệu không hợp lệ.")
    return redirect(f"/cchc/the-che/?year={draft.year}")


@role_required(*VIEWERS)
def staffing(request):
    agency, year = _agency(request), _year(request)
    return render(
        request,
        "reform/staffing.html",
        {
            "agency": agency,
            "year": year,
            "staffing": selectors.staffing_summary(agency=agency, year=year),
            "training": selectors.training_summary(agency=agency, year=year),
            "participants": selectors.training_participants(agency=agency, year=year),
            "qms": selectors.quality_system(agency=agency),
            **create_forms(agency, "quota", "position"),
        },
    )


@role_required(*VIEWERS)
def inspections(request):
    agency = _agency(request)
    return render(
        request,
        "reform/inspections.html",
        {"agency": agency, "inspections": selectors.inspections_for(agency=agency), **create_forms(agency, "inspection")},
    )


@role_required(*VIEWERS)
def inspection_detail(request, pk: int):
    inspection = _get(request, Inspection.objects.select_related("agency", "plan"), pk)
    return render(
        request,
        "reform/inspection_detail.html",
        {
            "inspection": inspection,
            "members": inspection.members.all(),
            "checklist": inspection.checklist.all(),
            "discussion": inspection.discussion.all(),
            "recommendations": inspection.recommendations.select_related("owner_unit"),
            "today": timezone.localdate(),
            "checklist_form": ChecklistForm(),
            "discussion_form": DiscussionForm(),
            "recommendation_form": RecommendationForm(agency=inspection.agency),
            "can_edit": user_has_role(request.user, Role.INSPECTOR, Role.LEADER),
        },
    )


@role_required(*VIEWERS)
def inspection_minutes(request, pk: int, fmt: str):
    inspection = _get(request, Inspection.objects.select_related("agency", "plan"), pk)
    if fmt == "docx":
        data, ctype = minutes_docx(inspection), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    elif fmt == "pdf":
        data, ctype = minutes_pdf(inspection), "application/pdf"
    else:
        raise Http404()
    response = HttpResponse(data, content_type=ctype)
    response["Content-Disposition"] = f'attachment; filename="bien-ban-kiem-tra-cchc-{inspection.inspected_on:%Y%m%d}.{fmt}"'
    return response


@role_required(*VIEWERS)
def recommendations(request):
    agency, today = _agency(request), timezone.localdate()
    return render(
        request,
        "reform/recommendations.html",
        {
            "agency": agency,
            "today": today,
            "own": selectors.recommendations_for_agency(agency=agency),
            "overdue": selectors.recommendations_overdue(agency=agency, today=today),
            "escalated": selectors.recommendations_escalated(agency=agency),
        },
    )


@role_required(*VIEWERS)
def recommendation_detail(request, pk: int):
    rec = _get(
        request,
        Recommendation.objects.select_related("inspection__agency", "owner_unit"),
        pk,
        "inspection__agency",
        inspection=True,
    )
    if request.method == "POST":
        if not user_has_role(request.user, *EDITORS, Role.INSPECTOR):
            raise PermissionDenied("Bạn không được cập nhật kiến nghị.")
        action = request.POST.get("action")
        if action == "start":
            _apply(
                request,
                lambda: services.recommendation_start(actor=request.user, recommendation=rec),
                "Đã chuyển sang đang thực hiện.",
            )
        elif action == "close":
            form = CloseForm(request.POST)
            if form.is_valid():
                _apply(
                    request,
                    lambda: services.recommendation_close(actor=request.user, recommendation=rec, note=form.cleaned_data["note"]),
                    "Đã đóng kiến nghị.",
                )
        else:
            form = EvidenceForm(request.POST, request.FILES)
            if form.is_valid():
                _apply(
                    request,
                    lambda: services.recommendation_add_evidence(
                        actor=request.user,
                        recommendation=rec,
                        description=form.cleaned_data["description"],
                        reference=form.cleaned_data["reference"],
                        file=form.cleaned_data["file"],
                    ),
                    "Đã thêm minh chứng.",
                )
        return redirect("reform:recommendation-detail", pk=rec.pk)
    return render(
        request,
        "reform/recommendation_detail.html",
        {
            "rec": rec,
            "evidence": rec.evidence.all(),
            "evidence_form": EvidenceForm(),
            "close_form": CloseForm(),
            "today": timezone.localdate(),
        },
    )


@role_required(*VIEWERS)
def self_assessment(request):
    agency, year = _agency(request, act=request.method == "POST"), _year(request)
    cset = selectors.criteria_set_for(year=year)
    if request.method == "POST":
        if not user_has_role(request.user, *EDITORS):
            raise PermissionDenied("Chỉ lãnh đạo, chuyên viên được cập nhật.")
        if "file" in request.FILES:
            form = CriteriaImportForm(request.POST, request.FILES)
            if form.is_valid():
                d = form.cleaned_data
                _apply(
                    request,
                    lambda: services.criteria_set_import(
                        actor=request.user, year=d["year"], name=d["name"], rows=services.criteria_rows_from_xlsx(d["file"])
                    ),
                    "Đã nhập bộ tiêu chí.",
                )
                return redirect(f"/cchc/tu-danh-gia/?year={d['year']}")
        else:
            raw = request.POST.get("criterion") or ""
            criterion = get_object_or_404(Criterion, pk=raw if raw.isdecimal() and len(raw) < 19 else None)
            form = ScoreForm(request.POST)
            if form.is_valid():
                _apply(
                    request,
                    lambda: services.self_score_set(actor=request.user, criterion=criterion, agency=agency, **form.cleaned_data),
                    f"Đã chấm tiêu chí {criterion.code}.",
                )
            else:
                messages.error(request, "Điểm hoặc tài liệu kiểm chứng không hợp lệ.")
        return redirect(f"/cchc/tu-danh-gia/?year={year}")
    return render(
        request,
        "reform/self_assessment.html",
        {
            "agency": agency,
            "year": year,
            "cset": cset,
            "result": selectors.self_assessment(criteria_set=cset, agency=agency) if cset else None,
            "import_form": CriteriaImportForm(initial={"year": year}),
        },
    )


# ---------------------------------------------------------------- creating records (forms on the list pages)

CREATE_FORMS = {
    # kind: (form class, roles, page to return to)
    "plan": (PlanForm, EDITORS, "reform:tasks"),
    "task": (TaskForm, EDITORS, "reform:tasks"),
    "draft": (DraftForm, EDITORS, "reform:drafts"),
    "monitoring": (MonitoringForm, EDITORS, "reform:drafts"),
    "quota": (QuotaForm, EDITORS, "reform:staffing"),
    "position": (PositionForm, EDITORS, "reform:staffing"),
    "inspection": (InspectionForm, (Role.INSPECTOR, Role.LEADER), "reform:inspections"),
}


def create_forms(agency, *kinds) -> dict:
    """Empty forms for a page (template variables `<kind>_form`)."""
    result = {}
    for kind in kinds:
        form_class = CREATE_FORMS[kind][0]
        takes_agency = issubclass(form_class, _AgencyForm)
        result[f"{kind}_form"] = form_class(agency=agency) if takes_agency else form_class()
    return result


def _create(kind: str, agency, actor, d: dict):
    if kind == "plan":
        parent = selectors.province_plan(year=d["year"]) if d["kind"] == ReformPlan.Kind.AGENCY else None
        return services.plan_create(
            actor=actor, agency=agency if d["kind"] == ReformPlan.Kind.AGENCY else None, parent=parent, **d
        )
    if kind == "task":
        return services.task_create(actor=actor, **d)
    if kind == "draft":
        return services.legal_draft_register(actor=actor, agency=agency, **d)
    if kind == "monitoring":
        return services.enforcement_monitoring_record(actor=actor, agency=agency, **d)
    if kind == "quota":
        return services.staff_quota_set(actor=actor, **d)
    if kind == "position":
        return services.job_position_create(actor=actor, **d)
    if kind == "inspection":
        return services.inspection_create(
            actor=actor, agency=agency, plan=selectors.province_plan(year=d["inspected_on"].year), **d
        )
    raise Http404()


@require_POST
@role_required(*VIEWERS)
def create(request, kind: str):
    if kind not in CREATE_FORMS:
        raise Http404()
    form_class, roles, page = CREATE_FORMS[kind]
    if not user_has_role(request.user, *roles):
        raise PermissionDenied("Bạn không được tạo bản ghi này.")
    agency = _agency(request, act=kind != "inspection")
    if kind == "inspection" and not selectors.can_inspect(request.user, agency.pk):
        raise PermissionDenied("Bạn không được tạo đợt kiểm tra của cơ quan này.")
    form = form_class(request.POST, agency=agency) if issubclass(form_class, _AgencyForm) else form_class(request.POST)
    if not form.is_valid():
        messages.error(
            request,
            "Dữ liệu không hợp lệ: "
            + "; ".join(f"{form.fields[f].label if f in form.fields else ''} {' '.join(e)}" for f, e in form.errors.items()),
        )
        return redirect(page)
    created = {}
    ok = _apply(request, lambda: created.setdefault("obj", _create(kind, agency, request.user, form.cleaned_data)), "Đã lưu.")
    if ok and kind == "inspection":
        return redirect("reform:inspection-detail", pk=created["obj"].pk)
    year = form.cleaned_data.get("year") or getattr(form.cleaned_data.get("plan"), "year", None)
    return redirect(f"{reverse(page)}?year={year}" if year else page)


@require_POST
@role_required(Role.INSPECTOR, Role.LEADER)
def inspection_add(request, pk: int, kind: str):
    inspection = _get(request, Inspection.objects.select_related("agency"), pk, inspection=True)
    forms_by_kind = {"checklist": ChecklistForm, "discussion": DiscussionForm, "recommendation": RecommendationForm}
    if kind not in forms_by_kind:
        raise Http404()
    form_class = forms_by_kind[kind]
    form = form_class(request.POST, agency=inspection.agency) if kind == "recommendation" else form_class(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        if kind == "checklist":
            action = lambda: services.inspection_add_checklist_item(actor=request.user, inspection=inspection, **d)  # noqa: E731
        elif kind == "discussion":
            action = lambda: services.inspection_add_discussion(actor=request.user, inspection=inspection, **d)  # noqa: E731
        else:
            action = lambda: services.recommendation_create(actor=request.user, inspection=inspection, **d)  # noqa: E731
        _apply(request, action, "Đã lưu.")
    else:
        messages.error(request, "Dữ liệu không hợp lệ.")
    return redirect("reform:inspection-detail", pk=inspection.pk)
