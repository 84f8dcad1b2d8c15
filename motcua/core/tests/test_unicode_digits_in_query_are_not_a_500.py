"""Found by QA. `str.isdigit()` is true for
digits int() cannot read ("²", "①"): `core.tenancy._lookup` guards `int(value)` with it, so `?agency=²` is a 500
on every page that takes ?agency= (review, periodic reports, the 766 history…); the catalogue API's
`?online_level=²` the same (catalog/api.py). Proposed fix: `value.isascii() and value.isdigit()`."""

import pytest

from motcua.dossiers.tests.factories import World

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", ["/cchc/ra-soat/", "/bao-cao/chi-so-766/lich-su/", "/bao-cao/dinh-ky/"])
def test_an_agency_given_as_a_superscript_digit_is_not_found_not_a_500(client, url):
    client.raise_request_exception = False
    client.force_login(World().boss)
    assert client.get(url, {"agency": "\u00b2"}).status_code in (400, 404)


def test_the_catalogue_api_answers_400_to_an_online_level_in_superscript(client):
    client.raise_request_exception = False
    assert client.get("/api/v1/procedures/", {"online_level": "\u00b2"}).status_code == 400
