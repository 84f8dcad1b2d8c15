"""The dossier list's `from`/`to` outside 01/01/1900–31/12/2100, or a day that does not exist, answers 400
with the field named — `?from=9999-12-31` was a server error (the day after it overflowed)."""

import pytest
from rest_framework.authtoken.models import Token

from motcua.core.roles import Role
from motcua.core.testing import make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def auth():
    token = Token.objects.create(user=make_staff("list-officer", Role.ONE_STOP_OFFICER))
    return {"HTTP_AUTHORIZATION": f"Token {token.key}"}


@pytest.mark.parametrize("field", ["from", "to"])
@pytest.mark.parametrize("value", ["9999-12-31", "0001-01-01", "1899-12-31", "2101-01-01"])
def test_a_date_out_of_range_answers_400(client, auth, field, value):
    response = client.get("/api/v1/dossiers/", {field: value}, **auth)
    assert response.status_code == 400
    assert response.json()["fields"] == {field: ["Ngày phải từ 01/01/1900 đến 31/12/2100."]}


@pytest.mark.parametrize("value", ["2021-02-30", "2021-13-01", "31/12/2021", "x"])
def test_a_day_that_does_not_exist_answers_400(client, auth, value):
    response = client.get("/api/v1/dossiers/", {"from": value}, **auth)
    assert response.status_code == 400
    assert response.json()["fields"] == {"from": ["Ngày phải có dạng YYYY-MM-DD."]}


def test_dates_in_range_are_accepted(client, auth):
    response = client.get("/api/v1/dossiers/", {"from": "1900-01-01", "to": "2100-12-31"}, **auth)
    assert response.status_code == 200
    assert response.json()["count"] == 0
