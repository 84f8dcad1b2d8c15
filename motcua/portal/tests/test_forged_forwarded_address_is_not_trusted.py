"""Behind one proxy (BEHIND_PROXY=1: nginx appends the address it saw to X-Forwarded-For) the client is the
rightmost entry. A client that writes its own X-Forwarded-For and changes it on every request still meets the
limits of its real address, and the audit log records the address the proxy gave, not the forged one."""

import pytest
from django.urls import reverse

from motcua.core.client import client_ip
from motcua.core.models import AuditLog

from .conftest import APPLICANT_POST

REAL = "203.0.113.7"  # what nginx saw and appended


def _forged(i: int) -> dict:
    return {"HTTP_X_FORWARDED_FOR": f"10.9.{i // 250}.{i % 250}, {REAL}", "REMOTE_ADDR": "127.0.0.1"}


@pytest.fixture
def one_proxy(settings):
    settings.TRUSTED_PROXY_HOPS = 1


def test_rotating_the_leftmost_entry_does_not_escape_the_lookup_limit(client, world, media, one_proxy):
    url = reverse("portal:lookup")
    statuses = [
        client.post(url, {"ma": f"H15.99-260101-{i:04d}", "xac_minh": "042095001234"}, **_forged(i)).status_code
        for i in range(15)
    ]
    assert statuses == [200] * 10 + [429] * 5


def test_rotating_the_leftmost_entry_does_not_escape_the_draft_limit(client, world, media, one_proxy, settings):
    settings.PORTAL_DRAFTS_PER_HOUR = 3
    url = reverse("portal:submit", args=[world.code])
    statuses = []
    for i in range(5):
        client.cookies.clear()  # a new draft each time
        statuses.append(client.post(url, {**APPLICANT_POST, "action": "save"}, **_forged(i)).status_code)
    assert statuses == [302, 302, 302, 429, 429]


def test_another_real_address_is_not_blocked(client, world, media, one_proxy):
    url = reverse("portal:lookup")
    for i in range(11):
        client.post(url, {"ma": f"H15.99-260101-{i:04d}", "xac_minh": "1"}, **_forged(i))
    other = {"HTTP_X_FORWARDED_FOR": f"{REAL}, 198.51.100.4", "REMOTE_ADDR": "127.0.0.1"}  # forged entry = the blocked one
    assert client.post(url, {"ma": "H15.99-260101-9999", "xac_minh": "1"}, **other).status_code == 200


def test_open311_audit_records_the_address_the_proxy_gave(client, world, one_proxy):
    response = client.post(
        "/open311/v2/requests.json",
        {"service_code": "procedure", "description": "Chờ quá lâu.", "email": "an@example.vn"},
        **_forged(1),
    )
    assert response.status_code == 201
    entry = AuditLog.objects.get(action="feedback.submit")
    assert entry.ip == REAL


def test_open311_limit_holds_with_a_rotating_leftmost_entry(client, world, one_proxy):
    statuses = [
        client.post(
            "/open311/v2/requests.json",
            {"service_code": "procedure", "description": f"Số {i}.", "email": "an@example.vn"},
            **_forged(i),
        ).status_code
        for i in range(32)
    ]
    assert statuses == [201] * 30 + [429] * 2


class _Request:
    def __init__(self, remote, forwarded=None):
        self.META = {"REMOTE_ADDR": remote}
        if forwarded is not None:
            self.META["HTTP_X_FORWARDED_FOR"] = forwarded


@pytest.mark.parametrize(
    ("hops", "remote", "forwarded", "expected"),
    [
        (0, "198.51.100.1", "1.2.3.4", "198.51.100.1"),  # no proxy: the header is the client's writing
        (1, "127.0.0.1", "1.2.3.4, 203.0.113.7", "203.0.113.7"),  # one proxy: the rightmost entry
        (2, "127.0.0.1", "1.2.3.4, 203.0.113.7, 10.0.0.2", "203.0.113.7"),  # two: second from the right
        (1, "127.0.0.1", "1.2.3.4, not-an-address", "127.0.0.1"),  # garbage from the proxy: the peer
        (1, "127.0.0.1", None, "127.0.0.1"),  # no header: the peer
        (2, "127.0.0.1", "203.0.113.7", "203.0.113.7"),  # fewer entries than proxies: the one there
        (1, "127.0.0.1", "2001:db8::1", "2001:db8::1"),
    ],
)
def test_client_address_follows_the_trusted_proxies(settings, hops, remote, forwarded, expected):
    settings.TRUSTED_PROXY_HOPS = hops
    assert client_ip(_Request(remote, forwarded)) == expected
