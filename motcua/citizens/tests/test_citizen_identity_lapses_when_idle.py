"""A citizen may sign in on a shared computer: the identity lapses after CITIZEN_SESSION_IDLE_MINUTES without a
request and CITIZEN_SESSION_MAX_HOURS after signing in, whatever the session cookie's own lifetime."""

from __future__ import annotations

import pytest

from motcua.portal.identity import SESSION_KEY

from .conftest import HOA, sign_in

pytestmark = pytest.mark.django_db


def _age(client, **shift: float) -> None:
    session = client.session
    data = dict(session[SESSION_KEY])
    for key, seconds in shift.items():
        data[key] -= seconds
    session[SESSION_KEY] = data
    session.save()


def test_an_idle_identity_lapses(client, provider, settings):
    settings.CITIZEN_SESSION_IDLE_MINUTES = 30
    assert sign_in(client, provider, citizen=HOA).status_code == 302
    _age(client, _last_seen=29 * 60)
    assert client.get("/tai-khoan/ho-so/").status_code == 200  # still within the idle time, and seen again now
    _age(client, _last_seen=31 * 60)
    response = client.get("/tai-khoan/ho-so/")
    assert response.status_code == 302 and response["Location"].startswith("/tai-khoan/dang-nhap/")
    assert SESSION_KEY not in client.session


def test_an_identity_lapses_hours_after_signing_in_even_when_active(client, provider, settings):
    settings.CITIZEN_SESSION_MAX_HOURS = 8
    assert sign_in(client, provider, citizen=HOA).status_code == 302
    _age(client, _signed_in_at=8 * 3600 + 1)
    assert client.get("/tai-khoan/ho-so/").status_code == 302
    assert SESSION_KEY not in client.session
