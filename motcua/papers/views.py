"""Staff actions of the store of papers, posted from its panel on the staff dossier page: record the applicant's
consent, reuse a stored paper, keep a digitised file in the store. Thin: parse, call one service, go back to the
dossier page. Errors reach core's error page with their status (400, 403, 404, 409)."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from motcua.catalog.models import Component
from motcua.core.errors import NotFoundError
from motcua.core.permissions import role_required
from motcua.core.tenancy import ensure_can_act
from motcua.dossiers.models import Dossier, DossierFile

from . import services
from .forms import ReuseForm, StoreForm, cleaned
from .models import Paper


def _dossier(user, code: str) -> Dossier:
    """The dossier if the user may act for its agency (404 when they may not even read it)."""
    dossier = Dossier.objects.select_related("agency", "procedure_version").filter(code=code).first()
    if dossier is None:
        raise NotFoundError(_("Không tìm thấy hồ sơ."))
    ensure_can_act(user, dossier.agency_id)
    return dossier


def _back(code: str):
    return redirect(reverse("dossiers:detail", kwargs={"code": code}) + "#kho-giay-to")


@require_POST
@role_required(*services.STAFF_ROLES)
def consent(request, code: str):
    dossier = _dossier(request.user, code)
    services.consent_record(actor=request.user, dossier=dossier)
    messages.success(request, _("Đã ghi nhận người nộp đồng ý cho khai thác kho giấy tờ của mình cho hồ sơ này."))
    return _back(code)


@require_POST
@role_required(*services.STAFF_ROLES)
def reuse(request, code: str):
    dossier = _dossier(request.user, code)
    data = cleaned(ReuseForm(request.POST))
    paper = Paper.objects.filter(pk=data["paper"]).first()
    if paper is None:
        raise NotFoundError(_("Không tìm thấy giấy tờ trong kho của người nộp."))
    component = Component.objects.filter(pk=data["component"]).first() if data.get("component") else None
    services.paper_reuse(actor=request.user, dossier=dossier, paper=paper, component=component)
    messages.success(request, _("Đã dùng lại giấy tờ “%(name)s” cho hồ sơ.") % {"name": paper.name})
    return _back(code)


@require_POST
@role_required(*services.STAFF_ROLES)
def store(request, code: str):
    dossier = _dossier(request.user, code)
    data = cleaned(StoreForm(request.POST))
    row = DossierFile.objects.filter(pk=data["file"], dossier=dossier).first()
    if row is None:
        raise NotFoundError(_("Không tìm thấy tệp của hồ sơ."))
    paper = services.paper_store_dossier_file(
        actor=request.user,
        file=row,
        issuer=data.get("issuer") or "",
        valid_from=data.get("valid_from"),
        valid_until=data.get("valid_until"),
    )
    messages.success(request, _("Đã lưu “%(name)s” vào kho giấy tờ của người nộp.") % {"name": paper.name})
    return _back(code)
