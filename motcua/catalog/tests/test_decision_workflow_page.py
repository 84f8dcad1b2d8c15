"""The decision page: every staff member reads it; only leaders and administrators change it."""

from datetime import date

import pytest
from django.urls import reverse

from motcua.catalog.models import ProcedureVersion, PublicationDecision
from motcua.core.roles import Role
from motcua.core.testing import make_staff


@pytest.mark.django_db
def test_leader_creates_fills_and_applies_a_decision_and_a_second_apply_is_409(client, agency, make_procedure):
    current = make_procedure(code="2.001955", name="Đăng ký nội quy lao động của doanh nghiệp")
    specialist = make_staff("cv", Role.SPECIALIST, unit=agency.units.first())
    leader = make_staff("ld", Role.LEADER, unit=agency.units.first())

    client.force_login(specialist)
    assert client.get(reverse("catalog:decisions")).status_code == 200
    assert client.get(reverse("catalog:dashboard")).status_code == 200
    denied = client.post(
        reverse("catalog:decisions"), {"number": "1/QĐ-UBND", "signed_on": "2021-03-01", "effective_on": "2021-03-01"}
    )
    assert denied.status_code == 403 and not PublicationDecision.objects.filter(number="1/QĐ-UBND").exists()

    client.force_login(leader)
    response = client.post(
        reverse("catalog:decisions"),
        {"number": "1/QĐ-UBND", "signed_on": "2021-03-01", "effective_on": "2021-03-05", "title": "Công bố sửa đổi"},
    )
    decision = PublicationDecision.objects.get(number="1/QĐ-UBND")
    assert response.status_code == 302
    client.post(reverse("catalog:decision", args=[decision.pk]), {"action": "amended", "code": "2.001955"})
    draft = ProcedureVersion.objects.get(procedure=current.procedure, status="draft")
    assert decision.items.get().version == draft
    assert client.post(reverse("catalog:decision-apply", args=[decision.pk])).status_code == 302
    draft.refresh_from_db()
    assert draft.status == "in_force" and draft.valid_from == date(2021, 3, 5)
    assert client.post(reverse("catalog:decision-apply", args=[decision.pk])).status_code == 409
