"""The CCHC report's figures as JSON (the same selectors as the DOCX/PDF and the page)."""

from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from motcua.core.api import HasRole
from motcua.core.roles import Role
from motcua.core.tenancy import agency_for

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
