""" "Hồ sơ của tôi" offers the withdrawal of a dossier without a decision (a POST form with a reason, to the portal's
withdrawal); the signed-in citizen withdraws a counter dossier carrying their number, audited as applicant:oidc, and
comes back to the list. Another signed-in citizen cannot withdraw it (404), and a decided dossier offers no form."""

from __future__ import annotations

import pytest
from django.urls import reverse

from motcua.core.models import AuditLog
from motcua.dossiers.models import Status
from motcua.dossiers.tests.factories import APPLICANT, World, receive
from motcua.dossiers.transitions import dossier_decide

from .conftest import BINH, sign_in

pytestmark = pytest.mark.django_db


def test_the_citizen_withdraws_a_counter_dossier_from_my_dossiers(client, provider):
    world = World()
    dossier = receive(world)  # received at the counter for APPLICANT
    decided = receive(world)
    dossier_decide(dossier=decided, actor=world.leader, outcome="approved", note="Đồng ý")
    provider.state.citizens.append({"personal_id": APPLICANT["id_number"], "name": APPLICANT["full_name"]})
    assert sign_in(client, provider, citizen=APPLICANT["id_number"]).status_code == 302

    page = client.get("/tai-khoan/ho-so/").content.decode()
    withdraw = reverse("portal:withdraw", args=[dossier.code])
    assert f'action="{withdraw}"' in page
    assert f'action="{reverse("portal:withdraw", args=[decided.code])}"' not in page

    response = client.post(withdraw, {"reason": "Không còn nhu cầu", "next": "/tai-khoan/ho-so/"})
    assert response.status_code == 302 and response["Location"] == "/tai-khoan/ho-so/"
    dossier.refresh_from_db()
    assert dossier.status == Status.WITHDRAWN
    entry = AuditLog.objects.get(action="dossier.withdraw", object_id=str(dossier.pk))
    assert (entry.actor_id, entry.actor_repr) == (None, "applicant:oidc")
    assert f'action="{withdraw}"' not in client.get("/tai-khoan/ho-so/").content.decode()


def test_another_citizen_cannot_withdraw_it(client, provider):
    dossier = receive(World())
    assert sign_in(client, provider, citizen=BINH).status_code == 302
    count = AuditLog.objects.count()
    response = client.post(reverse("portal:withdraw", args=[dossier.code]), {"reason": "Thử rút hồ sơ người khác"})
    assert response.status_code == 404
    dossier.refresh_from_db()
    assert dossier.status == Status.ACCEPTED  # received at the counter
    assert AuditLog.objects.count() == count


def test_next_leads_only_to_this_site(client, provider):
    dossier = receive(World())
    provider.state.citizens.append({"personal_id": APPLICANT["id_number"], "name": APPLICANT["full_name"]})
    sign_in(client, provider, citizen=APPLICANT["id_number"])
    response = client.post(
        reverse("portal:withdraw", args=[dossier.code]), {"reason": "Không còn nhu cầu", "next": "https://evil.example/"}
    )
    assert response.status_code == 302 and response["Location"] == reverse("portal:lookup-detail", args=[dossier.code])
