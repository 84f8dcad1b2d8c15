"""The applicant withdraws a dossier online (issue 18 item 2): from the lookup page after verifying it, with a reason,
while it has no decision; the dossier ends "withdrawn", the audit log names the applicant, the applicant is told.
A visitor who has not verified that dossier gets 404, a decided dossier 409, a missing reason 400; nothing changes
then. Another agency's dossiers and staff are untouched, and that agency's staff cannot withdraw the first's."""

from __future__ import annotations

import pytest
from django.urls import reverse

from motcua.core.errors import PermissionDeniedError
from motcua.core.models import AuditLog
from motcua.dossiers.models import Dossier, Status
from motcua.dossiers.transitions import dossier_accept, dossier_decide, dossier_withdraw
from motcua.notifications.models import Message

from .conftest import World, online_dossier, open_lookup

pytestmark = pytest.mark.django_db


def _withdraw(client, dossier, reason="Nộp nhầm thủ tục, sẽ nộp lại"):
    return client.post(reverse("portal:withdraw", args=[dossier.code]), {"reason": reason})


def test_the_verified_applicant_withdraws_and_the_log_names_the_applicant(client, world, media, templates_ready):
    dossier = online_dossier(world)
    dossier_accept(dossier=dossier, actor=world.officer)
    open_lookup(client, dossier)
    page = client.get(reverse("portal:lookup-detail", args=[dossier.code])).content.decode()
    assert reverse("portal:withdraw", args=[dossier.code]) in page and 'name="csrfmiddlewaretoken"' in page

    response = _withdraw(client, dossier)
    assert response.status_code == 302 and response["Location"] == reverse("portal:lookup-detail", args=[dossier.code])
    dossier.refresh_from_db()
    assert (dossier.status, dossier.outcome_note) == (Status.WITHDRAWN, "Nộp nhầm thủ tục, sẽ nộp lại")
    entry = AuditLog.objects.filter(action="dossier.withdraw", object_id=str(dossier.pk)).get()
    assert (entry.actor_id, entry.actor_repr) == (None, "applicant:lookup")
    assert Message.objects.filter(template_code="dossier_withdrawn", object_id=str(dossier.pk)).exists()
    page = client.get(response["Location"]).content.decode()
    assert "Công dân rút hồ sơ" in page and "Nộp nhầm thủ tục, sẽ nộp lại" in page
    assert reverse("portal:withdraw", args=[dossier.code]) not in page  # nothing left to withdraw


def test_the_csrf_token_is_required(world, media, templates_ready):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    dossier = online_dossier(world)
    open_lookup_response = client.get(reverse("portal:lookup"))
    token = open_lookup_response.cookies["csrftoken"].value
    client.post(reverse("portal:lookup"), {"ma": dossier.code, "xac_minh": "042190007777", "csrfmiddlewaretoken": token})
    assert _withdraw(client, dossier).status_code == 403
    dossier.refresh_from_db()
    assert dossier.status == Status.SUBMITTED


def test_a_visitor_who_did_not_verify_the_dossier_gets_404_and_nothing_changes(client, world, media, templates_ready):
    dossier = online_dossier(world)
    other = online_dossier(world)
    count = AuditLog.objects.count()
    assert _withdraw(client, dossier).status_code == 404  # nothing verified
    open_lookup(client, other)  # verified another dossier (same applicant even): not this one
    assert _withdraw(client, dossier).status_code == 404
    dossier.refresh_from_db()
    assert dossier.status == Status.SUBMITTED and AuditLog.objects.count() == count


def test_without_a_reason_400_and_nothing_changes(client, world, media, templates_ready):
    dossier = online_dossier(world)
    open_lookup(client, dossier)
    count = AuditLog.objects.count()
    response = _withdraw(client, dossier, reason="   ")
    assert response.status_code == 400
    assert "Vui lòng nêu lý do rút hồ sơ." in response.content.decode()
    dossier.refresh_from_db()
    assert dossier.status == Status.SUBMITTED and AuditLog.objects.count() == count


def test_a_decided_dossier_cannot_be_withdrawn_409(client, world, media, templates_ready):
    dossier = online_dossier(world)
    dossier_accept(dossier=dossier, actor=world.officer)
    dossier_decide(dossier=dossier, actor=world.leader, outcome="approved", note="Đồng ý")
    open_lookup(client, dossier)
    page = client.get(reverse("portal:lookup-detail", args=[dossier.code])).content.decode()
    assert reverse("portal:withdraw", args=[dossier.code]) not in page
    count = AuditLog.objects.count()
    response = _withdraw(client, dossier)
    assert response.status_code == 409
    assert "Không thể “Rút hồ sơ (theo đề nghị)”" in response.content.decode()
    dossier.refresh_from_db()
    assert dossier.status == Status.DECIDED and AuditLog.objects.count() == count


def test_a_second_agency_is_untouched_and_its_staff_cannot_withdraw_the_first_agencys(client, world, media, templates_ready):
    second = World()
    mine = online_dossier(world)
    theirs = online_dossier(second)  # the same applicant, at another agency
    open_lookup(client, mine)
    assert _withdraw(client, mine).status_code == 302
    theirs.refresh_from_db()
    assert theirs.status == Status.SUBMITTED

    kept = online_dossier(world)
    with pytest.raises(PermissionDeniedError):
        dossier_withdraw(dossier=kept, actor=second.officer, reason="Theo đề nghị")
    assert Dossier.objects.get(pk=kept.pk).status == Status.SUBMITTED
    client.force_login(second.officer)
    response = client.post(
        f"/api/v1/dossiers/{kept.code}/actions/withdraw/", {"reason": "Theo đề nghị"}, content_type="application/json"
    )
    assert response.status_code == 404
    assert Dossier.objects.get(pk=kept.pk).status == Status.SUBMITTED
