"""The demo started by `make run` (DEBUG=1) signs with its throwaway keys without any extra variable; with DEBUG
off nothing is defaulted and signing refuses with a clear message."""

import io
import os
import subprocess
import sys

import pytest

from motcua.core import demo as core_demo
from motcua.core.errors import ValidationFailed
from motcua.documents import demo, selectors, signing
from motcua.documents.models import SigningIdentity
from motcua.documents.samples import one_page_pdf

PROBE = "import os, motcua.settings; print(os.environ.get('MOTCUA_DEMO_SIGNING_PASSPHRASE', '<unset>'))"


def _settings_env(**extra) -> str:
    env = {k: v for k, v in os.environ.items() if k not in {"MOTCUA_DEMO_SIGNING_PASSPHRASE", "DEBUG", "SECRET_KEY"}}
    env.update(extra)
    out = subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, check=True)
    return out.stdout.strip()


def test_make_run_settings_give_the_demo_keys_their_passphrase():
    assert _settings_env(DEBUG="1") == demo.DEMO_PASSPHRASE


def test_production_settings_default_no_signing_passphrase():
    assert _settings_env(DEBUG="0", SECRET_KEY="x" * 50) == "<unset>"


@pytest.mark.django_db
def test_the_seeded_demo_leader_signs_with_the_default_passphrase(monkeypatch, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    monkeypatch.setenv(demo.DEMO_PASSPHRASE_ENV, demo.DEMO_PASSPHRASE)  # what settings sets when DEBUG is on
    agency = core_demo.seed()
    demo._demo_pki(agency, io.StringIO())
    identity = SigningIdentity.objects.get(agency=agency, kind=SigningIdentity.Kind.PERSON)
    signer = signing.load_signer(identity.pkcs12_path, passphrase_env=identity.passphrase_env)
    [result] = signing.verify_pdf_bytes(signing.sign_pdf_bytes(one_page_pdf(), signer=signer))
    assert result.intact and result.valid

    monkeypatch.delenv(demo.DEMO_PASSPHRASE_ENV)  # DEBUG off: no default
    with pytest.raises(ValidationFailed, match=demo.DEMO_PASSPHRASE_ENV):
        selectors.identity_signer(identity)
