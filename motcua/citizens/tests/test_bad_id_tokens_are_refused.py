"""ID tokens that fail verification are refused with a clear Vietnamese message: no 500, nobody signed in,
no citizen recorded. The provider really issues each bad token (its /_misbehave switch), signed with its
real key, so only the relying party's checks stand between it and a session."""

from __future__ import annotations

import pytest

from motcua.citizens.models import Citizen
from motcua.portal.identity import SESSION_KEY

from .conftest import BINH, HOA, sign_in

pytestmark = pytest.mark.django_db

CASES = [
    ("wrong_nonce", "nonce sai"),
    ("wrong_audience", "được cấp cho một ứng dụng khác"),
    ("expired", "Thẻ định danh đã hết hạn"),
    ("unknown_key", "khóa không có trong danh sách khóa công khai"),
]


@pytest.mark.parametrize(("mode", "message"), CASES)
def test_a_bad_id_token_is_refused_without_a_session(client, provider, mode, message):
    response = sign_in(client, provider, citizen=HOA, misbehave=mode)
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert "Không đăng nhập được" in page
    assert SESSION_KEY not in client.session
    assert not Citizen.objects.exists()
    assert client.get("/tai-khoan/ho-so/").status_code == 302  # still not signed in


def test_a_refused_sign_in_signs_out_whoever_was_signed_in(client, provider):
    assert sign_in(client, provider, citizen=HOA).status_code == 302
    assert client.session[SESSION_KEY]["personal_id"] == HOA
    response = sign_in(client, provider, citizen=BINH, misbehave="wrong_nonce")
    assert response.status_code == 400
    assert SESSION_KEY not in client.session


def test_a_forged_callback_state_is_refused(client, provider):
    from .conftest import provider_redirect

    callback = provider_redirect(client, provider, citizen=HOA)
    forged = callback.replace("state=", "state=x")
    response = client.get(forged)
    assert response.status_code == 400
    assert "state" in response.content.decode()
    assert SESSION_KEY not in client.session


def test_an_unreachable_provider_is_a_502_with_an_explanation(client, provider):
    provider.stop()
    response = client.get("/tai-khoan/dang-nhap/")
    assert response.status_code == 502
    assert "Không kết nối được với Cổng định danh" in response.content.decode()
