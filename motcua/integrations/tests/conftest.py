"""A fake national portal on a free port, and motcua pointed at it (NATIONAL_PORTAL_* settings)."""

import pytest

from motcua.integrations.fakes.national_portal import FakeNationalPortal


@pytest.fixture
def portal(settings):
    fake = FakeNationalPortal(port=0, client_id="motcua-test", client_secret="bi-mat-thu").start()
    settings.NATIONAL_PORTAL_URL = fake.url
    settings.NATIONAL_PORTAL_TOKEN_URL = ""
    settings.NATIONAL_PORTAL_CLIENT_ID = "motcua-test"
    settings.NATIONAL_PORTAL_CLIENT_SECRET = "bi-mat-thu"
    settings.NATIONAL_PORTAL_TIMEOUT = 3
    settings.INTEGRATION_BACKOFF_SECONDS = 0
    yield fake
    fake.stop()
