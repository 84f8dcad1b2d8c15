"""`manage.py fake_oidc_provider` runs the test provider as its own process (for the demo): it serves the
discovery document and rotates its key on request, and refuses to start without a client secret."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parents[3]


def _env(**extra) -> dict:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "motcua.test_settings", **extra}
    env.pop("CITIZEN_OIDC_CLIENT_SECRET", None)
    return env


def test_the_command_serves_a_provider_on_a_free_port():
    process = subprocess.Popen(
        [sys.executable, "manage.py", "fake_oidc_provider", "--port", "0", "--client-id", "motcua", "--client-secret", "demo"],
        cwd=ROOT,
        env=_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        first = process.stdout.readline()
        assert "(issuer)" in first, first
        url = first.split(": ", 1)[1].split(" ")[0]
        doc = requests.get(url + "/.well-known/openid-configuration", timeout=10).json()
        assert doc["issuer"] == url and doc["code_challenge_methods_supported"] == ["S256"]
        old = requests.get(doc["jwks_uri"], timeout=10).json()["keys"][0]["kid"]
        new = requests.post(url + "/_rotate", timeout=10).json()["kid"]
        assert new != old
    finally:
        process.terminate()
        process.wait(timeout=20)


def test_the_command_needs_a_client_secret():
    done = subprocess.run(
        [sys.executable, "manage.py", "fake_oidc_provider", "--port", "0", "--client-id", "motcua"],
        cwd=ROOT,
        env=_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode != 0 and "client-secret" in done.stderr


@pytest.mark.django_db
def test_applicants_of_the_database_can_be_offered_as_test_citizens():
    from motcua.citizens.selectors import applicants_as_test_citizens
    from motcua.dossiers.tests.factories import APPLICANT, World, receive

    world = World()
    receive(world)
    receive(world)
    citizens = applicants_as_test_citizens(limit=5)
    assert citizens == [
        {
            "personal_id": APPLICANT["id_number"],
            "name": APPLICANT["full_name"],
            "address": {"formatted": APPLICANT["address"]},
            "phone_number": APPLICANT["phone"],
            "email": APPLICANT["email"],
            "email_verified": True,
        }
    ]
