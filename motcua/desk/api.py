"""JSON API of the desk (session or token auth; roles via HasRole).

GET /api/v1/desk/worklist/?scope=mine|unit|desk|agency&bucket=&field=&procedure=&status=&q=
GET /api/v1/desk/unit-load/?start=&end=                      (leaders)
GET /api/v1/desk/book/?start=&end=&field=                    tracking book BM.06
GET /api/v1/desk/statistics/?start=&end=&group_by=field,procedure
GET /api/v1/desk/dossiers/{code}/slips/                      slips available and issued, with their PDF links
"""

from datetime import datetime

from django.urls import reverse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from motcua.core.api import HasRole
from motcua.core.roles import Role
from motcua.core.tenancy import scope_for

from .selectors import worklists
from .selectors.access import ensure_may_see_dossier, user_agency
from .selectors.book import tracking_book
from .selectors.slips import dossier_for_slips, slip_kinds_available, slips_issued
from .selectors.statistics import statistics_table
from .views import BOOK_ROLES, DESK_ROLES, STAT_ROLES, parse_group, parse_int, parse_period


def _iso(value: datetime | None) -> str | None:
    return timezone.localtime(value).isoformat() if value else None


def _dossier_brief(d) -> dict:
    return {
        "code": d.code,
        "status": d.status,
        "status_code": d.status_code,
        "status_label": d.get_status_display(),
        "procedure": {"code": d.procedure_version.procedure.code, "name": d.procedure_version.name},
        "field": d.procedure_version.field.name,
        "applicant_name": d.applicant_name,
        "due_at": _iso(d.due_at),
    }


class WorklistView(APIView):
    permission_classes = [HasRole(*DESK_ROLES)]

    @extend_schema(
        summary="Danh sách việc (các bước đang mở) theo phạm vi, nhóm hạn và bộ lọc, kèm số đếm.", responses=OpenApiTypes.OBJECT
    )
    def get(self, request):
        scopes = worklists.scopes_for(request.user)
        p = request.query_params
        wl = worklists.worklist(
            user=request.user,
            scope=p.get("scope") or scopes[0],
            bucket=p.get("bucket", ""),
            field_id=parse_int(p.get("field"), "field"),
            procedure=p.get("procedure", "").strip(),
            status=p.get("status", ""),
            q=p.get("q", "").strip(),
        )
        items = []
        for item in wl.items:
            if wl.by_step:
                row = _dossier_brief(item.dossier)
                row["step"] = {
                    "seq": item.seq,
                    "name": item.name,
                    "unit": item.unit.name if item.unit else None,
                    "assignee": item.assignee.get_username() if item.assignee else None,
                    "received_at": _iso(item.received_at),
                    "due_at": _iso(item.due_at),
                }
            else:
                row = _dossier_brief(item)
            row["bucket"] = item.bucket
            items.append(row)
        return Response(
            {
                "scope": wl.scope,
                "scopes": scopes,
                "by_step": wl.by_step,
                "today": wl.thresholds.today.isoformat(),
                "due_soon_until": wl.thresholds.soon_last_day.isoformat(),
                "counts": wl.counts,
                "total": wl.total,
                "truncated": wl.truncated,
                "filters": wl.filters,
                "results": items,
            }
        )


class UnitLoadView(APIView):
    permission_classes = [HasRole(Role.LEADER)]

    @extend_schema(summary="Tình hình các đơn vị: số bước đang xử lý, quá hạn, đến hạn.", responses=OpenApiTypes.OBJECT)
    def get(self, request):
        start, end = parse_period(request.query_params)
        agency = user_agency(request.user)
        loads = worklists.unit_load(agency=agency, start=start, end=end) if agency else []
        return Response(
            {
                "agency": agency.code if agency else None,
                "start": start.isoformat(),
                "end": end.isoformat(),
                "units": [
                    {
                        "unit": load.unit.name,
                        "short_name": load.unit.short_name,
                        "open": load.open,
                        "overdue": load.overdue,
                        "due_today": load.due_today,
                        "due_soon": load.due_soon,
                        "paused": load.paused,
                        "done": load.done,
                        "done_early": load.done_early,
                        "done_on_time": load.done_on_time,
                        "done_late": load.done_late,
                        "late_rate": load.late_rate,
                    }
                    for load in loads
                ],
            }
        )


class BookView(APIView):
    permission_classes = [HasRole(*BOOK_ROLES)]

    @extend_schema(summary="Sổ theo dõi hồ sơ (BM.06) theo lĩnh vực và kỳ.", responses=OpenApiTypes.OBJECT)
    def get(self, request):
        start, end = parse_period(request.query_params)
        agency = user_agency(request.user)
        sections = tracking_book(
            agency=agency, start=start, end=end, field_id=parse_int(request.query_params.get("field"), "field")
        )
        return Response(
            {
                "start": start.isoformat(),
                "end": end.isoformat(),
                "sections": [
                    {
                        "field": s.field_name,
                        "rows": [
                            {
                                "seq": r.seq,
                                "code": r.dossier.code,
                                "procedure": r.dossier.procedure_version.name,
                                "applicant_name": r.dossier.applicant_name,
                                "channel": r.dossier.channel,
                                "received_at": _iso(r.dossier.accepted_at),
                                "appointment": _iso(r.appointment),
                                "new_appointment": _iso(r.new_appointment),
                                "finished_at": _iso(r.dossier.finished_at),
                                "returned_at": _iso(r.dossier.returned_at),
                                "result_delivery": r.dossier.result_delivery if r.dossier.returned_at else None,
                                "status": r.dossier.status,
                                "timeliness": r.dossier.timeliness or None,
                                "paused_times": r.paused_times,
                            }
                            for r in s.rows
                        ],
                    }
                    for s in sections
                ],
            }
        )


class StatisticsView(APIView):
    permission_classes = [HasRole(*STAT_ROLES)]

    @extend_schema(summary="Bảng thống kê hồ sơ theo kỳ × cơ quan × lĩnh vực × thủ tục.", responses=OpenApiTypes.OBJECT)
    def get(self, request):
        start, end = parse_period(request.query_params)
        group_by = parse_group(request.query_params.get("group_by"))
        all_agencies = "agency" in group_by and scope_for(request.user).read_all  # core.tenancy
        agency = None if all_agencies else user_agency(request.user)
        table = statistics_table(agency=agency, start=start, end=end, group_by=group_by)
        return Response(
            {
                "start": start.isoformat(),
                "end": end.isoformat(),
                "as_of": _iso(table.as_of),
                "group_by": list(group_by),
                "agency": agency.code if agency else None,
                "columns": [{"key": k, "label": label} for k, label in table.columns],
                "rows": [
                    {"group": {g: {"id": r.key[i], "label": r.labels[g]} for i, g in enumerate(group_by)}, **r.values}
                    for r in table.rows
                ],
                "total": table.total,
            }
        )


class SlipsView(APIView):
    permission_classes = [HasRole(*DESK_ROLES)]

    @extend_schema(summary="Các phiếu (BM.01–BM.05) có thể in và đã in của một hồ sơ.", responses=OpenApiTypes.OBJECT)
    def get(self, request, code: str):
        dossier = dossier_for_slips(code=code)
        ensure_may_see_dossier(request.user, dossier)
        pdf = lambda kind: request.build_absolute_uri(reverse("desk:slip-pdf", args=[dossier.code, kind]))  # noqa: E731
        return Response(
            {
                "code": dossier.code,
                "available": [{"kind": k, "label": label, "pdf": pdf(k)} for k, label in slip_kinds_available(dossier)],
                "issued": [
                    {
                        "kind": s.kind,
                        "number": s.number,
                        "sha256": s.sha256,
                        "size": s.size,
                        "created_at": _iso(s.created_at),
                        "created_by": s.created_by.get_username() if s.created_by else None,
                    }
                    for s in slips_issued(dossier=dossier)
                ],
            }
        )
