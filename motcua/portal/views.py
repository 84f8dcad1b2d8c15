"""Pages of the public site: thin — parse input, call a service or selector, render."""

from __future__ import annotations

import os

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from motcua.catalog.selectors import procedure_search, procedure_version_in_force, procedure_versions_in_force
from motcua.core.errors import ApplicationError, ValidationFailed
from motcua.core.selectors import province_office
from motcua.core.storage import file_response
from motcua.core.transitions import Applicant
from motcua.core.validators import ascii_int
from motcua.dossiers import postal
from motcua.dossiers.models import Status
from motcua.dossiers.transitions import dossier_receive_supplement, dossier_withdraw
from motcua.feedback.models import CRITERIA, Overall
from motcua.feedback.selectors import rating_for_dossier
from motcua.feedback.services import rating_submit
from motcua.payments.selectors import payable_online, receipts_of_dossier
from motcua.payments.services import payment_start
from motcua.results.selectors import result_of_dossier

from . import identity, ratelimit, selectors, services
from .forms import LookupForm, SubmissionForm, SupplementForm, WithdrawForm, draft_data_from_post
from .uploads import ACCEPT_ATTR, ALLOWED_LABEL, max_file_bytes, max_files_per_component, upload_check

# Who acts on the public site: an applicant, never the system. The holder of a draft's token (the cookie,
# or the resume link) acts on that draft; a visitor who verified a dossier in the lookup (its code and the
# applicant's ID number, tax code or the receipt's secret) acts on that dossier; a citizen signed in with the
# identity provider (motcua.portal.identity) acts as Applicant(via="oidc") on the dossiers carrying their number.
DRAFT_HOLDER = Applicant(via="draft")
DOSSIER_HOLDER = Applicant(via="lookup")

VERIFIED_SESSION_KEY = "portal_verified_dossiers"
SECRET_SESSION_PREFIX = "portal_secret_"
DRAFT_COOKIE_PREFIX = "motcua_nhap_"
DRAFT_COOKIE_AGE = 30 * 24 * 3600


def _render(request, template: str, context: dict | None = None, status: int = 200):
    context = dict(context or {})
    context.setdefault("portal_agency", province_office())  # the province office, else the one agency
    return render(request, template, context, status=status)


# ----------------------------------------------------------------------------------------------- home


def home(request):
    today = timezone.localdate()
    in_force = procedure_versions_in_force(on=today)
    return _render(
        request,
        "portal/home.html",
        {
            "in_force_count": in_force.count(),
            "online_count": in_force.filter(channel_online=True).count(),
        },
    )


def online_index(request):
    q = (request.GET.get("q") or "").strip()[:200]
    versions = list(procedure_search(query=q, channel="online")[:200])
    return _render(request, "portal/online_index.html", {"versions": versions, "q": q})


# ----------------------------------------------------------------------------------- online submission


def _cookie_name(code: str) -> str:
    return DRAFT_COOKIE_PREFIX + code.replace(".", "_")


def _set_draft_cookie(response, draft) -> None:
    response.set_cookie(
        _cookie_name(draft.procedure_version.procedure.code),
        draft.token,
        max_age=DRAFT_COOKIE_AGE,
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )


def _current_draft(request, code: str):
    draft = selectors.draft_get(token=request.COOKIES.get(_cookie_name(code), ""))
    if draft is None or draft.is_submitted or draft.procedure_version.procedure.code != code:
        return None
    return draft


def _verify(request, code: str) -> None:
    codes = list(request.session.get(VERIFIED_SESSION_KEY, []))
    if code not in codes:
        codes = (codes + [code])[-20:]
    request.session[VERIFIED_SESSION_KEY] = codes
    request.session.cycle_key()  # a new session id once it grants access to personal data


def _is_verified(request, code: str) -> bool:
    return code in request.session.get(VERIFIED_SESSION_KEY, [])


def _submit_context(request, *, version, draft, form, component_errors=None, errors=None) -> dict:
    components = (
        selectors.draft_components(draft=draft) if draft is not None else [(c, []) for c in version.components.order_by("order")]
    )
    component_errors = component_errors or {}
    rows = [{"component": c, "files": files, "errors": component_errors.get(c.pk, [])} for c, files in components]
    summary = list(errors or [])
    for name, errs in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        for e in errs:
            summary.append({"anchor": f"id_{name}" if name in form.fields else "", "text": f"{label}: {e}" if label else e})
    for row in rows:
        for e in row["errors"]:
            summary.append({"anchor": f"file_{row['component'].pk}", "text": e})
    resume_url = request.build_absolute_uri(reverse("portal:draft-resume", args=[draft.token])) if draft is not None else ""
    return {
        "version": version,
        "draft": draft,
        "form": form,
        "rows": rows,
        "error_summary": summary,
        "resume_url": resume_url,
        "accept": ACCEPT_ATTR,
        "allowed_label": ALLOWED_LABEL,
        "max_size": max_file_bytes(),
        "max_files": max_files_per_component(),
    }


@never_cache
@require_http_methods(["GET", "POST"])
def submit(request, code: str):
    version = procedure_version_in_force(code=code, on=timezone.localdate())
    if not version.channel_online:
        return _render(request, "portal/not_online.html", {"version": version})
    draft = _current_draft(request, code)
    who = identity.identity_of(request)
    locked = identity.locked_fields(who)  # from the identity provider: shown, not editable, posted values ignored
    if request.method == "GET":
        form = SubmissionForm(initial=draft.data if draft is not None else {}, locked=locked)
        response = _render(request, "portal/submit.html", _submit_context(request, version=version, draft=draft, form=form))
        return response

    data = {**draft_data_from_post(request.POST), **locked}
    if draft is None:
        limit, window = ratelimit.draft_limit()
        if not ratelimit.take(scope="draft-ip", ident=ratelimit.client_ip(request), limit=limit, window=window):
            response = _render(request, "portal/too_many_drafts.html", status=429)
            response["Retry-After"] = str(ratelimit.retry_after(window))
            return response
        draft = services.portal_draft_create(actor=DRAFT_HOLDER, version=version, data=data)
    else:
        draft = services.portal_draft_save(draft=draft, data=data)
    uploads = {c.pk: request.FILES.getlist(f"file_{c.pk}") for c in version.components.all()}
    outcome = services.portal_draft_add_files(actor=DRAFT_HOLDER, draft=draft, uploads=uploads)
    component_errors = dict(outcome.errors)
    remove = request.POST.get("remove", "")
    if (file_id := ascii_int(remove)) is not None:
        services.portal_draft_remove_file(actor=DRAFT_HOLDER, draft=draft, file_id=file_id)
        messages.success(request, _("Đã xóa tệp khỏi hồ sơ nháp."))

    if request.POST.get("action") == "submit" and not remove:
        form = SubmissionForm(request.POST, locked=locked)
        valid = form.is_valid()
        for component in services.missing_components(draft):
            component_errors.setdefault(component.pk, []).append(
                f"Thành phần “{component.name[:80]}” là bắt buộc: vui lòng tải lên tệp."
            )
        if valid and not component_errors:
            try:
                dossier = services.portal_draft_submit(
                    actor=who.actor if who is not None else DRAFT_HOLDER,
                    draft=draft,
                    applicant=form.applicant(),
                    result_delivery=form.cleaned_data["result_delivery"],
                    return_address=form.cleaned_data.get("return_address", ""),
                    note=form.cleaned_data.get("note", ""),
                )
            except ValidationFailed as exc:
                for name, errs in exc.fields.items():
                    for e in errs:
                        form.add_error(name if name in form.fields else None, e)
                if not exc.fields:
                    form.add_error(None, exc.message)
            else:
                request.session[SECRET_SESSION_PREFIX + draft.token] = dossier.lookup_secret
                _verify(request, dossier.code)
                response = redirect("portal:submitted", token=draft.token)
                response.delete_cookie(_cookie_name(code), samesite="Lax")
                return response
        context = _submit_context(request, version=version, draft=draft, form=form, component_errors=component_errors)
        response = _render(request, "portal/submit.html", context, status=400)
    elif component_errors:
        form = SubmissionForm(initial=data, locked=locked)
        context = _submit_context(request, version=version, draft=draft, form=form, component_errors=component_errors)
        context["saved_with_errors"] = True
        response = _render(request, "portal/submit.html", context, status=400)
    else:
        if not remove:
            messages.success(request, _("Đã lưu hồ sơ nháp. Bạn có thể tiếp tục sau bằng đường dẫn bên dưới."))
        response = HttpResponseRedirect(reverse("portal:submit", args=[code]) + "#tep")
    _set_draft_cookie(response, draft)
    return response


@never_cache
def draft_resume(request, token: str):
    draft = selectors.draft_get(token=token)
    if draft is None:
        return _render(request, "portal/draft_missing.html", status=404)
    if draft.is_submitted:
        messages.info(request, _("Hồ sơ nháp này đã được nộp với mã hồ sơ %(code)s.") % {"code": draft.dossier_code})
        return redirect(reverse("portal:lookup") + f"?ma={draft.dossier_code}")
    response = redirect("portal:submit", code=draft.procedure_version.procedure.code)
    _set_draft_cookie(response, draft)
    return response


@never_cache
def submitted(request, token: str):
    draft = selectors.draft_get(token=token)
    if draft is None or not draft.is_submitted:
        raise Http404
    secret = request.session.get(SECRET_SESSION_PREFIX + token, "")
    dossier = selectors.dossier_get(code=draft.dossier_code)
    files = list(dossier.files.select_related("component").order_by("id")) if dossier else []
    return _render(request, "portal/submitted.html", {"draft": draft, "dossier": dossier, "secret": secret, "files": files})


# ------------------------------------------------------------------------------------------- lookup


def _too_many(request):
    limit, window = ratelimit.lookup_limit()
    response = _render(request, "portal/too_many.html", {"minutes": max(window // 60, 1)}, status=429)
    response["Retry-After"] = str(ratelimit.retry_after(window))
    return response


@never_cache
@require_http_methods(["GET", "POST"])
def lookup(request):
    limit, window = ratelimit.lookup_limit()
    ip = ratelimit.client_ip(request)
    if request.method == "GET":
        form = LookupForm(initial={"ma": (request.GET.get("ma") or "").strip()[:64]})
        return _render(request, "portal/lookup.html", {"form": form})
    # Every attempt takes a place first (atomic, shared by all server processes) and a successful one gives it
    # back: concurrent guesses cannot get more than `limit` failed answers.
    if not ratelimit.take(scope="lookup-ip", ident=ip, limit=limit, window=window):
        return _too_many(request)
    form = LookupForm(request.POST)
    dossier = None
    code = (request.POST.get("ma") or "").strip().upper()[:64]
    if code and not ratelimit.take(scope="lookup-code", ident=code, limit=limit, window=window):
        ratelimit.give_back(scope="lookup-ip", ident=ip, window=window)
        return _too_many(request)
    if form.is_valid():
        dossier = selectors.dossier_lookup(code=code, proof=form.cleaned_data["xac_minh"])
    if dossier is not None:
        ratelimit.give_back(scope="lookup-ip", ident=ip, window=window)
        ratelimit.give_back(scope="lookup-code", ident=code, window=window)
        _verify(request, dossier.code)
        return redirect("portal:lookup-detail", code=dossier.code)
    # One answer for an unknown code and for a wrong ID number: nothing tells them apart.
    form = LookupForm(initial={"ma": code})
    return _render(request, "portal/lookup.html", {"form": form, "not_found": True}, status=200)


def _verified_dossier(request, code: str):
    if _is_verified(request, code):
        return selectors.dossier_get(code=code)
    return _citizen_dossier(request, code)


def _citizen_dossier(request, code: str):
    """The dossier when the signed-in citizen's personal number is its applicant's (any channel, the counter too)."""
    who = identity.identity_of(request)
    if who is None:
        return None
    dossier = selectors.dossier_get(code=code)
    if dossier is None or not dossier.applicant_id_number or dossier.applicant_id_number != who.personal_id:
        return None
    return dossier


def _holder(request, code: str) -> Applicant:
    """Who acts on a dossier reached through _verified_dossier: the signed-in citizen whose number it carries
    (via "oidc"), else the visitor who proved it in the lookup (via "lookup")."""
    if not _is_verified(request, code) and _citizen_dossier(request, code) is not None:
        return identity.identity_of(request).actor
    return DOSSIER_HOLDER


@never_cache
def lookup_detail(request, code: str):
    dossier = _verified_dossier(request, code)
    if dossier is None:
        return redirect(reverse("portal:lookup") + f"?ma={code}")
    view = selectors.dossier_public_view(dossier=dossier)
    rating = _rating_state(dossier)
    return _render(
        request,
        "portal/lookup_detail.html",
        {
            "d": view,
            "supplement_form": SupplementForm(),
            "withdraw_form": WithdrawForm(),
            "accept": ACCEPT_ATTR,
            "allowed_label": ALLOWED_LABEL,
            "max_size": max_file_bytes(),
            "rating": rating,
            "payable_vnd": payable_online(dossier),
            "receipts": receipts_of_dossier(dossier=dossier),
            "electronic_result": result_of_dossier(dossier) if dossier.status in (Status.DECIDED, Status.RETURNED) else None,
            "postal_orders": postal.orders_of(dossier),  # tracking codes of the pickup / the delivery by post
        },
    )


@never_cache
@require_GET
def payment(request, code: str):
    """Pay the dossier's fee online: a new payment at the gateway, then off to its payment page. A link, not a
    form: the gateway is another origin, which the pages' CSP (form-action 'self') keeps forms from reaching."""
    dossier = _verified_dossier(request, code)
    if dossier is None:
        return redirect(reverse("portal:lookup") + f"?ma={code}")
    ip = ratelimit.client_ip(request)
    try:
        _payment, url = payment_start(dossier=dossier, actor=_holder(request, code), client_ip="" if ip == "unknown" else ip)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("portal:lookup-detail", code=code)
    return HttpResponseRedirect(url)


@never_cache
@require_POST
def supplement(request, code: str):
    dossier = _verified_dossier(request, code)
    if dossier is None:
        return redirect(reverse("portal:lookup") + f"?ma={code}")
    form = SupplementForm(request.POST)
    errors: list[str] = []
    files = []
    for upload in request.FILES.getlist("files")[: max_files_per_component() * 2]:
        try:
            upload_check(upload)
        except ValueError as exc:
            errors.append(str(exc))
        else:
            files.append({"file": upload, "component": None})
    if not files and not errors:
        errors.append(_("Vui lòng chọn ít nhất một tệp bổ sung."))
    if form.is_valid() and files and not errors:
        try:
            dossier_receive_supplement(dossier=dossier, actor=_holder(request, code), files=files, note=form.cleaned_data["note"])
        except ApplicationError as exc:
            errors.append(exc.message)
        else:
            messages.success(request, _("Đã nhận hồ sơ bổ sung. Thời gian giải quyết được tính tiếp từ bây giờ."))
            return redirect("portal:lookup-detail", code=code)
    view = selectors.dossier_public_view(dossier=dossier)
    return _render(
        request,
        "portal/lookup_detail.html",
        {
            "d": view,
            "supplement_form": form,
            "supplement_errors": errors,
            "withdraw_form": WithdrawForm(),
            "accept": ACCEPT_ATTR,
            "allowed_label": ALLOWED_LABEL,
            "max_size": max_file_bytes(),
            "rating": _rating_state(dossier),
        },
        status=400,
    )


def _local_next(request, value: str) -> str:
    """A page of this site to go back to ("Hồ sơ của tôi"), else ""."""
    value = (value or "").strip()
    if value.startswith("/") and url_has_allowed_host_and_scheme(value, allowed_hosts={request.get_host()}):
        return value
    return ""


@never_cache
@require_POST
def withdraw(request, code: str):
    """The applicant withdraws a dossier that has no decision yet, stating why. Only for a visitor who verified the
    dossier in the lookup, or the signed-in citizen whose number it carries: anyone else gets 404 (nothing says
    whether the dossier exists). A dossier decided, returned or closed: 409."""
    dossier = _verified_dossier(request, code)
    if dossier is None:
        return _render(request, "portal/withdraw_unavailable.html", {"code": code}, status=404)
    form = WithdrawForm(request.POST)
    status = 400
    if form.is_valid():
        try:
            dossier_withdraw(dossier=dossier, actor=_holder(request, code), reason=form.cleaned_data["reason"])
        except ValidationFailed as exc:
            for name, errs in exc.fields.items():
                for e in errs:
                    form.add_error(name if name in form.fields else None, e)
            if not exc.fields:
                form.add_error(None, exc.message)
        except ApplicationError as exc:
            form.add_error(None, exc.message)
            status = exc.status_code
        else:
            messages.success(request, _("Đã rút hồ sơ %(code)s. Cơ quan dừng giải quyết hồ sơ này.") % {"code": code})
            return redirect(
                _local_next(request, form.cleaned_data.get("next", "")) or reverse("portal:lookup-detail", args=[code])
            )
    dossier.refresh_from_db()
    return _render(
        request,
        "portal/lookup_detail.html",
        {
            "d": selectors.dossier_public_view(dossier=dossier),
            "supplement_form": SupplementForm(),
            "withdraw_form": form,
            "accept": ACCEPT_ATTR,
            "allowed_label": ALLOWED_LABEL,
            "max_size": max_file_bytes(),
            "rating": _rating_state(dossier),
            "payable_vnd": payable_online(dossier),
            "receipts": receipts_of_dossier(dossier=dossier),
        },
        status=status,
    )


@never_cache
def result_download(request, code: str):
    """The electronic result, for a visitor who verified the dossier in the lookup. Anyone else (or a dossier
    without a result yet) gets a page explaining how to look it up, status 404 (it says nothing about
    whether the dossier exists unless the visitor has verified it)."""
    dossier = _verified_dossier(request, code)
    signed = result_of_dossier(dossier) if dossier is not None and dossier.status in (Status.DECIDED, Status.RETURNED) else None
    if signed is not None:  # the electronic result (motcua.results): numbered, QR-stamped, signed by leader and seal
        name = f"{dossier.code}-ket-qua-dien-tu.pdf"
        return file_response(signed.file, filename=name, content_type="application/pdf")
    if dossier is None or not dossier.result_file or dossier.status not in (Status.DECIDED, Status.RETURNED):
        return _render(request, "portal/result_unavailable.html", {"code": code, "verified": dossier is not None}, status=404)
    ext = os.path.splitext(dossier.result_file.name)[1]
    return file_response(dossier.result_file, filename=f"{dossier.code}-ket-qua{ext}")


# ------------------------------------------------------------------------------------------- rating


def _rating_state(dossier) -> dict:
    """{"open": may rate now, "done": already rated} (the rating itself lives in the feedback app)."""
    done = rating_for_dossier(dossier=dossier) is not None
    return {"open": not done and dossier.status == Status.RETURNED and dossier.returned_at is not None, "done": done}


SCORE_CHOICES = [
    ("2", gettext_lazy("Tốt — 2 điểm")),
    ("1", gettext_lazy("Trung bình — 1 điểm")),
    ("0", gettext_lazy("Chưa tốt — 0 điểm")),
]


@never_cache
@require_http_methods(["GET", "POST"])
def rating(request, code: str):
    dossier = _verified_dossier(request, code)
    if dossier is None:
        return redirect(reverse("portal:lookup") + f"?ma={code}")
    state = _rating_state(dossier)
    if state["done"]:
        messages.info(request, _("Hồ sơ này đã được đánh giá; mỗi hồ sơ chỉ đánh giá một lần."))
        return redirect("portal:lookup-detail", code=code)
    if not state["open"]:
        messages.info(request, _("Chỉ đánh giá được sau khi hồ sơ đã trả kết quả."))
        return redirect("portal:lookup-detail", code=code)
    errors: dict[str, list[str]] = {}
    chosen = {"overall": "", "comment": "", **{name: "" for name, _ in CRITERIA}}
    status = 200
    if request.method == "POST":
        chosen = {key: (request.POST.get(key) or "").strip()[:4000] for key in chosen}
        try:
            rating_submit(
                dossier=dossier,
                actor=_holder(request, code),
                overall=chosen["overall"],
                comment=chosen["comment"],
                criteria={name: chosen[name] for name, _ in CRITERIA},
            )
        except ValidationFailed as exc:
            errors = exc.fields
            status = 400
        except ApplicationError as exc:
            messages.info(request, exc.message)
            return redirect("portal:lookup-detail", code=code)
        else:
            messages.success(request, _("Cảm ơn Ông/Bà đã đánh giá. Ý kiến được dùng để cải thiện chất lượng phục vụ."))
            return redirect("portal:lookup-detail", code=code)
    criteria = [{"name": name, "label": label, "value": chosen[name], "errors": errors.get(name, [])} for name, label in CRITERIA]
    return _render(
        request,
        "portal/rating.html",
        {
            "code": code,
            "procedure_name": dossier.procedure_version.name,
            "overall_choices": Overall.choices,
            "chosen": chosen,
            "criteria": criteria,
            "score_choices": SCORE_CHOICES,
            "errors": errors,
            "error_count": sum(len(v) for v in errors.values()),
        },
        status=status,
    )
