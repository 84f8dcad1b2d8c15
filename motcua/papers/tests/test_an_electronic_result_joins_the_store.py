"""An issued electronic result joins its applicant's store (the signed file itself, the result number, the
issuing agency) and a later dossier of the same applicant reuses it with consent."""

import pytest

from motcua.documents.tests.conftest import pki, pki_env  # noqa: F401 - fixtures
from motcua.papers.models import Paper, PaperReuse, Source
from motcua.papers.services import consent_record, paper_reuse
from motcua.results.services import result_issue
from motcua.results.tests.conftest import Upload, decided, decision_pdf, with_identities

from .conftest import receive_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_world(world, pki_env, settings):  # noqa: F811 - the fixture
    settings.SITE_URL = "https://dvc.example.gov.vn"
    return with_identities(world, pki_env)


def test_the_issued_result_is_stored_and_reused(signed_world):
    world = signed_world
    dossier = decided(world)
    result = result_issue(actor=world.leader, dossier=dossier, source=Upload(decision_pdf()))
    paper = Paper.objects.get()
    assert (paper.source, paper.holder_number, paper.reference) == (
        Source.ELECTRONIC_RESULT,
        dossier.applicant_id_number,
        result.label,
    )
    assert (paper.file.name, paper.sha256, paper.issuer) == (result.file.name, result.sha256, world.agency.name)
    assert paper.dossier == dossier and paper.valid_until is None

    later = receive_for(world)
    consent_record(actor=world.officer, dossier=later)
    reuse = paper_reuse(actor=world.officer, dossier=later, paper=paper)
    assert reuse.dossier_file.file.name == result.file.name
    assert reuse.dossier_file.component is None  # a result is no component of the procedure: attached as is
    assert PaperReuse.objects.filter(dossier=later).count() == 1
