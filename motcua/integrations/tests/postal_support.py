"""Shared by the postal tests: a fake postal operator on a free port with motcua pointed at it (POSTAL_*
settings), a dossier received by post for pickup, a decided dossier, and a signed callback posted to motcua."""

import pytest

from motcua.dossiers.tests.factories import World, receive
from motcua.dossiers.transitions import dossier_decide, dossier_forward
from motcua.integrations.fakes.postal import FakePostal

CALLBACK = "/buu-chinh/theo-doi/"
SECRET = "khoa-hmac-buu-chinh-thu"


@pytest.fixture
def postal(settings):
    fake = FakePostal(port=0, client_id="motcua-test", client_secret="bi-mat-buu-chinh", callback_secret=SECRET).start()
    settings.POSTAL_URL = fake.url
    settings.POSTAL_TOKEN_URL = ""
    settings.POSTAL_CLIENT_ID = "motcua-test"
    settings.POSTAL_CLIENT_SECRET = "bi-mat-buu-chinh"
    settings.POSTAL_TIMEOUT = 3
    settings.POSTAL_CALLBACK_SECRET = SECRET
    settings.INTEGRATION_BACKOFF_SECONDS = 0
    yield fake
    fake.stop()


def pickup(world: World, **kwargs):
    """A dossier received by post without a tracking number: the operator is to pick the papers up."""
    return receive(world, channel="postal", postal_tracking="", **kwargs)


def decided(world: World, **kwargs):
    """A counter dossier decided, its result to be returned."""
    d = receive(world, channel="counter", **kwargs)
    d = dossier_forward(dossier=d, actor=world.boss)
    return dossier_decide(dossier=d, actor=world.boss, outcome="approved")


def post_event(client, fake: FakePostal, order_code: str, status: int, *, note: str = "", event: dict | None = None):
    """Build the operator's event for the order, sign it as the operator does and post it to motcua."""
    event = event or fake.event(order_code, status, note=note)
    body, headers = fake.signed(event)
    response = client.post(CALLBACK, data=body, content_type="application/json", **_http(headers))
    return response, event


def post_signed(client, body: bytes, headers: dict):
    return client.post(CALLBACK, data=body, content_type="application/json", **_http(headers))


def _http(headers: dict) -> dict:
    return {"HTTP_" + k.upper().replace("-", "_"): v for k, v in headers.items() if k != "Content-Type"}
