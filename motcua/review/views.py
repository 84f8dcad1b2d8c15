"""Staff pages of procedure reviews (/cchc/ra-soat/): plans, the ranked evidence of an agency's procedures, a
reviewed procedure (evidence, costs, progress, proposal), the records behind each figure and the proposal's
DOCX. Thin: a form parses, one service or selector acts, tenancy through core.tenancy."""

from datetime import date

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from motcua.catalog.models import Procedure, ProcedureVersion, PublicationDecision
from motcua.core.errors import NotFoundError, PermissionDeniedError, ValidationFailed
from motcua.core.models import Unit, User
from motcua.core.permissions import role_required
from motcua.core.roles import Role, user_has_role
from motcua.core.tenancy import agency_for

from . import selectors, services
from .forms import CostForm, DecideForm, ItemForm, PlanForm, ProgressForm, ProposalForm
from .models import CostEstimate, Proposal
from .proposal_doc import proposal_docx

VIEWERS = (Role.LEADER, Role.SPECIALIST, Role.INSPECTOR, Role.CLERK, Role.PROVINCE_SUPERVISOR)
EDITORS = services.EDITORS


def _agency(request, requested=None, *, act=False):
    agency = agency_for(request, requested, act=act)
    if agency is None:
        raise Http404(_("Chưa có cơ quan."))
    return agency


def _year(request, default: int) -> int:
    try:
        year = int(request.GET.get("year") or default)
    except ValueError:
        raise ValidationFailed(fields={"year": [_("Năm không hợp lệ.")]})
    if not 2000 <= year <= timezone.localdate().year:
        raise ValidationFailed(fields={"year": [_("Năm phải từ 2000 đến năm hiện tại.")]})
    return year


def _invalid(form) -> ValidationFailed:
    return ValidationFailed(fields={k: [str(e) for e in v] for k, v in form.errors.items()})


@role_required(*VIEWERS)
def index(request):
    """Plans the user may read, the form to create one, and the ranked evidence of the agency's procedures."""
    agency = _agency(request, request.GET.get("agency"))
    year = _year(request, timezone.localdate().year - 1)
    if request.method == "POST":
        if not user_has_role(request.user, *EDITORS):
            raise PermissionDeniedError(_("Chỉ lãnh đạo, chuyên viên được lập kế hoạch rà soát."))
        agency = _agency(request, request.POST.get("agency") or request.GET.get("agency"), act=True)
        form = PlanForm(request.POST)
        if not form.is_valid():
            raise _invalid(form)
        plan = services.plan_create(actor=request.user, agency=agency, **form.cleaned_data)
        messages.success(request, _("Đã lập kế hoạch rà soát."))
        return redirect("review:plan", pk=plan.pk)
    start, end = date(year, 1, 1), date(year, 12, 31)
    ranking = selectors.agency_evidence(agency=agency, start=start, end=end)
    plans = list(selectors.plans_for(user=request.user))
    for p in plans:
        p.results = selectors.simplification_results(agency=p.agency, year=p.year)
    return render(
        request,
        "review/index.html",
        {
            "agency": agency,
            "year": year,
            "plans": plans,
            "ranking": ranking,
            "form": PlanForm(initial={"year": timezone.localdate().year}),
            "can_edit": user_has_role(request.user, *EDITORS),
        },
    )


@role_required(*VIEWERS)
def plan(request, pk: int):
    plan = selectors.plan_get(pk=pk, user=request.user, act=request.method == "POST")
    agency = plan.agency
    versions = ProcedureVersion.objects.filter(agency=agency, status=ProcedureVersion.Status.IN_FORCE).select_related("procedure")
    choices = [(v.procedure_id, f"{v.procedure.code} — {v.name[:120]}") for v in versions.order_by("procedure__code")]
    units = Unit.objects.filter(agency=agency).order_by("name")
    people = User.objects.filter(unit__agency=agency, is_active=True).order_by("last_name", "first_name", "username")
    form = ItemForm(procedures=choices, units=units, people=people)
    if request.method == "POST":
        form = ItemForm(request.POST, procedures=choices, units=units, people=people)
        if not form.is_valid():
            raise _invalid(form)
        data = form.cleaned_data
        services.item_add(
            actor=request.user,
            plan=plan,
            procedure=Procedure.objects.get(pk=data["procedure"]),
            unit=units.get(pk=data["unit"]),
            responsible=people.get(pk=data["responsible"]) if data["responsible"] else None,
            deadline=data["deadline"],
        )
        messages.success(request, _("Đã thêm thủ tục vào kế hoạch."))
        return redirect("review:plan", pk=plan.pk)
    items = list(plan.items.select_related("procedure", "unit", "responsible").prefetch_related("procedure__versions"))
    today = timezone.localdate()
    for item in items:
        item.overdue = item.status != "done" and item.deadline < today
    return render(
        request,
        "review/plan.html",
        {"plan": plan, "items": items, "form": form, "can_edit": user_has_role(request.user, *EDITORS), "today": today},
    )


def _item_context(request, item) -> dict:
    plan = item.plan
    year = _year(request, plan.year - 1)
    start, end = date(year, 1, 1), date(year, 12, 31)
    evidence = selectors.procedure_evidence(agency=plan.agency, procedure=item.procedure, start=start, end=end)
    proposal = Proposal.objects.filter(item=item).select_related("outgoing", "decision", "new_version", "version").first()
    estimates = {e.variant: e for e in item.costs.all()}
    cost_forms = {
        v: CostForm(
            initial=(
                {f: getattr(estimates[v], f) for f in CostForm.base_fields if f not in ("variant",)} | {"variant": v}
                if v in estimates
                else {"variant": v}
            )
        )
        for v in CostEstimate.Variant.values
    }
    before_after = None
    if proposal and proposal.new_version_id:
        before_after = selectors.proposal_before_after(
            proposal=proposal, start=proposal.version.valid_from or start, end=timezone.localdate()
        )
    decisions = PublicationDecision.objects.filter(agency=plan.agency, applied_at__isnull=False).order_by("-effective_on")
    return {
        "item": item,
        "plan": plan,
        "year": year,
        "evidence": evidence,
        "costs": selectors.item_costs(item=item),
        "cost_forms": cost_forms,
        "progress_form": ProgressForm(initial={"progress": item.progress}),
        "proposal": proposal,
        "proposal_form": ProposalForm(initial={k: getattr(proposal, k) for k in ProposalForm.base_fields} if proposal else None),
        "decide_form": DecideForm(decisions=decisions, initial={"decided_on": timezone.localdate()}),
        "before_after": before_after,
        "can_edit": user_has_role(request.user, *EDITORS),
        "record_keys": selectors.RECORD_KEYS,
    }


@require_GET
@role_required(*VIEWERS)
def item(request, pk: int):
    item = selectors.item_get(pk=pk, user=request.user)
    return render(request, "review/item.html", _item_context(request, item))


ACTIONS = ("progress", "cost", "proposal", "send", "new-version", "decide")


@require_POST
@role_required(*EDITORS)
def item_action(request, pk: int, action: str):
    item = selectors.item_get(pk=pk, user=request.user, act=True)
    if action not in ACTIONS:
        raise NotFoundError(_("Không có thao tác này."))
    proposal = Proposal.objects.filter(item=item).first()
    if action in ("send", "new-version", "decide") and proposal is None:
        raise NotFoundError(_("Chưa có phương án đơn giản hóa."))
    if action == "progress":
        form = ProgressForm(request.POST)
        if not form.is_valid():
            raise _invalid(form)
        services.item_progress(actor=request.user, item=item, **form.cleaned_data)
        messages.success(request, _("Đã cập nhật tiến độ."))
    elif action == "cost":
        form = CostForm(request.POST)
        if not form.is_valid():
            raise _invalid(form)
        data = dict(form.cleaned_data)
        variant, note = data.pop("variant"), data.pop("note")
        services.cost_estimate_set(actor=request.user, item=item, variant=variant, values=data, note=note)
        messages.success(request, _("Đã lưu chi phí tuân thủ."))
    elif action == "proposal":
        form = ProposalForm(request.POST)
        if not form.is_valid():
            raise _invalid(form)
        services.proposal_save(actor=request.user, item=item, **form.cleaned_data)
        messages.success(request, _("Đã lưu phương án đơn giản hóa."))
    elif action == "send":
        proposal = services.proposal_send(
            actor=request.user, proposal=proposal, recipient_name=request.POST.get("recipient_name", "")
        )
        messages.success(request, _("Đã lập văn bản đi gửi phương án; trình lãnh đạo ký và phát hành trong sổ văn bản đi."))
        return redirect("documents:outgoing_detail", pk=proposal.outgoing_id)
    elif action == "new-version":
        version = services.proposal_new_version(actor=request.user, proposal=proposal)
        messages.success(
            request,
            _("Đã tạo phiên bản dự thảo %(n)s của thủ tục; đưa vào quyết định công bố để áp dụng.") % {"n": version.number},
        )
        return redirect("catalog:decisions")
    else:
        decisions = PublicationDecision.objects.filter(agency=item.plan.agency, applied_at__isnull=False)
        form = DecideForm(request.POST, decisions=decisions)
        if not form.is_valid():
            raise _invalid(form)
        data = form.cleaned_data
        services.proposal_decide(
            actor=request.user,
            proposal=proposal,
            adopted=data["adopted"],
            decided_on=data["decided_on"],
            note=data["note"],
            decision=decisions.get(pk=data["decision"]) if data["decision"] else None,
        )
        messages.success(request, _("Đã ghi nhận ý kiến về phương án."))
    return redirect("review:item", pk=item.pk)


@require_GET
@role_required(*VIEWERS)
def proposal_download(request, pk: int):
    item = selectors.item_get(pk=pk, user=request.user)
    proposal = Proposal.objects.filter(item=item).first()
    if proposal is None:
        raise NotFoundError(_("Chưa có phương án đơn giản hóa."))
    response = HttpResponse(
        proposal_docx(proposal), content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    response["Content-Disposition"] = f'attachment; filename="phuong-an-{item.procedure.code}.docx"'
    return response


@require_GET
@role_required(*VIEWERS)
def records(request, agency: str, year: int, code: str, key: str):
    agency_obj = _agency(request, agency)
    procedure = Procedure.objects.filter(code=code, versions__agency=agency_obj).distinct().first()
    if procedure is None or not 2000 <= year <= 2100:
        raise NotFoundError(_("Không tìm thấy thủ tục."))
    recs = selectors.figure_records(
        agency=agency_obj, procedure=procedure, start=date(year, 1, 1), end=date(year, 12, 31), key=key
    )
    rows = [(row, reverse(link[0], kwargs=link[1]) if link else None) for row, link in zip(recs.rows, recs.links, strict=True)]
    page = Paginator(rows, 100).get_page(request.GET.get("page"))
    return render(
        request, "review/records.html", {"records": recs, "page": page, "count": len(rows), "agency": agency_obj, "year": year}
    )
