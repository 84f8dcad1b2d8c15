"""The digitisation pipeline's certified copy of a scanned paper (signed by the receiving agency's seal) joins the
applicant's store: the copy itself, by reference, with the component it was received as. OCR is replaced by a
stand-in here (the pipeline's own tests run Tesseract); the seal signs for real."""

import pytest

from motcua.core.transitions import SYSTEM
from motcua.digitisation import services as digitisation
from motcua.digitisation.models import OcrJob
from motcua.digitisation.ocr import OcrOutcome, PageOutcome
from motcua.documents import services as doc_services
from motcua.documents.tests.conftest import PASS_ENV_SEAL, pki, pki_env  # noqa: F401 - fixtures
from motcua.papers.models import Paper, Source

from .conftest import receive_with_scan, scanned_file

pytestmark = pytest.mark.django_db


def canned_ocr(data, *, content_type="application/pdf", progress=None, **kwargs):
    outcome = OcrOutcome(pdf=data)
    outcome.pages.append(PageOutcome(number=1, text="Giấy chứng nhận", confidence=90.0, words=3, ink=0.02, ocred=True))
    return outcome


def test_the_certified_copy_is_stored_for_the_applicant(world, pki_env, monkeypatch):  # noqa: F811 - the fixture
    doc_services.signing_identity_set(
        actor=SYSTEM,
        agency=world.agency,
        pkcs12_path=str(pki_env.seal_p12),
        passphrase_env=PASS_ENV_SEAL,
        display_name="Con dấu BQL",
    )
    monkeypatch.setattr(digitisation, "run_ocr", canned_ocr)
    dossier = receive_with_scan(world)
    scanned = scanned_file(dossier)
    counts = digitisation.ocr_run_due(limit=1)
    assert counts["done"] == 1
    job = OcrJob.objects.get(file=scanned)
    assert job.certified
    paper = Paper.objects.get(source=Source.CERTIFIED_COPY)
    assert (paper.file.name, paper.sha256) == (job.output.name, job.output_sha256)
    assert (paper.holder_number, paper.dossier, paper.dossier_file, paper.component) == (
        dossier.applicant_id_number,
        dossier,
        scanned,
        scanned.component,
    )
    assert paper.issuer == job.certified_by and paper.issuer.startswith("Con dấu")  # the seal that signed it
