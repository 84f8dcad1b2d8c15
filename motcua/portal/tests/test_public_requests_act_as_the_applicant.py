"""Every anonymous request of the public portal that changes a record acts as the applicant: the state
machine is asked for an Applicant (never SYSTEM, never nothing) and every audit entry it writes names an
applicant. Each portal URL is listed here as changing records or not: a new URL fails the walk until it
is, and a page listed as changing nothing is requested (GET and POST) to prove it writes no audit entry."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, reverse

from motcua.core.models import AuditLog
from motcua.core.transitions import SYSTEM, Applicant, StateMachine
from motcua.dossiers.models import Status
from motcua.dossiers.transitions import dossier_accept, dossier_decide, dossier_request_supplement, dossier_return_result
from motcua.feedback.models import CRITERIA
from motcua.portal import urls as portal_urls
from motcua.portal import views as portal_views
from motcua.portal.models import PortalDraft

from .conftest import APPLICANT_POST, PDF_BYTES, online_dossier, open_lookup, pdf_upload

# Each scenario prepares the world as staff or the system, then returns the public request to check.


def _submit(client, world):
    def request():
        response = client.post(
            reverse("portal:submit", args=[world.code]),
            {
                **APPLICANT_POST,
                "action": "submit",
                f"file_{world.c1.pk}": pdf_upload(),
                f"file_{world.c2.pk}": pdf_upload("bao-cao.pdf"),
            },
        )
        assert response.status_code == 302, response.content.decode()[:500]
        assert PortalDraft.objects.get().dossier_code

    return request


def _remove_draft_file(client, world):
    url = reverse("portal:submit", args=[world.code])
    client.post(url, {**APPLICANT_POST, f"file_{world.c1.pk}": pdf_upload()})
    row = PortalDraft.objects.get().files.get()

    def request():
        assert client.post(url, {**APPLICANT_POST, "remove": str(row.pk)}).status_code == 302
        assert not PortalDraft.objects.get().files.exists()

    return request


def _supplement(client, world):
    dossier = online_dossier(world)
    dossier_accept(dossier=dossier, actor=world.officer)
    dossier_request_supplement(dossier=dossier, actor=world.officer, items=["Báo cáo tài chính năm 2025"])
    open_lookup(client, dossier)

    def request():
        response = client.post(
            reverse("portal:supplement", args=[dossier.code]),
            {"note": "Gửi bổ sung", "files": [SimpleUploadedFile("bctc.pdf", PDF_BYTES)]},
        )
        assert response.status_code == 302, response.content.decode()[:500]
        dossier.refresh_from_db()
        assert dossier.status == Status.ACCEPTED

    return request


def _rate(client, world):
    dossier = online_dossier(world)
    dossier_accept(dossier=dossier, actor=world.officer)
    dossier_decide(dossier=dossier, actor=world.leader, outcome="approved", note="Đồng ý")
    dossier_return_result(dossier=dossier, actor=world.officer, delivery="online")
    open_lookup(client, dossier)

    def request():
        answers = {"overall": "hai_long", "comment": "Tận tình", **{name: "2" for name, _ in CRITERIA}}
        assert client.post(reverse("portal:rating", args=[dossier.code]), answers).status_code == 302

    return request


def _pay(client, world):
    from django.test import override_settings

    from motcua.dossiers.transitions import dossier_require_payment
    from motcua.payments.models import Payment

    dossier = online_dossier(world)
    dossier_accept(dossier=dossier, actor=world.officer)
    dossier_require_payment(dossier=dossier, actor=world.officer, amount_vnd=200000)
    open_lookup(client, dossier)

    def request():
        with override_settings(VNPAY_TMN_CODE="MOTCUA01", VNPAY_HASH_SECRET="test-only-secret"):  # noqa: S106
            response = client.get(reverse("portal:payment", args=[dossier.code]))
        assert response.status_code == 302 and "vnp_SecureHash=" in response["Location"]
        assert Payment.objects.get(dossier=dossier).status == Payment.Status.PENDING

    return request


def _withdraw(client, world):
    dossier = online_dossier(world)
    dossier_accept(dossier=dossier, actor=world.officer)
    open_lookup(client, dossier)

    def request():
        response = client.post(reverse("portal:withdraw", args=[dossier.code]), {"reason": "Nộp nhầm thủ tục"})
        assert response.status_code == 302, response.content.decode()[:500]
        dossier.refresh_from_db()
        assert dossier.status == Status.WITHDRAWN

    return request


CHANGES_RECORDS = {
    "submit": [_submit, _remove_draft_file],
    "supplement": [_supplement],
    "rating": [_rate],
    "payment": [_pay],
    "withdraw": [_withdraw],
}
# Reads, and the lookup's verification (it keeps the verified code in the session and counts attempts in
# the rate limiter, but changes no record).
CHANGES_NOTHING = {
    "home",
    "online-index",
    "draft-resume",
    "submitted",
    "lookup",
    "statistics",
    "lookup-detail",
    "result-download",
    "favicon.ico",
}


def _pattern_names() -> set[str]:
    return {p.name or str(p.pattern).rstrip("/") for p in portal_urls.urlpatterns if isinstance(p, URLPattern)}


def test_every_portal_url_is_listed_as_changing_records_or_not():
    assert _pattern_names() == set(CHANGES_RECORDS) | CHANGES_NOTHING


class Spy:
    """The actors the state machine is asked about, and the audit entries written, during one request."""

    def __init__(self, monkeypatch):
        self.actors = []
        ensure = StateMachine.ensure

        def spying(machine, name, state, actor):
            self.actors.append(actor)
            return ensure(machine, name, state, actor)

        monkeypatch.setattr(StateMachine, "ensure", spying)

    def run(self, request):
        self.actors.clear()
        newest = AuditLog.objects.order_by("-id").values_list("id", flat=True).first() or 0
        request()
        return list(AuditLog.objects.filter(id__gt=newest).order_by("id"))


def _assert_acts_as_an_applicant(entries, actors):
    assert entries, "the request changed a record without an audit entry"
    for entry in entries:
        assert entry.actor_id is None and entry.actor_repr.startswith("applicant:"), (entry.action, entry.actor_repr)
    assert all(isinstance(actor, Applicant) for actor in actors), actors


@pytest.mark.parametrize(
    "scenario", [s for scenarios in CHANGES_RECORDS.values() for s in scenarios], ids=lambda s: s.__name__.strip("_")
)
def test_a_public_request_that_changes_a_record_acts_as_the_applicant(
    scenario, client, world, media, templates_ready, monkeypatch
):
    spy = Spy(monkeypatch)
    request = scenario(client, world)
    entries = spy.run(request)
    _assert_acts_as_an_applicant(entries, spy.actors)


def test_the_check_fails_when_the_portal_acts_as_the_system(client, world, media, monkeypatch):
    """The test above would notice a portal view that passed SYSTEM (which skips the actor's checks)."""
    monkeypatch.setattr(portal_views, "DOSSIER_HOLDER", SYSTEM)
    spy = Spy(monkeypatch)
    entries = spy.run(_supplement(client, world))
    with pytest.raises(AssertionError):
        _assert_acts_as_an_applicant(entries, spy.actors)
    assert [a for a in spy.actors if a is SYSTEM]


def test_a_public_request_without_an_actor_fails_instead_of_skipping_the_checks(client, world, media, monkeypatch):
    monkeypatch.setattr(portal_views, "DOSSIER_HOLDER", None)
    request = _supplement(client, world)
    client.raise_request_exception = True
    with pytest.raises(TypeError):
        request()
    assert not AuditLog.objects.filter(action="dossier.receive_supplement").exists()


def _read_only_urls(world, client) -> list[str]:
    dossier = online_dossier(world)
    open_lookup(client, dossier)
    client.post(reverse("portal:submit", args=[world.code]), {**APPLICANT_POST, f"file_{world.c1.pk}": pdf_upload()})
    token = PortalDraft.objects.get().token
    args = {"draft-resume": [token], "submitted": [token], "lookup-detail": [dossier.code], "result-download": [dossier.code]}
    urls = [reverse(f"portal:{name}", args=args.get(name, [])) for name in CHANGES_NOTHING - {"favicon.ico"}]
    return [*urls, "/favicon.ico"]


def test_portal_pages_listed_as_changing_nothing_write_no_audit_entry(client, world, media, templates_ready):
    urls = _read_only_urls(world, client)
    newest = AuditLog.objects.order_by("-id").values_list("id", flat=True).first()
    for url in urls:
        for method in (client.get, client.post):
            assert method(url).status_code < 500, url
    assert list(AuditLog.objects.filter(id__gt=newest).values_list("action", flat=True)) == []
