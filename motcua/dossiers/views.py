"""Staff pages of the one-stop desk: intake at the counter, the dossier page with its timeline and
the actions the user's role allows, the list and the worklist. Thin: parse, call a service/selector, render."""

from datetime import datetime

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from motcua.catalog.models import ProcedureVersion
from motcua.catalog.selectors import procedure_version_in_force
from motcua.core.errors import ApplicationError, NotFoundError, PermissionDeniedError
from motcua.core.models import Agency, Unit, User
from motcua.core.permissions import role_required
from motcua.core.roles import Role
from motcua.core.storage import StorageUnavailable, file_response
from motcua.core.tenancy import agency_for, scope_for
from motcua.core.validators import ascii_int
from motcua.workcalendar.selectors import office_spans

from . import selectors
from .api import _get_for, action_arguments
from .forms import ACTION_FIELDS, FilterForm, IntakeForm
from .intake import dossier_receive
from .machine import ACTION_LABELS, Action, actions_allowed
from .models import Status
from .panels import render_panels
from .transitions import SERVICES
from .writes import dossier_record_access

STAFF = (Role.ONE_STOP_OFFICER, Role.SPECIALIST, Role.LEADER)


def _agency(user):
    """The user's agency (core.tenancy); a user of no agency who does not read every agency is refused, as the
    list selector reads every agency when given none."""
    agency = agency_for(user)
    if agency is None and not scope_for(user).read_all and Agency.objects.exists():
        raise PermissionDeniedError("Tài khoản của bạn chưa thuộc cơ quan nào.")
    return agency


def _versions_in_force(agency):
    today = timezone.localdate()
    qs = (
        ProcedureVersion.objects.filter(status=ProcedureVersion.Status.IN_FORCE, valid_from__lte=today)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=today))
        .select_related("procedure")
        .order_by("procedure__code")
    )
    if agency is not None:
        qs = qs.filter(Q(agency=agency) | Q(agency__isnull=True))
    return qs


@role_required(*STAFF)
def dossier_list(request):
    form = FilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    qs = selectors.dossier_list(
        agency=_agency(request.user),
        status=filters.get("status") or None,
        overdue=True if filters.get("overdue") else None,
        channel=filters.get("channel") or None,
        start=filters.get("start"),
        end=filters.get("end"),
        q=filters.get("q") or None,
    )
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "dossiers/list.html", {"form": form, "page": page, "query": query.urlencode()})


def _counter_agencies(user) -> list:
    """At the service centre's counter: the agencies the officer receives for (core.tenancy: their
    secondments), the centre itself excepted; empty at an agency's own desk."""
    scope = scope_for(user)
    if scope.act_all or len(scope.act_ids) < 2:
        return []
    return list(Agency.objects.filter(pk__in=scope.act_ids, is_service_centre=False).order_by("name"))


@role_required(Role.ONE_STOP_OFFICER)
def dossier_intake(request):
    agency = _agency(request.user)
    counter_agencies = _counter_agencies(request.user)
    if counter_agencies:
        requested = request.POST.get("agency") or request.GET.get("agency") or counter_agencies[0].short_name
        agency = agency_for(request, requested, act=True)  # only an agency the officer may receive for
    versions = list(_versions_in_force(agency))
    code = request.POST.get("procedure") or request.GET.get("procedure") or ""
    version = None
    if code:
        try:
            version = procedure_version_in_force(code=code, on=timezone.localdate())
        except NotFoundError:
            messages.error(request, f"Không có thủ tục {code} đang hiệu lực.")
    components = list(version.components.all()) if version else []
    form = IntakeForm(request.POST or None, versions=versions, initial={"procedure": code})
    if request.method == "POST" and version is not None and form.is_valid():
        data = form.cleaned_data
        # Every ticked paper is received, scanned or not, with the numbers of originals and copies counted.
        checked = [
            {
                "component": c.pk,
                "originals": request.POST.get(f"originals_{c.pk}", c.originals),
                "copies": request.POST.get(f"copies_{c.pk}", c.copies),
            }
            for c in components
            if request.POST.get(f"component_{c.pk}")
        ]
        files = []
        for c in components:
            for upload in request.FILES.getlist(f"file_{c.pk}"):
                files.append({"file": upload, "component": c.pk, "digitised": bool(request.POST.get(f"digitised_{c.pk}"))})
        try:
            dossier = dossier_receive(
                actor=request.user,
                procedure_code=version.procedure.code,
                channel=data["channel"],
                applicant=form.applicant(),
                components=checked,
                files=files,
                result_delivery=data["result_delivery"],
                postal_tracking=data["postal_tracking"],
                return_address=data["return_address"],
                note=data["note"],
                idempotency_key=data.get("form_token") or "",
            )
        except (PermissionDeniedError, StorageUnavailable):
            raise  # 403 page: e.g. a procedure of an agency the counter does not receive for; 503: the file store is down
        except ApplicationError as exc:
            form.add_application_error(exc)
        else:
            if getattr(dossier, "replayed", False):
                messages.info(request, f"Hồ sơ {dossier.code} đã được tiếp nhận trước đó (gửi lại biểu mẫu).")
            else:
                due = f"{timezone.localtime(dossier.due_at):%H:%M %d/%m/%Y}" if dossier.due_at else "—"
                messages.success(
                    request,
                    f"Đã tiếp nhận hồ sơ {dossier.code}. Hẹn trả kết quả: {due}. "
                    f"Mã tra cứu của người nộp: {dossier.lookup_secret}",
                )
            return redirect("dossiers:detail", code=dossier.code)
    checked = {ascii_int(k.split("_", 1)[1]) for k in request.POST if k.startswith("component_")} - {None}
    for c in components:
        c.received_originals = request.POST.get(f"originals_{c.pk}", c.originals)
        c.received_copies = request.POST.get(f"copies_{c.pk}", c.copies)
    return render(
        request,
        "dossiers/intake.html",
        {
            "form": form,
            "version": version,
            "components": components,
            "checked": checked,
            "counter_agencies": counter_agencies,
            "counter_agency": agency if counter_agencies else None,
        },
    )


@role_required(*STAFF)
def dossier_detail(request, code: str):
    dossier = _get_for(request.user, code)
    dossier_record_access(dossier=dossier, actor=request.user)
    steps = selectors.dossier_steps(dossier=dossier)
    allowed = actions_allowed(dossier, request.user)
    actions = [{"code": str(a), "label": ACTION_LABELS[a], "fields": ACTION_FIELDS.get(a, [])} for a in allowed]
    units = Unit.objects.filter(agency_id=dossier.agency_id).order_by("name")
    staff = User.objects.filter(unit__agency_id=dossier.agency_id, is_active=True).select_related("unit").order_by("last_name")
    return render(
        request,
        "dossiers/detail.html",
        {
            "dossier": dossier,
            "steps": steps,
            "events": selectors.dossier_timeline(dossier=dossier),
            "files": list(dossier.files.select_related("component")),
            "papers": list(dossier.papers.all()),
            "actions": actions,
            "units": units,
            "staff": staff,
            "earlier_steps": [s for s in steps if s.handed_over_at is not None],
            "supplements": list(dossier.supplement_requests.all()),
            "pauses": list(dossier.pauses.all()),
            "extension": getattr(dossier, "extension", None) if dossier.extended else None,
            "now": timezone.now(),
            "Status": Status,
            "panels": render_panels(request, dossier),  # from the apps above (payments), after the tenancy check
        },
    )


# Types a browser shows itself; anything else is downloaded.
INLINE_TYPES = {"application/pdf", "image/png", "image/jpeg", "image/gif", "image/webp", "image/tiff"}


@require_GET
@role_required(*STAFF)
def dossier_file(request, code: str, file_id: int):
    """One of the dossier's files, for staff who may see the dossier (another agency's staff: 404).
    PDFs and images open in the browser; the content type is the one found from the content at upload,
    never sniffed, and the file runs in a CSP sandbox (no script, no same-origin access). Logged."""
    dossier = _get_for(request.user, code)
    f = dossier.files.filter(pk=file_id).first()
    if f is None or not f.file:
        raise NotFoundError("Không tìm thấy tệp của hồ sơ.")
    dossier_record_access(dossier=dossier, actor=request.user, file=f)
    inline = f.content_type in INLINE_TYPES
    response = file_response(
        f.file,
        content_type=f.content_type if inline else "application/octet-stream",
        as_attachment=not inline,
        filename=f.original_name,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = (
        "sandbox; default-src 'none'; img-src 'self'; object-src 'self'; style-src 'unsafe-inline'"
    )
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response


@require_POST
@role_required(*STAFF)
def dossier_action(request, code: str, action: str):
    dossier = _get_for(request.user, code)
    if action not in Action.__members__.values():
        raise NotFoundError(f"Không có thao tác {action}.")
    data = request.POST.copy()
    if action == Action.EXTEND and data.get("new_due_at") and len(data["new_due_at"]) == 10:
        day = datetime.strptime(data["new_due_at"], "%Y-%m-%d").date()
        data["new_due_at"] = timezone.make_aware(datetime.combine(day, office_spans()[-1][1])).isoformat()
    try:
        kwargs = action_arguments(action, data, dossier.agency_id)
        if action == Action.DECIDE and request.FILES.get("result_file"):
            kwargs["result_file"] = request.FILES["result_file"]
        if action == Action.RECEIVE_SUPPLEMENT and request.FILES.getlist("files"):
            kwargs["files"] = [{"file": f} for f in request.FILES.getlist("files")]
        SERVICES[Action(action)](dossier=dossier, actor=request.user, **kwargs)
    except PermissionDeniedError:
        raise  # 403 page: the user may not act on this dossier or step
    except ApplicationError as exc:
        details = "; ".join(e for errs in exc.fields.values() for e in errs)
        messages.error(request, f"{exc.message} {details}".strip())
    else:
        messages.success(request, f"Đã thực hiện: {ACTION_LABELS[Action(action)]}.")
    return redirect("dossiers:detail", code=code)
