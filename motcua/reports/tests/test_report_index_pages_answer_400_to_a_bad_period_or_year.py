"""Found by QA: the two report index pages redirect to a URL built from the
query string; a year or period that the URL pattern cannot hold is a NoReverseMatch, a 500. It should be a 400 with
the field's error (as /bao-cao/chi-so-766/lich-su/?year=-1 answers)."""

import pytest

from motcua.dossiers.tests.factories import World

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url,params",
    [
        ("/bao-cao/cchc/", {"year": "-1"}),
        ("/bao-cao/dinh-ky/", {"period": "01/12/2026"}),
        ("/bao-cao/dinh-ky/", {"period": "'\"<b>x</b>"}),
    ],
)
def test_a_year_or_period_the_url_cannot_hold_is_a_400_not_a_500(client, url, params):
    client.raise_request_exception = False
    world = World()
    client.force_login(world.leader)
    assert client.get(url, params).status_code == 400
