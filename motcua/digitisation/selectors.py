"""Reads of digitisation: a file's OCR text and certified copy (for the store of papers and the pages), a
dossier's jobs (the staff dossier page's panel) and the staff full-text search inside dossiers."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from motcua.core.tenancy import scope_for
from motcua.core.text import search_text, search_words, words_q
from motcua.dossiers.models import Dossier, DossierFile

from .models import OcrJob, OcrPage


def job_of_file(file: DossierFile | int) -> OcrJob | None:
    """The OCR job of a dossier file (any status), or None (not a scan to digitise, or not found yet)."""
    file_id = file if isinstance(file, int) else file.pk
    return OcrJob.objects.filter(file_id=file_id).first()


def ocr_text_of_file(file: DossierFile | int) -> str | None:
    """The OCR text of a digitised file, pages separated by form feeds; None until its job is done."""
    job = job_of_file(file)
    if job is None or job.status != OcrJob.Status.DONE:
        return None
    return "\f".join(job.pages.order_by("number").values_list("text", flat=True))


def certified_copy_of_file(file: DossierFile | int) -> OcrJob | None:
    """The done job whose `output` is the PDF/A signed by the receiving agency's seal (a certified electronic copy
    of the paper); None when there is none (not done yet, or the agency has no seal configured)."""
    job = job_of_file(file)
    if job is None or job.status != OcrJob.Status.DONE or not job.certified:
        return None
    return job


@dataclass
class FileProgress:
    file: DossierFile
    job: OcrJob | None
    flagged: list[OcrPage]


def dossier_digitisation(dossier: Dossier) -> list[FileProgress]:
    """The dossier's scans to digitise with their job (None: not picked up by the worker yet) and flagged pages."""
    from .services import files_to_digitise

    files = list(files_to_digitise().filter(dossier=dossier).order_by("id"))
    jobs = {j.file_id: j for j in OcrJob.objects.filter(dossier=dossier)}
    flagged: dict[int, list[OcrPage]] = {}
    for page in OcrPage.objects.filter(job__dossier=dossier).exclude(flag="").order_by("number"):
        flagged.setdefault(page.job_id, []).append(page)
    return [FileProgress(file=f, job=jobs.get(f.pk), flagged=flagged.get(getattr(jobs.get(f.pk), "pk", None), [])) for f in files]


# ------------------------------------------------------------------ search inside dossiers


@dataclass
class Hit:
    dossier_code: str
    dossier_id: int
    file_id: int
    file_name: str
    page: int
    snippet: str


def snippet(text: str, words: list[str], *, around: int = 12) -> str:
    """The words of `text` around the first one that a query word starts (compared without diacritics)."""
    tokens = text.split()
    for index, token in enumerate(tokens):
        folded = search_text(token).split()
        if any(f.startswith(w) for f in folded for w in words):
            start = max(index - around, 0)
            return (
                ("… " if start else "")
                + " ".join(tokens[start : index + around + 1])
                + (" …" if index + around + 1 < len(tokens) else "")
            )
    return " ".join(tokens[: 2 * around])


def pages_matching(*, user, q: str) -> QuerySet[OcrPage]:
    """The OCR'd pages the user may read (the dossier's agency: core.tenancy) whose text holds every word of `q`,
    typed with or without diacritics (core.text.words_q, the catalogue search's rule; on PostgreSQL the GIN index
    of migration 0002). No words: nothing."""
    words = search_words(q)
    if not words:
        return OcrPage.objects.none()
    qs = OcrPage.objects.filter(job__status=OcrJob.Status.DONE)
    qs = scope_for(user).readable(qs, "job__agency")
    return (
        qs.filter(words_q(words, model=OcrPage))
        .select_related("job__dossier", "job__file")
        .order_by("-job__dossier__received_at", "job_id", "number")
    )


def dossier_text_search(*, user, q: str, limit: int = 100) -> list[Hit]:
    """At most `limit` pages matching `q` (pages_matching), each with the dossier, the file and a snippet."""
    words = search_words(q)
    return [
        Hit(
            dossier_code=p.job.dossier.code,
            dossier_id=p.job.dossier_id,
            file_id=p.job.file_id,
            file_name=p.job.file.original_name,
            page=p.number,
            snippet=snippet(p.text, words),
        )
        for p in pages_matching(user=user, q=q)[:limit]
    ]
