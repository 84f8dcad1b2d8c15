"""The leader who types a decision on the national sync page and gets a date wrong sees the service's Vietnamese
message beside the date it is about, with what was typed kept, and nothing published (found walking the page in a
browser: the message read "Dữ liệu không hợp lệ.; Ngày hiệu lực …" above the form)."""

import pytest
from django.urls import reverse

from motcua.catalog.models import PublicationDecision
from motcua.catalog.national_procedure import national_procedure_diff
from motcua.core.roles import Role
from motcua.core.testing import make_staff
from motcua.core.transitions import SYSTEM
from motcua.integrations.tests.conftest import portal  # noqa: F401 - the fake national portal fixture

from .test_national_procedure_sync import CODE, _national

pytestmark = pytest.mark.django_db


def test_an_effective_date_before_the_signing_date_is_shown_beside_it_and_the_typing_is_kept(
    portal,  # noqa: F811
    client,
    agency,
    make_procedure,
):
    ours = make_procedure(code=CODE)
    portal.control(procedures=[_national(ThoiHanGiaiQuyet={"SoLuong": 14, "DonVi": "ngày làm việc"})])
    diff = national_procedure_diff(code=CODE, fetched_by=SYSTEM)
    client.force_login(make_staff("ld", Role.LEADER, unit=agency.units.first()))
    form = {
        "code": CODE,
        "fingerprint": diff.fingerprint,
        "number": "16/QĐ-UBND",
        "title": "Công bố thủ tục theo CSDL quốc gia",
        "signed_on": "2026-12-10",
        "effective_on": "2026-12-01",
        "sections": [c.key for c in diff.changes],
    }
    response = client.post(reverse("catalog:national-sync"), form)
    assert response.status_code == 400
    apply = response.context["apply"]
    assert apply.errors["effective_on"] == ["Ngày hiệu lực không được trước ngày ký."]
    assert not apply.non_field_errors()
    page = response.content.decode()
    assert ".;" not in page
    assert 'value="16/QĐ-UBND"' in page and 'value="Công bố thủ tục theo CSDL quốc gia"' in page
    assert not PublicationDecision.objects.filter(number="16/QĐ-UBND").exists()
    assert ours.procedure.versions.count() == 1
