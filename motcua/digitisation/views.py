"""Staff pages of digitisation: the search inside dossiers' scanned papers, the digitised (certified) copy of a
paper, trying a failed job again. Thin: parse, call a selector or service, render. Another agency's staff: 404."""

from django.contrib import messages
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from motcua.core.errors import NotFoundError
from motcua.core.permissions import role_required
from motcua.core.tenancy import ensure_can_read
from motcua.dossiers.writes import dossier_record_access

from . import selectors, services
from .forms import SearchForm
from .models import OcrJob

STAFF = services.RETRY_ROLES


def _job_for(user, job_id: int) -> OcrJob:
    job = OcrJob.objects.select_related("dossier", "file").filter(pk=job_id).first()
    if job is None:
        raise NotFoundError(_("Không tìm thấy tệp số hoá."))
    ensure_can_read(user, job.agency_id)
    return job


@require_GET
@role_required(*STAFF)
def search(request):
    """Full text of the scanned papers of the dossiers the user may see, typed with or without diacritics."""
    form = SearchForm(request.GET or None)
    hits, status = [], 200
    if request.GET:
        if form.is_valid():
            hits = selectors.dossier_text_search(user=request.user, q=form.cleaned_data["q"])
        else:
            status = 400
    return render(request, "digitisation/search.html", {"form": form, "hits": hits}, status=status)


@require_GET
@role_required(*STAFF)
def certified_copy(request, job_id: int):
    """The digitised copy (PDF/A with its text layer, signed by the agency seal when certified). Opening it is
    logged as opening the dossier's file (Decree 13/2023), with the same headers as the original."""
    job = _job_for(request.user, job_id)
    if job.status != OcrJob.Status.DONE or not job.output:
        raise NotFoundError(_("Tệp chưa được số hoá xong."))
    dossier_record_access(dossier=job.dossier, actor=request.user, file=job.file)
    name = job.file.original_name.rsplit(".", 1)[0] + "-ban-so-hoa.pdf"
    response = FileResponse(job.output.open("rb"), content_type="application/pdf", filename=name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = (
        "sandbox; default-src 'none'; img-src 'self'; object-src 'self'; style-src 'unsafe-inline'"
    )
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response


@require_POST
@role_required(*STAFF)
def requeue(request, job_id: int):
    job = _job_for(request.user, job_id)
    services.ocr_job_requeue(actor=request.user, job=job)
    messages.success(request, _("Đã đưa tệp vào hàng đợi số hoá lại."))
    return redirect("dossiers:detail", code=job.dossier.code)
