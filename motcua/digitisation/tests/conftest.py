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


def canned_run(text: str = "Giấy chứng nhận đăng ký đầu tư của ông Nguyễn Văn Hưởng", pages: int = 1):
    """A stand-in for ocr.run_ocr where the test is about the job, not about OCR: a real PDF (so it can be signed)
    and pages with `text`, returned as the pipeline returns them."""
    from motcua.core.testing import pdf_bytes
    from motcua.digitisation.ocr import OcrOutcome, PageOutcome

    def run(data, *, content_type="application/pdf", progress=None, **kwargs):
        outcome = OcrOutcome(pdf=pdf_bytes(pages, text))
        for n in range(1, pages + 1):
            outcome.pages.append(PageOutcome(number=n, text=text, confidence=91.0, words=len(text.split()), ink=0.01, ocred=True))
            if progress:
                progress(n)
        return outcome

    return run
