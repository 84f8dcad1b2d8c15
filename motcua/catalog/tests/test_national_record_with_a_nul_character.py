"""A national procedure record holding a NUL character (PostgreSQL cannot store one) is an unusable answer of the
national database: the page says so (502) and nothing is published; never a 500."""

import pytest
from django.urls import reverse

from motcua.catalog.models import PublicationDecision
from motcua.core.roles import Role
from motcua.core.testing import make_staff
from motcua.integrations.tests.conftest import portal  # noqa: F401 - the fake national portal fixture

from .test_national_procedure_sync import CODE, _national

pytestmark = pytest.mark.django_db


def test_a_national_record_with_nul_is_refused_on_the_page_and_on_apply(portal, client, agency, make_procedure):  # noqa: F811
    ours = make_procedure(code=CODE)
    catalogue = next(e for e in portal.extensions if hasattr(e, "overrides"))
    catalogue.overrides[CODE] = _national(MaLinhVuc="D\x00T", TenTTHC="Thủ tục\x00 cấp giấy")  # control() refuses NUL
    client.force_login(make_staff("ld", Role.LEADER, unit=agency.units.first()))
    url = reverse("catalog:national-sync")

    page = client.get(url, {"ma": CODE})
    assert page.status_code == 502 and "ký tự NUL" in page.content.decode()
    applied = client.post(
        url,
        {"code": CODE, "fingerprint": "0" * 64, "number": "16/QĐ-UBND", "signed_on": "01/12/2026", "effective_on": "10/12/2026"},
    )
    assert applied.status_code == 502
    assert ours.procedure.versions.count() == 1 and not PublicationDecision.objects.filter(number="16/QĐ-UBND").exists()
