"""The store's panel on the staff dossier page (registered into dossiers.panels by PapersConfig.ready()): the
applicant's consent (or the button to record it), then their stored papers to reuse for this dossier, the papers
already reused, and the dossier's digitised files that can be kept in the store. The dossier page calls it only
for staff who may see the dossier; the store itself is shown only to staff who may act for its agency, after
consent (selectors.store_for_dossier)."""

from __future__ import annotations

from django.template.loader import render_to_string

from motcua.core.tenancy import scope_for
from motcua.dossiers.models import Dossier

from . import selectors
from .services import REUSE_STATUSES


def dossier_papers_panel(request, dossier: Dossier) -> str:
    holder = selectors.holder_of(dossier)
    if holder is None or not scope_for(request.user).can_act(dossier.agency_id):
        return ""
    stored = selectors.stored_hashes(dossier=dossier)
    files = [f for f in dossier.files.select_related("component") if f.digitised and f.kind != "result"]
    context = {
        "dossier": dossier,
        "holder": holder,
        "consent": selectors.consent_for(dossier),
        "store": selectors.store_for_dossier(user=request.user, dossier=dossier),
        "reuses": list(selectors.reuses_of_dossier(dossier=dossier)),
        "open": dossier.status in REUSE_STATUSES,
        "components": list(dossier.procedure_version.components.all()),
        "storable": [f for f in files if f.sha256 not in stored],
    }
    return render_to_string("papers/_dossier_panel.html", context, request=request)
