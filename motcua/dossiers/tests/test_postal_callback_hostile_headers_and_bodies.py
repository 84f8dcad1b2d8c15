"""Found by QA. The postal tracking callback must refuse a bad
timestamp with 401 and an unreadable body with 400 — never a 500: `signature_valid` takes `timestamp.isdigit()` as
proof that `int(timestamp)` works, but "²" is a digit to isdigit() and 5,000 digits exceed int()'s limit (both
ValueError, unsigned requests: anyone can cause the 500); a signed body nested 100,000 deep is a RecursionError
that the view's `except ValueError` does not catch."""

import time

import pytest

from motcua.dossiers import postal

URL = "/buu-chinh/theo-doi/"
SECRET = "qa-postal-secret"


@pytest.fixture
def signed(settings):
    settings.POSTAL_CALLBACK_SECRET = SECRET
    return settings


@pytest.mark.parametrize("stamp", ["\u00b2", "9" * 5000], ids=["superscript-two", "five-thousand-digits"])
def test_an_unreadable_timestamp_is_refused_401(client, db, signed, stamp):
    client.raise_request_exception = False
    answer = client.post(
        URL, data=b"{}", content_type="application/json", headers={"X-Postal-Timestamp": stamp, "X-Postal-Signature": "ab"}
    )
    assert answer.status_code == 401


def test_a_signed_deeply_nested_body_is_a_400(client, db, signed):
    client.raise_request_exception = False
    body = ("[" * 100_000 + "]" * 100_000).encode()
    stamp = str(int(time.time()))
    answer = client.post(
        URL,
        data=body,
        content_type="application/json",
        headers={"X-Postal-Timestamp": stamp, "X-Postal-Signature": postal.signature(SECRET, stamp, body)},
    )
    assert answer.status_code == 400
