"""A signed-in citizen's online form is prefilled from the identity claims; the fields that came from the
provider are marked, read-only, and whatever is posted for them is replaced by the claims on the server.
The dossier is submitted as Applicant(via="oidc") and appears in "Hồ sơ của tôi". Anonymous submission
keeps working (motcua/portal/tests/test_online_submission.py)."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.urls import reverse

from motcua.core.models import AuditLog
from motcua.dossiers.models import Channel, Dossier
from motcua.notifications.defaults import ensure_default_templates
from motcua.portal.tests.conftest import APPLICANT_POST, World, pdf_upload

from .conftest import BINH, HOA, sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    ensure_default_templates()
    return World()


def _input(html: str, name: str) -> str:
    match = re.search(rf'<input[^>]*name="{name}"[^>]*>', html)
    assert match, name
    return match.group(0)


def test_the_form_is_prefilled_and_the_identity_fields_are_locked(client, provider, world):
    assert sign_in(client, provider, citizen=HOA).status_code == 302
    html = client.get(reverse("portal:submit", args=[world.code])).content.decode()
    assert 'id="identity-notice"' in html
    for name, value in [
        ("full_name", "Nguyễn Thị Hoa"),
        ("id_number", HOA),
        ("birth_date", "15/03/1990"),
        ("phone", "0912000111"),
        ("email", "hoa.nguyen@example.vn"),
    ]:
        tag = _input(html, name)
        assert f'value="{value}"' in tag and "readonly" in tag and 'data-identity="1"' in tag, tag
    assert "Thông tin từ Cổng định danh điện tử" in html
    assert 'value="organisation"' not in html  # a signed-in citizen submits as an individual
    assert "readonly" not in _input(html, "return_address")  # what the provider does not know stays editable


def test_posted_values_for_identity_fields_are_ignored(client, provider, world):
    assert sign_in(client, provider, citizen=HOA).status_code == 302
    forged = {
        **APPLICANT_POST,
        "full_name": "Kẻ Mạo Danh",
        "id_number": BINH,
        "birth_date": "01/01/1985",
        "email": "ke.mao.danh@example.vn",
        "applicant_kind": "organisation",
        "tax_code": "3001234567",
        "representative": "Ai Đó",
        "action": "submit",
        f"file_{world.c1.pk}": pdf_upload(),
        f"file_{world.c2.pk}": pdf_upload("bao-cao.pdf"),
    }
    response = client.post(reverse("portal:submit", args=[world.code]), forged)
    assert response.status_code == 302, response.content.decode()[:3000]
    dossier = Dossier.objects.get()
    assert dossier.channel == Channel.ONLINE
    assert dossier.applicant_kind == "individual"
    assert dossier.applicant_name == "Nguyễn Thị Hoa"
    assert dossier.applicant_id_number == HOA
    assert dossier.applicant_birth_date == date(1990, 3, 15)
    assert dossier.applicant_email == "hoa.nguyen@example.vn"
    assert dossier.applicant_address.startswith("Số 12 đường Phan Đình Phùng")
    receive = AuditLog.objects.filter(object_id=str(dossier.pk), action="dossier.receive").get()
    assert receive.actor_repr == "applicant:oidc"  # an identity-verified submission

    page = client.get("/tai-khoan/ho-so/").content.decode()
    assert dossier.code in page and "Trực tuyến" in page


def test_anonymous_visitors_get_an_empty_editable_form_with_a_sign_in_offer(client, provider, world):
    html = client.get(reverse("portal:submit", args=[world.code])).content.decode()
    assert "readonly" not in _input(html, "full_name")
    assert 'id="identity-offer"' in html and "/tai-khoan/dang-nhap/?next=" in html
