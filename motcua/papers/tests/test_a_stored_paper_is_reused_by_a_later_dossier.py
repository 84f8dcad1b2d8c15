"""A paper stored by one dossier is reused by a later dossier of the same applicant at the counter: the
applicant's consent is recorded (who, when, how), the later dossier gets a file row pointing at the same stored
file (no copy) and the paper listed as received, and the reuse is counted and audited."""

import pytest

from motcua.core.models import AuditLog
from motcua.dossiers.models import DossierFile, ReceivedPaper
from motcua.papers.models import Consent, Paper, PaperReuse, Source, Via

from .conftest import receive_for

pytestmark = pytest.mark.django_db


def test_officer_reuses_the_stored_paper_with_consent(world, stored, client):
    first, paper = stored
    assert paper.source == Source.DOSSIER_FILE
    assert paper.holder_number == first.applicant_id_number
    assert paper.file.name == DossierFile.objects.get(dossier=first, digitised=True).file.name
    later = receive_for(world, components=[c.pk for c in world.version.components.all()])
    client.force_login(world.officer)

    page = client.get(f"/staff/dossiers/{later.code}/").content.decode()
    assert 'id="kho-giay-to"' in page
    assert f'data-paper="{paper.pk}"' not in page  # nothing of the store before consent

    assert client.post(f"/staff/dossiers/{later.code}/kho-giay-to/dong-y/").status_code == 302
    consent = Consent.objects.get(dossier=later)
    assert (consent.via, consent.recorded_by, consent.holder_number) == (Via.COUNTER, world.officer, later.applicant_id_number)
    page = client.get(f"/staff/dossiers/{later.code}/").content.decode()
    assert f'data-paper="{paper.pk}"' in page

    component = world.version.components.get(order=2)
    response = client.post(f"/staff/dossiers/{later.code}/kho-giay-to/dung-lai/", {"paper": paper.pk, "component": component.pk})
    assert response.status_code == 302
    reuse = PaperReuse.objects.get()
    assert (reuse.paper, reuse.dossier, reuse.consent, reuse.via, reuse.reused_by) == (
        paper,
        later,
        consent,
        Via.COUNTER,
        world.officer,
    )
    row = reuse.dossier_file
    assert (row.dossier, row.component, row.digitised) == (later, component, True)
    assert (row.file.name, row.sha256, row.size) == (paper.file.name, paper.sha256, paper.size)  # the same stored file
    with row.file.open("rb") as handle:
        assert handle.read()[:5] == b"%PDF-"
    assert ReceivedPaper.objects.filter(dossier=later, component=component).exists()
    actions = list(AuditLog.objects.filter(action__startswith="paper.").values_list("action", flat=True).order_by("id"))
    assert actions == ["paper.store", "paper.consent", "paper.reuse"]

    # The officer opens the reused file from the later dossier as any other of its files.
    assert client.get(f"/staff/dossiers/{later.code}/files/{row.pk}/").status_code == 200
    # Reusing it twice for the same dossier is refused (409) and counts once.
    again = client.post(f"/staff/dossiers/{later.code}/kho-giay-to/dung-lai/", {"paper": paper.pk})
    assert again.status_code == 409
    assert PaperReuse.objects.count() == 1
    assert Paper.objects.count() == 1


def test_storing_the_same_content_again_keeps_one_paper(world, stored, client):
    first, paper = stored
    client.force_login(world.officer)
    row = DossierFile.objects.get(dossier=first, digitised=True)
    assert client.post(f"/staff/dossiers/{first.code}/kho-giay-to/luu/", {"file": row.pk}).status_code == 302
    assert Paper.objects.count() == 1


def test_bad_input_answers_400_in_vietnamese(world, stored, client):
    first, _paper = stored
    client.force_login(world.officer)
    row = DossierFile.objects.get(dossier=first, digitised=True)
    dates = {"valid_from": "2030-01-01", "valid_until": "2020-01-01"}
    response = client.post(f"/staff/dossiers/{first.code}/kho-giay-to/luu/", {"file": row.pk, **dates})
    assert response.status_code == 400
    assert "Ngày hết hiệu lực phải sau ngày có hiệu lực." in response.content.decode()
    response = client.post(f"/staff/dossiers/{first.code}/kho-giay-to/dung-lai/", {"paper": "x"})
    assert response.status_code == 400
