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


# The other places that took str.isdigit() as proof int() would work (now core.validators.ascii_int).


def test_ascii_int_reads_only_ascii_digits_of_bounded_length():
    from motcua.core.validators import ascii_int

    assert [ascii_int(v) for v in ("42", " 7 ", "0")] == [42, 7, 0]
    assert [ascii_int(v) for v in ("\u00b2", "\u0663", "\uff13", "-1", "1.5", "", None, "9" * 19)] == [None] * 8
    assert ascii_int("123", max_digits=2) is None


def test_resending_an_outbox_message_given_as_a_superscript_digit_is_a_400(client):
    client.raise_request_exception = False
    client.force_login(World().boss)
    assert client.post("/staff/tich-hop/", {"message": "\u00b2"}).status_code == 400


def test_a_forward_to_a_unit_given_as_a_superscript_digit_is_a_field_error():
    from motcua.core.errors import ValidationFailed
    from motcua.dossiers import api
    from motcua.dossiers.machine import Action

    world = World()
    with pytest.raises(ValidationFailed) as refused:
        api.action_arguments(Action.FORWARD, {"to_unit": "\u00b2"}, world.agency.pk)
    assert "to_unit" in refused.value.fields


def test_a_publication_decision_given_as_a_superscript_digit_is_not_found():
    from motcua.catalog.selectors import decision_get
    from motcua.core.errors import NotFoundError

    with pytest.raises(NotFoundError):
        decision_get(pk="\u00b2", fetched_by=World().boss)
