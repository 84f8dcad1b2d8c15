"""The payments panel of the staff dossier page (registered into dossiers.panels by PaymentsConfig.ready()): the
dossier's online payments with their amount, status, gateway transaction and receipt (number and download link).
The dossier page calls it only for staff who may see the dossier (its agency)."""

from __future__ import annotations

from django.template.loader import render_to_string

from motcua.dossiers.models import Dossier

from .selectors import payments_of_dossier


def dossier_payments_panel(request, dossier: Dossier) -> str:
    payments = payments_of_dossier(dossier=dossier)
    if not payments:
        return ""
    rows = [{"payment": p, "receipt": getattr(p, "receipt", None)} for p in payments]
    return render_to_string("payments/_dossier_panel.html", {"rows": rows}, request=request)
