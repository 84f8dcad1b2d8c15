"""Pages of the desk: slips to print, worklists, the leaders' view of units, the tracking book and the
statistics table (on screen and as XLSX). Thin: parse input, call a selector/service, render."""

from __future__ import annotations

from datetime import date
from urllib.parse import urlencode

from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from motcua.catalog.models import Field
from motcua.core import xlsx
from motcua.core.errors import NotFoundError, ValidationFailed
from motcua.core.permissions import role_required
from motcua.core.replica import lag_tolerant_view
from motcua.core.roles import Role
from motcua.core.storage import file_response
from motcua.core.tenancy import scope_for
from motcua.dossiers.models import Status

from . import exports, services
from .models import SlipKind
from .selectors import worklists
from .selectors.access import ensure_may_see_dossier, user_agency
from .selectors.book import tracking_book
from .selectors.slips import dossier_for_slips, slip_kinds_available, slips_issued
from .selectors.statistics import statistics_table

DESK_ROLES = (Role.ONE_STOP_OFFICER, Role.SPECIALIST, Role.LEADER)
BOOK_ROLES = (Role.ONE_STOP_OFFICER, Role.LEADER)
STAT_ROLES = (Role.LEADER, Role.ONE_STOP_OFFICER, Role.INSPECTOR)
GROUP_LABELS = {"agency": "Cơ quan", "field": "Lĩnh vực", "procedure": "Thủ tục hành chính"}
GROUP_CHOICES = {
    "field,procedure": "Lĩnh vực và thủ tục",
    "field": "Lĩnh vực",
    "procedure": "Thủ tục",
    "agency": "Cơ quan",
    "agency,field": "Cơ quan và lĩnh vực",
}


def parse_date(value: str | None, name: str, default: date) -> date:
    if not value:
        return default
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValidationFailed(fields={name: ["Ngày không hợp lệ (định dạng yyyy-mm-dd)."]})


def parse_period(params) -> tuple[date, date]:
    today = timezone.localdate()
    start = parse_date(params.get("start"), "start", today.replace(day=1))
    end = parse_date(params.get("end"), "end", today)
    if end < start:
        raise ValidationFailed(fields={"end": ["Ngày kết thúc phải sau ngày bắt đầu."]})
    return start, end


def parse_group(value: str | None) -> tuple[str, ...]:
    groups = tuple(g for g in (value or "field,procedure").split(",") if g)
    if not groups or any(g not in GROUP_LABELS for g in groups):
        raise ValidationFailed(fields={"group_by": ["Nhóm theo: agency, field, procedure."]})
    return groups


def parse_int(value: str | None, name: str) -> int | None:
    if not value:
        return None
    try:
        return int(value)
    except ValueError:
        raise ValidationFailed(fields={name: ["Giá trị phải là số."]})


def _agency_name(agency) -> str:
    return agency.name if agency is not None else "Tất cả cơ quan"


# ------------------------------------------------------------------ slips


@require_GET
@role_required(*DESK_ROLES)
def slip_list(request, code: str):
    dossier = dossier_for_slips(code=code)
    ensure_may_see_dossier(request.user, dossier)
    return render(
        request,
        "desk/slips.html",
        {
            "dossier": dossier,
            "available": slip_kinds_available(dossier),
            "issued": slips_issued(dossier=dossier),
        },
    )


@require_GET
@role_required(*DESK_ROLES)
def slip_pdf(request, code: str, kind: str):
    """Render (or reuse, when unchanged) the slip, store it with the dossier and serve it for A4 printing."""
    if kind not in SlipKind.values:
        raise NotFoundError("Không có loại phiếu này.")
    dossier = dossier_for_slips(code=code)
    ensure_may_see_dossier(request.user, dossier)
    slip = services.slip_issue(dossier=dossier, kind=kind, actor=request.user)
    response = file_response(
        slip.file, filename=f"{dossier.code}-{kind}.pdf", as_attachment=False, content_type="application/pdf"
    )
    response["Content-Disposition"] = f'inline; filename="{dossier.code}-{kind}.pdf"'
    response["X-Content-SHA256"] = slip.sha256
    return response


# ------------------------------------------------------------------ worklists


@require_GET
@role_required(*DESK_ROLES)
def worklist(request):
    scopes = worklists.scopes_for(request.user)
    scope = request.GET.get("scope") or worklists.default_scope(request.user)
    wl = worklists.worklist(
        user=request.user,
        scope=scope,
        bucket=request.GET.get("bucket", ""),
        field_id=parse_int(request.GET.get("field"), "field"),
        procedure=request.GET.get("procedure", "").strip(),
        status=request.GET.get("status", ""),
        q=request.GET.get("q", "").strip(),
    )
    keep = {k: v for k, v in wl.filters.items() if v and k != "bucket"}
    keep["scope"] = scope

    def href(bucket: str) -> str:
        return "?" + urlencode({**keep, **({"bucket": bucket} if bucket else {})})

    return render(
        request,
        "desk/worklist.html",
        {
            "wl": wl,
            "scopes": [(s, worklists.SCOPE_LABELS[s]) for s in scopes],
            "all_href": href(""),
            "all_count": sum(wl.counts.values()),
            "buckets": [(b, label, wl.counts.get(b, 0), href(b)) for b, label in worklists.BUCKET_LABELS.items()],
            "fields": Field.objects.order_by("name"),
            "statuses": Status.choices,
        },
    )


@require_GET
@role_required(Role.LEADER)
def unit_load(request):
    start, end = parse_period(request.GET)
    agency = user_agency(request.user)
    loads = worklists.unit_load(agency=agency, start=start, end=end) if agency else []
    return render(request, "desk/unit_load.html", {"loads": loads, "agency": agency, "start": start, "end": end})


# ------------------------------------------------------------------ tracking book and statistics


@require_GET
@role_required(*BOOK_ROLES)
def book(request):
    start, end = parse_period(request.GET)
    field_id = parse_int(request.GET.get("field"), "field")
    agency = user_agency(request.user)
    sections = tracking_book(agency=agency, start=start, end=end, field_id=field_id)
    if request.GET.get("format") == "xlsx":
        return xlsx.response(
            exports.book(sections, agency_name=_agency_name(agency), start=start, end=end),
            f"so-theo-doi-ho-so-{start:%Y%m%d}-{end:%Y%m%d}.xlsx",
        )
    return render(
        request,
        "desk/book.html",
        {
            "sections": sections,
            "start": start,
            "end": end,
            "agency": agency,
            "field_id": field_id,
            "fields": Field.objects.order_by("name"),
        },
    )


@require_GET
@role_required(*STAT_ROLES)
@lag_tolerant_view
def statistics(request):
    start, end = parse_period(request.GET)
    group_key = request.GET.get("group_by") or "field,procedure"
    group_by = parse_group(group_key)
    agency = None if "agency" in group_by and scope_for(request.user).read_all else user_agency(request.user)
    table = statistics_table(agency=agency, start=start, end=end, group_by=group_by)
    if request.GET.get("format") == "xlsx":
        return xlsx.response(
            exports.statistics(table, agency_name=_agency_name(agency), group_labels=GROUP_LABELS),
            f"thong-ke-ho-so-{start:%Y%m%d}-{end:%Y%m%d}.xlsx",
        )
    rows = [([r.labels[g] for g in group_by], [r.values[k] for k, _ in table.columns]) for r in table.rows]
    return render(
        request,
        "desk/statistics.html",
        {
            "table": table,
            "rows": rows,
            "total": [table.total[k] for k, _ in table.columns],
            "group_heads": [GROUP_LABELS[g] for g in group_by],
            "group_key": group_key,
            "group_choices": GROUP_CHOICES.items(),
            "agency": agency,
            "start": start,
            "end": end,
        },
    )
