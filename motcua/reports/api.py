"""The CCHC report's figures as JSON (the same selectors as the DOCX/PDF and the page)."""

from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from motcua.core.api import HasRole
from motcua.core.roles import Role
from motcua.core.tenancy import agency_for

from .index766.engine import compute, indicator_records
from .index766.explain import records_rows
from .index766.periods import parse_period
from .records import figure_url
from .selectors import cchc_report


class CchcFiguresView(APIView):
    permission_classes = [HasRole(Role.LEADER, Role.SPECIALIST, Role.INSPECTOR, Role.CLERK, Role.PROVINCE_SUPERVISOR)]

    @extend_schema(responses={200: {"type": "object"}})
    def get(self, request, agency: str, year: int):
        agency_obj = agency_for(request, agency)  # within the user's scope (core.tenancy), else 404
        report = cchc_report(agency=agency_obj, year=year)
        return Response(
            {
                "agency": agency_obj.short_name,
                "year": year,
                "start": report.start,
                "end": report.end,
                "catalog_on": report.on,
                "figures": [
                    {
                        "key": f.key,
                        "label": f.label,
                        "value": f.value,
                        "of": f.of,
                        "text": f.text,
                        "section": s.number,
                        "records": request.build_absolute_uri(figure_url(agency=agency_obj, year=year, key=f.key)),
                    }
                    for s in report.sections
                    for f in s.figures
                ],
            }
        )


INDEX766_ROLES = (Role.LEADER, Role.SPECIALIST, Role.INSPECTOR, Role.CLERK, Role.PROVINCE_SUPERVISOR)


def _index766_args(request, agency: str, period: str):
    agency_obj = agency_for(request, agency)  # within the user's scope (core.tenancy), else 404
    return agency_obj, parse_period(period), request.GET.get("field") or None, request.GET.get("procedure") or None


class Index766View(APIView):
    """The Decision 766 index of an agency (with the agencies below it) for a period (2021, 2021-H1,
    2021-Q3, 2021-09): total, groups, indicators, each with links to the records that earned or lost points."""

    permission_classes = [HasRole(*INDEX766_ROLES)]

    @extend_schema(responses={200: {"type": "object"}})
    def get(self, request, agency: str, period: str):
        agency_obj, p, field, procedure = _index766_args(request, agency, period)
        data = compute(agency=agency_obj, period=p, field=field, procedure=procedure)
        for group in data["groups"]:
            for ind in group["indicators"]:
                url = reverse(
                    "reports-index766-records",
                    kwargs={"agency": agency_obj.short_name, "period": p.key, "indicator": ind["code"]},
                )
                ind["lost_records"] = request.build_absolute_uri(url + "?earned=0")
                ind["earned_records"] = request.build_absolute_uri(url + "?earned=1")
        return Response(data)


class Index766RecordsView(APIView):
    """The records that lost (?earned=0, the default) or earned (?earned=1) an indicator's points, each with
    the link to its own page (at most 200, newest first; `count` is the whole number)."""

    permission_classes = [HasRole(*INDEX766_ROLES)]

    @extend_schema(responses={200: {"type": "object"}})
    def get(self, request, agency: str, period: str, indicator: str):
        agency_obj, p, field, procedure = _index766_args(request, agency, period)
        earned = request.GET.get("earned", "0") in ("1", "true", "yes")
        qs = indicator_records(agency=agency_obj, period=p, code=indicator, earned=earned, field=field, procedure=procedure)
        rows = records_rows(indicator, qs)
        for row in rows:
            row["url"] = request.build_absolute_uri(row["url"])
        return Response(
            {
                "agency": agency_obj.short_name,
                "period": p.key,
                "indicator": indicator,
                "earned": earned,
                "count": qs.count() if qs is not None else 0,
                "no_data_source_yet": qs is None,
                "records": rows,
            }
        )
