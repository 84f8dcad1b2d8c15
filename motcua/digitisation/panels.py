"""The digitisation panel of the staff dossier page (registered into dossiers.panels by DigitisationConfig.ready()):
each scanned paper's OCR job — waiting, running (pages done of total), done (flagged pages, the certified copy),
or failed (the error, the attempts, a button to try again). The dossier page calls it only for staff who may
see the dossier; nothing for a dossier without scans to digitise."""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string

from motcua.dossiers.models import Dossier

from .selectors import dossier_digitisation


def dossier_digitisation_panel(request, dossier: Dossier) -> str:
    rows = dossier_digitisation(dossier)
    if not rows:
        return ""
    context = {"rows": rows, "dossier": dossier, "min_confidence": settings.DIGITISATION_MIN_CONFIDENCE}
    return render_to_string("digitisation/_dossier_panel.html", context, request=request)
