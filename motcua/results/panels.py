"""The electronic result panel of the staff dossier page (registered into dossiers.panels by ResultsConfig.ready()):
the result's number, date and verification link when issued; for a decided dossier without one, the link to the
issue page. The dossier page calls it only for staff who may see the dossier (its agency)."""

from __future__ import annotations

from django.template.loader import render_to_string

from motcua.dossiers.models import Dossier

from .selectors import result_of_dossier
from .services import ISSUABLE


def dossier_result_panel(request, dossier: Dossier) -> str:
    result = result_of_dossier(dossier)
    if result is None and dossier.status not in ISSUABLE:
        return ""
    return render_to_string("results/_dossier_panel.html", {"result": result, "dossier": dossier}, request=request)
