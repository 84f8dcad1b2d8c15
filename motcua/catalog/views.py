"""Pages of the catalog: public search and detail (no login), staff dashboard, publication decisions,
XLSX/JSON import and export. Thin: parse input, call a selector or service, render."""

from datetime import date
from urllib.parse import quote

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.http import RFC3986_SUBDELIMS
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from motcua.core.errors import ApplicationError, PermissionDeniedError
from motcua.core.forms import options_html, select_options
from motcua.core.models import Agency
from motcua.core.permissions import staff_required
from motcua.core.replica import lag_tolerant_view
from motcua.core.roles import user_has_role
from motcua.core.selectors import agency_tree
from motcua.core.storage import file_response
from motcua.core.tenancy import agency_for

from . import public_cache, selectors, services
from .forms import FIELD_ANY, DecisionForm, DecisionItemForm, ImportForm, SearchForm
from .models import DecisionItem, ProcedureVersion, TimeUnit
from .templatetags.catalog_tags import amount
from .transfer import ImportRejected, json_export, xlsx_export, xlsx_import

PAGE_SIZE = 20


def _can_edit(user) -> bool:
    return user_has_role(user, *services.CATALOG_EDITORS)


def _require_editor(request):
    if not _can_edit(request.user):
        raise PermissionDeniedError("Chỉ lãnh đạo hoặc quản trị hệ thống được sửa danh mục thủ tục.")


def _agency(request, *, act: bool = False) -> Agency | None:
    """The agency a staff page works on (core.tenancy): ?agency= within the user's scope, else the user's own."""
    agency = agency_for(request, request.GET.get("agency"), act=act)
    if agency is None and act:
        raise PermissionDeniedError("Bạn không thuộc cơ quan nào để thực hiện thao tác này.")
    return agency


# --- public ---------------------------------------------------------------------------------------------


@require_GET
@lag_tolerant_view
def public_search(request):
    # Anonymous answers are reused for a minute (public_cache); a logged-in user always gets a fresh page.
    return public_cache.cached_page(request, "search", lambda extra: _search_page(request, extra))


def _agency_filter() -> dict:
    """The agencies of the province, each under its parent (indented), as <option> elements; only when
    the installation serves more than one agency (the filter is not shown otherwise)."""
    tree = agency_tree()
    agencies = {a.short_name: a for a, _ in tree}
    choices = [(a.short_name, " " * depth + a.name) for a, depth in tree]
    return {"agencies": agencies, "options": options_html([("", _("Tất cả cơ quan")), *choices], "") if len(tree) > 1 else ""}


def _search_page(request, extra: dict) -> HttpResponse:
    fields = _field_filter()
    agencies = _agency_filter()
    form = SearchForm(request.GET or None, field_codes=fields["codes"], agency_names=set(agencies["agencies"]))
    params = form.cleaned_data if form.is_valid() else {}
    agency = agencies["agencies"].get(params.get("agency") or "")
    page = selectors.procedure_search_page(
        query=params.get("q", ""),
        field=params.get("field") or None,
        online_level=int(params["level"]) if params.get("level") else None,
        channel=params.get("channel") or None,
        page=_page_number(request.GET.get("page")),
        page_size=PAGE_SIZE,
        agency=agency,
    )
    query = request.GET.copy()
    query.pop("page", None)
    selects = []
    if agencies["options"]:
        selects.append(
            {
                "name": "agency",
                "label": form.fields["agency"].label,
                "options": select_options(agencies["options"], params.get("agency") or ""),
            }
        )
    selects += [
        {
            "name": "field",
            "label": form.fields["field"].label,
            "options": select_options(fields["options"], params.get("field") or ""),
        }
    ]
    selects += [
        {
            "name": name,
            "label": form.fields[name].label,
            "options": mark_safe(options_html(form.fields[name].choices, params.get(name) or "")),
        }  # noqa: S308
        for name in ("level", "channel")
    ]
    return render(
        request,
        "catalog/public_search.html",
        {
            "form": form,
            "selects": selects,
            "page": page,
            "rows": _table_rows(page.rows),
            "capped_count": number_format(page.count, force_grouping=True) if page.capped else "",
            "query": query.urlencode(),
            **extra,
        },
    )


def _page_number(value: str | None) -> int:
    try:
        return max(1, int(value or 1))
    except ValueError:
        return 1


def _field_filter() -> dict:
    """The field codes and their <option> elements, built once per process for a while (283 fields)."""

    def build() -> dict:
        choices = selectors.field_choices()
        return {"codes": frozenset(code for code, _ in choices), "options": options_html(FIELD_ANY + choices, "")}

    return public_cache.per_process(f"field-filter:{get_language()}", build)


def _table_rows(rows: list[dict]) -> str:
    """The <tr> elements of the result table, written in Python like the options: 20 rows through the template
    engine cost more than the search query itself."""
    base = reverse("catalog:public-detail", args=["-"])[:-2]
    units = dict(TimeUnit.choices)
    level = _("Mức")
    badges = ((_("Trực tiếp"), "badge"), (_("Trực tuyến"), "badge ok"), (_("Bưu chính"), "badge"))
    html = []
    for r in rows:
        code = r["procedure__code"]
        url = escape(f"{base}{quote(code, safe=RFC3986_SUBDELIMS + '~:@')}/")
        days = r["committed_time"] if r["committed_time"] is not None else r["legal_time"]
        time_text = f"{amount(days)} {units.get(r['time_unit'], '')}" if days else "—"
        level_text = f"{level} {r['online_level']}" if r["online_level"] else "—"
        flags = (r["channel_counter"], r["channel_online"], r["channel_postal"])
        channels = " ".join(
            f'<span class="{css}">{escape(label)}</span>' for (label, css), on in zip(badges, flags, strict=True) if on
        )
        html.append(
            f'<tr><td><a href="{url}">{escape(code)}</a></td><td><a href="{url}">{escape(r["name"])}</a></td>'
            f"<td>{escape(r['agency__name'] or '')}</td>"
            f"<td>{escape(r['field__name'])}</td><td>{escape(time_text)}</td><td>{escape(level_text)}</td>"
            f"<td>{channels}</td></tr>"
        )
    return mark_safe("\n".join(html))  # noqa: S308 - every value is escaped above


@require_GET
@lag_tolerant_view
def public_detail(request, code: str):
    # Anonymous answers are reused for a minute (public_cache, keyed by the catalog version and today's date).
    return public_cache.cached_page(request, "detail", lambda extra: _detail_page(request, code, extra))


def _detail_page(request, code: str, extra: dict) -> HttpResponse:
    version = selectors.procedure_detail(code=code)
    return render(request, "catalog/public_detail.html", {"v": version, "steps": version.steps.all(), **extra})


@require_GET
def public_form(request, code: str, component_id: int):
    """The form (mẫu đơn, tờ khai) attached to a component of the version in force, as a download:
    served by the application (media is not public), type fixed, never sniffed."""
    component = selectors.component_form(code=code, component_id=component_id)
    name = component.form_file.name.rsplit("/", 1)[-1]
    response = file_response(
        component.form_file,
        filename=name,
        content_type=FORM_TYPES.get(name.rsplit(".", 1)[-1].lower(), "application/octet-stream"),
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


FORM_TYPES = {
    "pdf": "application/pdf",
    "odt": "application/vnd.oasis.opendocument.text",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


# --- staff ------------------------------------------------------------------------------------------------


@staff_required
@require_GET
def dashboard(request):
    agency = _agency(request)
    try:
        on = date.fromisoformat(request.GET.get("ngay", "")) if request.GET.get("ngay") else timezone.localdate()
    except ValueError:
        on = timezone.localdate()
    year = int(request.GET.get("nam") or on.year)
    figures = selectors.catalog_figures(agency=agency, on=on)
    counts = selectors.decision_counts(agency=agency, start=date(year, 1, 1), end=date(year, 12, 31))
    return render(
        request,
        "catalog/dashboard.html",
        {"agency": agency, "on": on, "year": year, "f": figures, "counts": counts, "can_edit": _can_edit(request.user)},
    )


@staff_required
def decisions(request):
    agency = _agency(request, act=request.method == "POST")
    form = DecisionForm(request.POST or None)
    if request.method == "POST":
        _require_editor(request)
        if form.is_valid():
            try:
                decision = services.decision_create(actor=request.user, agency=agency, **form.cleaned_data)
            except ApplicationError as exc:
                _form_errors(form, exc)
            else:
                messages.success(request, f"Đã tạo quyết định {decision.number}.")
                return redirect("catalog:decision", pk=decision.pk)
    return render(
        request,
        "catalog/decisions.html",
        {
            "decisions": selectors.decision_list(agency=agency, fetched_by=request.user),
            "form": form,
            "can_edit": _can_edit(request.user),
        },
    )


@staff_required
def decision_detail(request, pk: int):
    decision = selectors.decision_get(pk=pk, fetched_by=request.user, act=request.method == "POST")
    form = DecisionItemForm(request.POST or None)
    if request.method == "POST":
        _require_editor(request)
        if form.is_valid():
            try:
                _add_item(request, decision, **form.cleaned_data)
            except ApplicationError as exc:
                _form_errors(form, exc)
            else:
                return redirect("catalog:decision", pk=decision.pk)
    items = decision.items.select_related("procedure", "version", "replaces").order_by("action", "procedure__code")
    return render(
        request,
        "catalog/decision_detail.html",
        {"decision": decision, "items": items, "form": form, "can_edit": _can_edit(request.user)},
    )


def _add_item(request, decision, *, action: str, code: str, replaces: str = "") -> None:
    procedure = selectors.procedure_get(code=code.strip())
    version = None
    if action != DecisionItem.Action.ABOLISHED:
        version = procedure.versions.filter(status=ProcedureVersion.Status.DRAFT).order_by("-number").first()
        if version is None and action == DecisionItem.Action.AMENDED:
            version = services.procedure_version_create(actor=request.user, procedure=procedure)
            messages.info(
                request,
                f"Đã tạo phiên bản dự thảo số {version.number} của thủ tục {code} (chép từ phiên bản "
                "hiện hành); hãy sửa nội dung trong trang quản trị trước khi áp dụng.",
            )
    replaced = selectors.procedure_get(code=replaces.strip()) if replaces.strip() else None
    services.decision_item_add(
        actor=request.user, decision=decision, action=action, procedure=procedure, version=version, replaces=replaced
    )
    messages.success(request, f"Đã thêm thủ tục {code} vào quyết định.")


@staff_required
@require_POST
def decision_item_remove(request, pk: int, item_pk: int):
    _require_editor(request)
    selectors.decision_get(pk=pk, fetched_by=request.user, act=True)
    item = get_object_or_404(DecisionItem, pk=item_pk, decision_id=pk)
    services.decision_item_remove(actor=request.user, item=item)
    messages.success(request, "Đã bỏ thủ tục khỏi quyết định.")
    return redirect("catalog:decision", pk=pk)


@staff_required
@require_POST
def decision_apply(request, pk: int):
    _require_editor(request)
    decision = selectors.decision_get(pk=pk, fetched_by=request.user, act=True)
    try:
        services.decision_apply(actor=request.user, decision=decision)
    except ApplicationError as exc:
        if exc.status_code == 409:
            raise
        messages.error(request, "; ".join([exc.message] + [m for ms in exc.fields.values() for m in ms]))
    else:
        messages.success(request, f"Đã áp dụng quyết định {decision.number} từ ngày {decision.effective_on:%d/%m/%Y}.")
    return redirect("catalog:decision", pk=pk)


def _form_errors(form, exc: ApplicationError) -> None:
    if not exc.fields:
        form.add_error(None, exc.message)
    for name, errors in exc.fields.items():
        for error in errors:
            form.add_error(name if name in form.fields else None, error)


# --- import and export --------------------------------------------------------------------------------------


@staff_required
def transfer_page(request):
    form = ImportForm(request.POST or None, request.FILES or None, initial={"valid_from": timezone.localdate()})
    report = None
    if request.method == "POST":
        _require_editor(request)
        if form.is_valid():
            try:
                result = xlsx_import.import_xlsx(
                    actor=request.user,
                    file=form.cleaned_data["file"],
                    agency=_agency(request, act=True),
                    valid_from=form.cleaned_data["valid_from"],
                )
            except ImportRejected as exc:
                report = exc.errors
                messages.error(request, f"Tệp có {len(exc.errors)} lỗi; danh mục không thay đổi.")
            else:
                messages.success(
                    request,
                    f"Đã nhập: {result['created']} thủ tục mới, {result['updated']} thủ tục có "
                    f"phiên bản mới, {result['unchanged']} không đổi.",
                )
                return redirect("catalog:transfer")
    return render(request, "catalog/transfer.html", {"form": form, "report": report, "can_edit": _can_edit(request.user)})


@staff_required
@require_GET
@lag_tolerant_view
def export_xlsx(request):
    content = xlsx_export.export_xlsx(on=timezone.localdate())
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="danh-muc-tthc-{timezone.localdate():%Y%m%d}.xlsx"'
    return response


@staff_required
@require_GET
def template_xlsx(request):
    response = HttpResponse(
        xlsx_export.template_xlsx(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = 'attachment; filename="mau-nhap-danh-muc-tthc.xlsx"'
    return response


@staff_required
@require_GET
@lag_tolerant_view
def export_json(request):
    response = HttpResponse(
        json_export.export_json_bytes(fetched_by=request.user), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="danh-muc-tthc-{timezone.localdate():%Y%m%d}.json"'
    return response
