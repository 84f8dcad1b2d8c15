"""One staff search for dossiers, used by the dossier list page, the worklists and the API's `?q=`:
without diacritics ("tran thi binh" finds "Trần Thị Bình"), any part of the code ("261202" finds
H15.01-261202-0001), the applicant's numbers and the procedure's name. Every word typed must match."""

from __future__ import annotations

from django.db.models import Q

from motcua.core.text import normalize


def dossier_search_text(
    *,
    applicant_name: str = "",
    applicant_id_number: str = "",
    applicant_tax_code: str = "",
    applicant_representative: str = "",
    authorised_name: str = "",
    procedure_name: str = "",
    **_ignored,
) -> str:
    """The value of Dossier.search_text (the code is matched on its own column)."""
    parts = (applicant_name, applicant_id_number, applicant_tax_code, applicant_representative, authorised_name, procedure_name)
    return normalize(" ".join(p for p in parts if p))


def dossier_search_q(q: str | None, *, prefix: str = "") -> Q:
    """A filter matching dossiers (or rows whose `prefix` leads to one, e.g. "dossier__") for the
    text typed: each word in the code or in the search text."""
    condition = Q()
    for word in normalize(q).split():
        condition &= Q(**{f"{prefix}code__icontains": word}) | Q(**{f"{prefix}search_text__contains": word})
    return condition
