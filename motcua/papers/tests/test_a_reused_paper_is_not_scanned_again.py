"""A paper reused from the applicant's store is already digitised: the OCR worker does not queue its file row in
the later dossier again (it queues the first dossier's scan, which the store points at)."""

import pytest

from motcua.digitisation.models import OcrJob
from motcua.digitisation.services import files_to_digitise, ocr_jobs_discover
from motcua.dossiers.models import DossierFile
from motcua.papers.models import PaperReuse

from .conftest import receive_for

pytestmark = pytest.mark.django_db


def test_the_reused_file_row_gets_no_ocr_job(world, stored, client):
    first, paper = stored
    later = receive_for(world, components=[c.pk for c in world.version.components.all()])
    client.force_login(world.officer)
    assert client.post(f"/staff/dossiers/{later.code}/kho-giay-to/dong-y/").status_code == 302
    response = client.post(f"/staff/dossiers/{later.code}/kho-giay-to/dung-lai/", {"paper": paper.pk})
    assert response.status_code == 302
    reused = PaperReuse.objects.get().dossier_file
    assert reused.digitised  # counted as digitised for the later dossier

    ocr_jobs_discover(everything=True)

    original = DossierFile.objects.get(dossier=first, digitised=True)
    assert set(OcrJob.objects.values_list("file_id", flat=True)) == {original.pk}
    assert not files_to_digitise().filter(pk=reused.pk).exists()
