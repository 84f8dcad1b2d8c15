"""Fixtures of the digitisation tests: the three-page scan OCR'd once per session (the real pipeline: minutes of
CPU on a shared machine), agencies with their seal from the documents tests' throwaway PKI."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.core.transitions import SYSTEM
from motcua.documents import services as doc_services
from motcua.documents.tests.conftest import PASS_ENV_SEAL, pki, pki_env  # noqa: F401 - fixtures
from motcua.dossiers.tests.factories import World, receive

from .scans import three_page_scan


@pytest.fixture(scope="session")
def scan() -> bytes:
    return three_page_scan()


@pytest.fixture(scope="session")
def scan_outcome(scan):
    from motcua.digitisation.ocr import run_ocr

    return run_ocr(scan, content_type="application/pdf")


def with_seal(world: World, ca) -> World:
    doc_services.signing_identity_set(
        actor=SYSTEM,
        agency=world.agency,
        pkcs12_path=str(ca.seal_p12),
        passphrase_env=PASS_ENV_SEAL,
        display_name=world.agency.name,
    )
    return world


@pytest.fixture
def world(db, pki_env):  # noqa: F811 - the fixture
    return with_seal(World(), pki_env)


def received_with_scan(world: World, data: bytes, *, name: str = "giay-chung-nhan.pdf", digitised: bool = True):
    """A dossier received at the counter with one scanned paper (the desk's intake service)."""
    component = world.version.components.order_by("order").first()
    return receive(
        world, channel="counter", files=[{"file": SimpleUploadedFile(name, data), "component": component, "digitised": digitised}]
    )
