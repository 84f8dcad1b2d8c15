"""Staff pages: registers (search, export), incoming registration and assignment, the outgoing workflow,
and the dashboard of counts. Thin: parse input, call a service or selector, render."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from motcua.core import xlsx
from motcua.core.errors import ValidationFailed
from motcua.core.permissions import role_required
from motcua.core.roles import Role, user_has_role
from motcua.core.storage import file_response
from motcua.core.tenancy import agency_for

from . import selectors, services
from .exports import register_book
from .forms import AssignForm, IncomingForm, NoteForm, OutgoingForm, PeriodForm
from .models import DocumentFile, IncomingDocument, OutgoingDocument, Register, RegisterKind

STAFF = (Role.CLERK, Role.LEADER, Role.SPECIALIST)


def _agency(request):
    """The user's agency (core.tenancy): its registers and documents only."""
    agency = agency_for(request)
    if agency is None:
        raise Http404("Chưa có cơ quan.")
    return agency


def _form_errors(form, exc: ValidationFailed) -> None:
    for field, errors in exc.fields.items():
        for error in errors:
            form.add_error(field if field in form.fields else None, error)
    if not exc.fields:
        form.add_error(None, exc.message)


@role_required(*STAFF)
def dashboard(request):
    agency = _agency(request)
    form = PeriodForm(request.GET or None)
    start, end = form.period(year=selectors.latest_year(agency=agency, until=timezone.localdate().year))
    counts = selectors.document_counts(agency=agency, start=start, end=end)
    share = {
        k: (round(100 * counts[k] / counts["total"], 1) if counts["total"] else 0)
        for k in ("fully_electronic", "digitally_signed")
    }
    return render(
        request,
        "documents/dashboard.html",
        {
            "form": form,
            "counts": counts,
            "share": share,
            "start": start,
            "end": end,
            "agency": agency,
            "registers": selectors.register_list(agency=agency),
        },
    )


def _year(request):
    try:
        return int(request.GET.get("year") or 0) or None
    except ValueError:
        return None


def _register_list(request, *, kind, search, visible_to, with_flags, statuses, template: str, **extra):
    """The list page of one kind of register (incoming, outgoing): the query string's filters (words, register,
    year, status) over the documents the user may see, 30 a page."""
    agency = _agency(request)
    q, year, status = request.GET.get("q", ""), _year(request), request.GET.get("status", "")
    register = Register.objects.filter(agency=agency, kind=kind, pk=request.GET.get("register") or 0).first()
    qs = with_flags(visible_to(search(agency=agency, q=q, register=register, year=year, status=status), request.user))
    return render(
        request,
        template,
        {
            "page": Paginator(qs, 30).get_page(request.GET.get("page")),
            "q": q,
            "year": year or "",
            "register": register,
            "registers": selectors.register_list(agency=agency, kind=kind),
            "statuses": statuses,
            "status": status,
            **extra,
        },
    )


@role_required(*STAFF)
def incoming_list(request):
    return _register_list(
        request,
        kind=RegisterKind.INCOMING,
        search=selectors.incoming_search,
        visible_to=selectors.incoming_visible_to,
        with_flags=selectors.incoming_with_flags,
        statuses=IncomingDocument.Status.choices,
        template="documents/incoming_list.html",
        can_register=user_has_role(request.user, Role.CLERK),
    )


@role_required(Role.CLERK)
def incoming_create(request):
    agency = _agency(request)
    form = IncomingForm(request.POST or None, request.FILES or None, agency=agency)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            doc = services.incoming_register(
                actor=request.user,
                register=data["register"],
                received_at=data["received_at"],
                sender=data["sender"],
                sender_symbol=data["sender_symbol"],
                sender_date=data["sender_date"],
                doc_type=data["doc_type"],
                summary=data["summary"],
                urgency=data["urgency"],
                confidentiality=data["confidentiality"],
                is_electronic=data["is_electronic"],
                files=data["files"],
            )
        except ValidationFailed as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, f"Đã đăng ký văn bản đến số {doc.number}.")
            return redirect("documents:incoming_detail", pk=doc.pk)
    return render(request, "documents/form.html", {"form": form, "title": "Đăng ký văn bản đến", "multipart": True})


def _incoming(request, pk):
    qs = selectors.incoming_visible_to(IncomingDocument.objects.filter(register__agency=_agency(request)), request.user)
    return get_object_or_404(selectors.incoming_with_flags(qs), pk=pk)


@role_required(*STAFF)
def incoming_detail(request, pk):
    doc = _incoming(request, pk)
    agency = _agency(request)
    allowed = services.INCOMING.allowed(doc.status, request.user)
    return render(
        request,
        "documents/incoming_detail.html",
        {
            "doc": doc,
            "files": doc.files.prefetch_related("signatures"),
            "steps": doc.steps.select_related("actor", "unit"),
            "present_by": selectors.incoming_present_by(doc),
            "today": timezone.localdate(),
            "assign_form": AssignForm(
                agency=agency,
                initial={
                    "lead_unit": doc.lead_unit_id,
                    "deadline": doc.deadline,
                    "coordinating_units": list(doc.coordinating_units.values_list("pk", flat=True)),
                },
            ),
            "note_form": NoteForm(),
            "can_assign": "assign" in allowed,
            "can_handle": "handle" in allowed,
            "can_close": "close" in allowed,
        },
    )


@require_POST
@role_required(Role.LEADER)
def incoming_assign(request, pk):
    doc = _incoming(request, pk)
    form = AssignForm(request.POST, agency=_agency(request))
    if not form.is_valid():
        raise ValidationFailed(fields={k: [str(e) for e in v] for k, v in form.errors.items()})
    data = form.cleaned_data
    services.incoming_assign(
        actor=request.user,
        document=doc,
        lead_unit=data["lead_unit"],
        coordinating_units=data["coordinating_units"],
        deadline=data["deadline"],
        note=data["note"],
    )
    messages.success(request, "Đã phân công xử lý.")
    return redirect("documents:incoming_detail", pk=doc.pk)


@require_POST
@role_required(*STAFF)
def incoming_handle(request, pk):
    doc = _incoming(request, pk)
    form = NoteForm(request.POST)
    if not form.is_valid():
        raise ValidationFailed(fields={"note": ["Nhập nội dung."]})
    if request.POST.get("action") == "close":
        services.incoming_close(
            actor=request.user, document=doc, outcome=form.cleaned_data["note"], paper=form.cleaned_data["paper"]
        )
        messages.success(request, "Đã kết thúc xử lý văn bản.")
    else:
        services.incoming_record_handling(
            actor=request.user, document=doc, note=form.cleaned_data["note"], paper=form.cleaned_data["paper"]
        )
        messages.success(request, "Đã ghi nhận xử lý.")
    return redirect("documents:incoming_detail", pk=doc.pk)


@role_required(*STAFF)
def outgoing_list(request):
    return _register_list(
        request,
        kind=RegisterKind.OUTGOING,
        search=selectors.outgoing_search,
        visible_to=selectors.outgoing_visible_to,
        with_flags=selectors.outgoing_with_flags,
        statuses=OutgoingDocument.Status.choices,
        template="documents/outgoing_list.html",
    )


@role_required(*STAFF)
def outgoing_create(request):
    agency = _agency(request)
    form = OutgoingForm(
        request.POST or None, request.FILES or None, agency=agency, initial={"drafting_unit": request.user.unit_id}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        recipients = [{"agency": a} for a in data["internal_recipients"]]
        recipients += [{"name": line.strip()} for line in data["other_recipients"].splitlines() if line.strip()]
        files = [(data["main_file"].name, data["main_file"].read(), DocumentFile.Kind.MAIN)]
        files += [(f.name, f.read(), DocumentFile.Kind.ATTACHMENT) for f in data["attachments"]]
        try:
            doc = services.outgoing_create_draft(
                actor=request.user,
                register=data["register"],
                doc_type=data["doc_type"],
                summary=data["summary"],
                drafting_unit=data["drafting_unit"],
                urgency=data["urgency"],
                confidentiality=data["confidentiality"],
                is_electronic=data["is_electronic"],
                recipients=recipients,
                files=files,
            )
        except ValidationFailed as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, "Đã tạo dự thảo.")
            return redirect("documents:outgoing_detail", pk=doc.pk)
    return render(request, "documents/form.html", {"form": form, "title": "Dự thảo văn bản đi", "multipart": True})


def _outgoing(request, pk):
    qs = selectors.outgoing_visible_to(OutgoingDocument.objects.filter(agency=_agency(request)), request.user)
    return get_object_or_404(selectors.outgoing_with_flags(qs), pk=pk)


# button → (service, its transition in services.OUTGOING (who, from which status), button label)
OUTGOING_ACTIONS = {
    "submit": (services.outgoing_submit, "submit", "Trình duyệt"),
    "return": (services.outgoing_return, "return", "Trả lại để sửa"),
    "approve": (services.outgoing_approve, "approve", "Duyệt và ký số"),
    "approve_paper": (services.outgoing_approve, "approve", "Duyệt, ký trên bản giấy"),
    "number": (services.outgoing_number, "number", "Cấp số"),
    "seal": (services.outgoing_seal, "seal", "Ký số của cơ quan"),
    "seal_paper": (services.outgoing_seal, "seal", "Đóng dấu bản giấy"),
    "dispatch": (services.outgoing_dispatch, "dispatch", "Phát hành"),
    "archive": (services.outgoing_archive, "archive", "Lưu văn bản"),
}


@role_required(*STAFF)
def outgoing_detail(request, pk):
    doc = _outgoing(request, pk)
    allowed = services.OUTGOING.allowed(doc.status, request.user)
    actions = [(name, label) for name, (_, transition, label) in OUTGOING_ACTIONS.items() if transition in allowed]
    return render(
        request,
        "documents/outgoing_detail.html",
        {
            "doc": doc,
            "files": doc.files.prefetch_related("signatures"),
            "steps": doc.steps.select_related("actor", "unit"),
            "recipients": doc.recipients.select_related("agency", "delivered_incoming"),
            "actions": actions,
        },
    )


@require_POST
@role_required(*STAFF)
def outgoing_action(request, pk, action):
    doc = _outgoing(request, pk)
    if action not in OUTGOING_ACTIONS:
        raise Http404
    service, _, label = OUTGOING_ACTIONS[action]
    kwargs = {"actor": request.user, "document": doc}
    if action in ("approve_paper", "seal_paper"):
        kwargs["digital"] = False
    if action == "return":
        kwargs["note"] = request.POST.get("note", "")
    service(**kwargs)
    messages.success(request, f"Đã thực hiện: {label}.")
    return redirect("documents:outgoing_detail", pk=doc.pk)


@role_required(*STAFF)
def file_download(request, pk):
    agency = _agency(request)
    doc_file = get_object_or_404(DocumentFile.objects.select_related("incoming__register", "outgoing"), pk=pk)
    owner = doc_file.incoming.register.agency_id if doc_file.incoming_id else doc_file.outgoing.agency_id
    if owner != agency.pk or not doc_file.file:
        raise Http404
    if doc_file.incoming_id:
        _incoming(request, doc_file.incoming_id)  # 404 unless the user may see the document
    else:
        _outgoing(request, doc_file.outgoing_id)
    return file_response(doc_file.file, filename=doc_file.name)


@role_required(*STAFF)
def register_export(request, pk):
    register = get_object_or_404(Register, pk=pk, agency=_agency(request))
    if register.is_secret and not user_has_role(request.user, Role.CLERK, Role.LEADER):
        raise PermissionDenied("Sổ văn bản mật chỉ văn thư và lãnh đạo được xuất.")
    year = _year(request) or timezone.localdate().year
    return xlsx.response(register_book(register=register, year=year), f"so-van-ban-{register.pk}-{year}.xlsx")
