"""PAKN pages: public (no login) form, confirmation, lookup and list of published answers; staff worklist,
detail and one POST endpoint per transition. Thin: parse, call a service or selector, render."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from motcua.catalog import public_cache
from motcua.core import ratelimit
from motcua.core.client import client_ip
from motcua.core.errors import ValidationFailed
from motcua.core.forms import PreparedChoices
from motcua.core.masking import mask_name
from motcua.core.models import Agency
from motcua.core.permissions import role_required
from motcua.core.roles import Role
from motcua.core.selectors import agency_default, agency_tree, province_office
from motcua.core.tenancy import agency_for
from motcua.core.transitions import Applicant

from . import selectors, services
from .forms import PROCEDURE_NONE, FeedbackForm, LookupForm
from .models import Category, Channel

STAFF_ROLES = (Role.ONE_STOP_OFFICER, Role.SPECIALIST, Role.LEADER)
SESSION_KEY = "feedback_submitted_code"
LOOKUP_LIMIT = 20  # attempts per client address per window
LOOKUP_WINDOW = 600  # seconds
PUBLIC_SENDER = Applicant(via="unverified")  # whoever fills in the public form: no proof of identity is asked


def _recipients() -> tuple[Agency | None, dict[str, Agency], list[tuple[str, str]]]:
    """The province office (default recipient), the agencies by short name and their choices (indented
    under their parents); no choices when the installation serves one agency."""
    tree = agency_tree()
    by_short = {a.short_name: a for a, _ in tree}
    choices = [(a.short_name, "\u2003" * depth + a.name) for a, depth in tree] if len(tree) > 1 else []
    return province_office(), by_short, choices


def _procedure_options(agency: Agency | None) -> PreparedChoices:
    """The procedures the form offers (thousands on a province portal), queried and written as <option>
    elements once per catalog version and kept in the shared cache (catalog.public_cache): a publication
    decision or an import replaces the version, so the next form offers the new catalog."""
    key = public_cache.shared_key("pakn-procedures", agency.pk if agency else "province")
    return public_cache.cached_data(
        key, lambda: PreparedChoices.of([PROCEDURE_NONE, *selectors.procedure_choices(agency=agency)])
    )


@require_http_methods(["GET", "POST"])
def public_form(request):
    agency, agencies, agency_choices = _recipients()
    # The province portal: every agency's procedures; a single agency: its own (and shared ones).
    choices = _procedure_options(None if agency_choices else agency)
    kwargs = {"procedure_choices": choices, "agency_choices": agency_choices, "default_recipient": agency.name if agency else ""}
    if request.method == "POST":
        form = FeedbackForm(request.POST, request.FILES, **kwargs)
        if form.is_valid():
            data = form.cleaned_data
            procedure = selectors.procedure_by_code(data["procedure"])
            recipient = agencies.get(data.get("recipient") or "") or selectors.procedure_agency(procedure) or agency
            try:
                feedback = services.feedback_submit(
                    agency=recipient,
                    kind=data["kind"],
                    category=data["category"],
                    title=data["title"],
                    content=data["content"],
                    procedure=procedure,
                    submitter_name=data["submitter_name"],
                    submitter_phone=data["submitter_phone"],
                    submitter_email=data["submitter_email"],
                    submitter_address=data["submitter_address"],
                    attachments=data["attachments"],
                    channel=Channel.WEB,
                    actor=PUBLIC_SENDER,
                )
            except ValidationFailed as exc:
                form.add_service_errors(exc)
            else:
                request.session[SESSION_KEY] = feedback.code
                return redirect("feedback:submitted")
        status = 400
    else:
        form = FeedbackForm(**kwargs)
        status = 200
    return render(request, "feedback/public_form.html", {"form": form, "agency": agency}, status=status)


def submitted(request):
    code = request.session.get(SESSION_KEY)
    if not code:
        return redirect("feedback:public")
    feedback = selectors.feedback_get(code=code)
    if feedback is None:
        raise Http404
    return render(request, "feedback/submitted.html", {"feedback": feedback, "agency": feedback.agency})


@require_http_methods(["GET", "POST"])
def lookup(request):
    """Follow an item by code + the phone or e-mail it was sent with. An unknown code and a wrong contact
    get the same answer; attempts are limited per client address."""
    feedback, not_found, limited, reply_error = None, False, False, ""
    if request.method == "POST":
        form = LookupForm(request.POST)
        if not ratelimit.take(scope="feedback-lookup", ident=client_ip(request), limit=LOOKUP_LIMIT, window=LOOKUP_WINDOW):
            limited = True
        elif form.is_valid():
            feedback = selectors.feedback_lookup(code=form.cleaned_data["code"], contact=form.cleaned_data["contact"])
            not_found = feedback is None
            if feedback is not None and "reply" in request.POST:
                try:
                    # the code and the sender's contact were just checked: the submitter acts on their own item
                    feedback = services.feedback_receive_more_info(
                        feedback=feedback, actor=Applicant(via="lookup"), reply=request.POST.get("reply", "")
                    )
                except ValidationFailed as exc:
                    reply_error = "; ".join(m for ms in exc.fields.values() for m in ms) or exc.message
                else:
                    messages.success(request, "Đã gửi thông tin bổ sung. Cơ quan sẽ trả lời trong thời hạn mới.")
    else:
        form = LookupForm()
    context = {
        "form": form,
        "feedback": feedback,
        "not_found": not_found,
        "limited": limited,
        "timeline": _public_timeline(feedback) if feedback else [],
        "reply_error": reply_error,
        "reply_text": request.POST.get("reply", "") if reply_error else "",
    }
    response = render(request, "feedback/lookup.html", context, status=429 if limited else 200)
    if limited:
        response["Retry-After"] = str(ratelimit.retry_after(LOOKUP_WINDOW))
    return response


def _public_timeline(feedback) -> list[tuple]:
    rows = [(feedback.received_at, "Đã tiếp nhận", "")]
    if feedback.more_info_requested_at:
        rows.append((feedback.more_info_requested_at, "Cơ quan đề nghị bổ sung thông tin", feedback.more_info_request))
    if feedback.more_info_received_at:
        rows.append((feedback.more_info_received_at, "Đã nhận thông tin bổ sung", ""))
    if feedback.refused_at:
        rows.append((feedback.refused_at, "Từ chối tiếp nhận", feedback.refuse_reason))
    if feedback.started_at:
        rows.append((feedback.started_at, "Đang xử lý", ""))
    if feedback.answered_at:
        rows.append((feedback.answered_at, "Đã trả lời", ""))
    if feedback.published_at:
        rows.append((feedback.published_at, "Đã công khai kết quả", ""))
    return sorted(rows, key=lambda r: r[0])


def published_list(request):
    category = request.GET.get("category") or ""
    if category not in Category.values:
        category = ""
    q = (request.GET.get("q") or "").strip()[:100]
    qs = selectors.feedback_published_list(category=category or None, q=q)
    page = Paginator(qs, 20).get_page(request.GET.get("page"))
    items = [{"fb": fb, "name": mask_name(fb.submitter_name)} for fb in page.object_list]
    return render(
        request,
        "feedback/published_list.html",
        {
            "page": page,
            "items": items,
            "categories": Category.choices,
            "category": category,
            "q": q,
            "agency": agency_default(),
        },
    )


def published_detail(request, code):
    feedback = selectors.feedback_get(code=code)
    if feedback is None or not feedback.is_published:
        raise Http404
    return render(request, "feedback/published_detail.html", {"fb": feedback, "name": mask_name(feedback.submitter_name)})


# ---- staff -------------------------------------------------------------------------------------------


def _staff_agency(request):
    """The agency whose worklist the page shows (core.tenancy): ?agency= within the user's scope, else the own."""
    return agency_for(request, request.GET.get("agency"))


@role_required(*STAFF_ROLES)
def worklist(request):
    bucket = request.GET.get("bucket") or "open"
    if bucket not in selectors.WORKLIST_BUCKETS:
        bucket = "open"
    wl = selectors.feedback_worklist(agency=_staff_agency(request), bucket=bucket)
    page = Paginator(wl.items, 50).get_page(request.GET.get("page"))
    buckets = [{"key": k, "label": label, "count": wl.counts[k]} for k, label in selectors.WORKLIST_BUCKETS.items()]
    return render(
        request, "feedback/worklist.html", {"wl": wl, "page": page, "buckets": buckets, "bucket": bucket, "now": timezone.now()}
    )


@role_required(*STAFF_ROLES)
def detail(request, code):
    feedback = selectors.feedback_get_for_staff(code=code, fetched_by=request.user)
    return render(
        request,
        "feedback/detail.html",
        {
            "fb": feedback,
            "actions": services.allowed_actions(feedback=feedback, user=request.user),
            "timeliness": selectors.feedback_timeliness(feedback),
        },
    )


ACTIONS = {
    "refuse": (services.feedback_refuse, "reason", "Đã từ chối tiếp nhận."),
    "request_more_info": (services.feedback_request_more_info, "request", "Đã gửi đề nghị bổ sung thông tin."),
    "receive_more_info": (services.feedback_receive_more_info, "reply", "Đã ghi nhận thông tin bổ sung."),
    "start": (services.feedback_start, None, "Đã nhận xử lý."),
    "answer": (services.feedback_answer, "answer", "Đã lưu nội dung trả lời."),
    "publish": (services.feedback_publish, None, "Đã công khai kết quả trả lời."),
}


@require_POST
@role_required(*STAFF_ROLES)
def action(request, code, name):
    if name not in ACTIONS:
        raise Http404
    feedback = selectors.feedback_get_for_staff(code=code, fetched_by=request.user, act=True)
    service, text_arg, done = ACTIONS[name]
    kwargs = {"feedback": feedback, "actor": request.user}
    if text_arg:
        kwargs[text_arg] = request.POST.get(text_arg, "")
    service(**kwargs)  # ApplicationError → 400/403/409 page via core middleware
    messages.success(request, done)
    return redirect(reverse("feedback:detail", args=[feedback.code]))
