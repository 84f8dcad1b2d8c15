"""The records behind an indicator's points, as rows with a link to each record's own page: the late
dossiers, the procedures not online, the undigitised dossiers, the PAKN answered late…"""

from __future__ import annotations

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from .rules import RULES_BY_CODE


def _d(moment) -> str | None:
    return timezone.localtime(moment).strftime("%d/%m/%Y %H:%M") if moment else None


def _dossier(d) -> dict:
    return {
        "kind": "dossier",
        "code": d.code,
        "procedure": d.procedure_version.procedure.code,
        "channel": d.channel,
        "status": d.status,
        "accepted_at": _d(d.accepted_at),
        "due_at": _d(d.due_at),
        "finished_at": _d(d.finished_at),
        "timeliness": d.timeliness,
        "supplement_count": d.supplement_count,
        "url": reverse("dossiers:detail", kwargs={"code": d.code}),
    }


def _version(v) -> dict:
    return {
        "kind": "procedure",
        "code": v.procedure.code,
        "name": v.name,
        "online_class": v.online_class,
        "online_level": v.online_level,
        "url": reverse("catalog:public-detail", kwargs={"code": v.procedure.code}),
    }


def _feedback(f) -> dict:
    return {
        "kind": "pakn",
        "code": f.code,
        "status": f.status,
        "received_at": _d(f.received_at),
        "refused_at": _d(f.refused_at),
        "refuse_due": _d(f.refuse_due),
        "more_info_requested_at": _d(f.more_info_requested_at),
        "more_info_due": _d(f.more_info_due),
        "answered_at": _d(f.answered_at),
        "resolve_due": _d(f.resolve_due),
        "published_at": _d(f.published_at),
        "publish_due": _d(f.publish_due),
        "url": reverse("feedback:detail", kwargs={"code": f.code}),
    }


def _rating(r) -> dict:
    return {
        "kind": "rating",
        "dossier": r.dossier.code,
        "overall": r.overall,
        "submitted_at": _d(r.submitted_at),
        "url": reverse("dossiers:detail", kwargs={"code": r.dossier.code}),
    }


SERIALISERS = {
    "dossiers": (_dossier, ["procedure_version__procedure"], ["-finished_at", "-accepted_at", "code"]),
    "catalog": (_version, ["procedure"], ["procedure__code"]),
    "pakn": (_feedback, [], ["received_at", "code"]),
    "ratings": (_rating, ["dossier"], ["submitted_at", "pk"]),
}


def records_rows(code: str, qs: QuerySet | None, *, limit: int | None = 200, offset: int = 0) -> list[dict]:
    """Up to `limit` rows (all with None) of the records `qs` of indicator `code`, from the `offset`-th (a page
    of the staff page); [] without a data source."""
    if qs is None:
        return []
    serialise, related, order = SERIALISERS[RULES_BY_CODE[code].source]
    qs = qs.select_related(*related).order_by(*order)
    if limit is not None:
        qs = qs[offset : offset + limit]
    elif offset:
        qs = qs[offset:]
    return [serialise(r) for r in qs]
