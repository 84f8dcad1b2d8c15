"""Pages of the electronic results: the leader issues one from the dossier (staff), anyone verifies one by
the token of its QR code or by uploading a copy (public, no login). Thin: parse, call, render."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from motcua.core import ratelimit
from motcua.core.client import client_ip
from motcua.core.errors import ApplicationError, NotFoundError, PermissionDeniedError
from motcua.core.permissions import role_required
from motcua.core.roles import Role
from motcua.core.tenancy import ensure_can_read
from motcua.core.uploads import PDF, UploadRejected, max_upload_bytes, upload_check
from motcua.dossiers.models import Dossier

from . import selectors, services

STAFF = (Role.ONE_STOP_OFFICER, Role.SPECIALIST, Role.LEADER)
# Checking an uploaded copy validates its signatures (CPU): a visitor checks this many files per window.
UPLOAD_LIMIT = 30
UPLOAD_WINDOW = 600  # seconds


def _dossier_for(user, code: str) -> Dossier:
    """The dossier if the user may read its agency; anyone else gets 404 (its existence is not revealed)."""
    dossier = Dossier.objects.select_related("agency", "procedure_version").filter(code=code).first()
    if dossier is None:
        raise NotFoundError(_("Không tìm thấy hồ sơ."))
    ensure_can_read(user, dossier.agency_id)
    return dossier


@require_http_methods(["GET", "POST"])
@role_required(*STAFF)
def issue(request, code: str):
    dossier = _dossier_for(request.user, code)
    if request.method == "POST":
        try:
            services.result_issue(actor=request.user, dossier=dossier, source=request.FILES.get("source"))
        except PermissionDeniedError:
            raise
        except NotFoundError:
            raise
        except ApplicationError as exc:
            details = "; ".join(e for errs in exc.fields.values() for e in errs)
            messages.error(request, f"{exc.message} {details}".strip())
            status = exc.status_code
        else:
            messages.success(request, _("Đã phát hành kết quả điện tử."))
            return redirect("results:issue", code=code)
    else:
        status = 200
    context = {"dossier": dossier, "result": selectors.result_of_dossier(dossier), "max_size": max_upload_bytes()}
    return render(request, "results/issue.html", context, status=status)


@never_cache
def verify(request, token: str):
    result = selectors.result_by_token(token)
    if result is None:
        return render(request, "results/verify.html", {"report": None, "not_found": True}, status=404)
    return render(request, "results/verify.html", {"report": selectors.verify_stored(result)})


@never_cache
@require_http_methods(["GET", "POST"])
def verify_upload(request):
    if request.method == "GET":
        return render(request, "results/verify.html", {"report": None, "upload": True})
    if not ratelimit.take(scope="result-verify", ident=client_ip(request), limit=UPLOAD_LIMIT, window=UPLOAD_WINDOW):
        error = _("Ông/Bà đã gửi quá nhiều tệp để xác minh; vui lòng thử lại sau ít phút.")
        return render(request, "results/verify.html", {"report": None, "upload": True, "error": error}, status=429)
    upload = request.FILES.get("file")
    error = ""
    if upload is None:
        error = _("Vui lòng chọn tệp PDF kết quả cần xác minh.")
    else:
        try:
            upload_check(upload, types=(PDF,))
        except UploadRejected as exc:
            error = str(exc)
    if error:
        return render(request, "results/verify.html", {"report": None, "upload": True, "error": error}, status=400)
    upload.seek(0)
    report = selectors.verify_upload(upload.read())
    return render(request, "results/verify.html", {"report": report, "upload": True})
