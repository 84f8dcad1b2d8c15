"""The review app's section of the CCHC dashboard (reform/panels.py): the results of the agency's latest
review plan up to this year, from records."""

from django.template.loader import render_to_string
from django.utils import timezone

from . import selectors
from .models import ReviewPlan


def dashboard_section(request, agency) -> str:
    plan = ReviewPlan.objects.filter(agency=agency, year__lte=timezone.localdate().year).order_by("-year").first()
    if plan is None:
        return ""
    results = selectors.simplification_results(agency=agency, year=plan.year)
    return render_to_string("review/_dashboard.html", {"plan": plan, "results": results}, request=request)
