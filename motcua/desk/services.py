"""Writes of the desk: issuing (storing) the slips of a dossier. The desk never writes dossier tables."""

import hashlib

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction

from motcua.core.errors import ConflictError, NotFoundError
from motcua.core.services import audit_record
from motcua.core.transitions import Actor

from . import slips
from .models import DossierSlip, SlipKind, slip_file_path
from .selectors.slips import dossier_for_slips, slip_available


def _store_content(name: str, content: bytes, slip: DossierSlip) -> None:
    """Content-addressed write: the same bytes always live under the same name, written once."""
    storage = slip.file.storage
    if not storage.exists(name):
        saved = storage.save(name, ContentFile(content))
        if saved != name:  # a racing print wrote the same bytes first; keep one copy
            storage.delete(saved)
    slip.file.name = name


def slip_issue(*, dossier, kind: str, actor: Actor, lookup_secret: str = "") -> DossierSlip:
    """Render the slip `kind` of the dossier and store it with the dossier. `lookup_secret` (known only
    right after reception) is printed on BM.01.

    The rendering is deterministic, so a slip whose content has not changed since its last issue is
    returned as it is (no new row); otherwise a new numbered version is stored and audited."""
    if kind not in SlipKind.values:
        raise NotFoundError("Không có loại phiếu này.")
    dossier = dossier_for_slips(pk=dossier.pk)
    if not slip_available(dossier, kind):
        raise ConflictError(f"Hồ sơ {dossier.code} chưa có nội dung để in {SlipKind(kind).label}.", code="slip_not_available")
    if kind == SlipKind.BM01 and lookup_secret:
        content = slips.render_bm01(dossier, lookup_secret=lookup_secret)
    else:
        content = slips.RENDERERS[kind](dossier)
    digest = hashlib.sha256(content).hexdigest()
    for _attempt in range(3):
        try:
            with transaction.atomic():
                latest = DossierSlip.objects.select_for_update().filter(dossier=dossier, kind=kind).order_by("-number").first()
                if latest is not None and latest.sha256 == digest:
                    return latest
                slip = DossierSlip(
                    dossier=dossier,
                    kind=kind,
                    number=(latest.number + 1) if latest else 1,
                    sha256=digest,
                    size=len(content),
                    created_by=actor,
                )
                _store_content(slip_file_path(slip, ""), content, slip)
                slip.save(force_insert=True)
                audit_record(
                    actor=actor,
                    action="dossier.slip_issue",
                    obj=slip,
                    object_repr=f"{dossier.code} {kind} #{slip.number}",
                    changes={"dossier": dossier.code, "kind": kind, "number": slip.number, "sha256": digest},
                )
                return slip
        except IntegrityError:  # a concurrent print stored the same number first: look again
            continue
    raise ConflictError("Không lưu được phiếu, vui lòng thử lại.")


# The slip each transition hands out (dossier action → slip kind). Hooked by the dossiers app after
# commit, or called by an operator; printing from the dossier page issues the same rows.
SLIP_FOR_ACTION = {
    "receive": SlipKind.BM01,
    "accept": SlipKind.BM01,
    "request_supplement": SlipKind.BM02,
    "refuse": SlipKind.BM03,
    "extend": SlipKind.BM04,
    "forward": SlipKind.BM05,
    "return_to_step": SlipKind.BM05,
    "decide": SlipKind.BM05,
    "return_result": SlipKind.BM05,
}


def slips_issue_after(*, dossier, action: str, actor: Actor, lookup_secret: str = "") -> DossierSlip | None:
    """Store the slip a transition produces (e.g. BM.01 on acceptance, BM.02 on a supplement request)
    so that the PDF exists with the dossier even if nobody prints it. Returns None when the action
    produces no slip or the records do not hold its content (an online dossier not yet accepted).
    The lookup secret `dossier_receive` leaves on the returned dossier is printed on BM.01."""
    kind = SLIP_FOR_ACTION.get(str(action))
    if kind is None:
        return None
    fresh = dossier_for_slips(pk=dossier.pk)
    if not slip_available(fresh, kind):
        return None
    secret = lookup_secret or getattr(dossier, "lookup_secret", "")
    return slip_issue(dossier=fresh, kind=kind, actor=actor, lookup_secret=secret)
