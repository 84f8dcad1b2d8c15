"""A paper past its validity (or not yet valid) cannot be reused: 409, nothing written; the panel marks it."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from motcua.core.errors import ConflictError
from motcua.dossiers.models import DossierFile
from motcua.papers.models import Paper, PaperReuse
from motcua.papers.services import consent_record, paper_reuse

from .conftest import receive_for

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("validity", ["expired", "not_yet"])
def test_a_paper_out_of_its_validity_is_refused(world, stored, client, validity):
    _first, paper = stored
    today = timezone.localdate()
    if validity == "expired":
        Paper.objects.filter(pk=paper.pk).update(valid_from=date(2020, 1, 1), valid_until=today - timedelta(days=1))
    else:
        Paper.objects.filter(pk=paper.pk).update(valid_from=today + timedelta(days=1), valid_until=None)
    later = receive_for(world)
    consent_record(actor=world.officer, dossier=later)
    files_before = DossierFile.objects.filter(dossier=later).count()
    with pytest.raises(ConflictError):
        paper_reuse(actor=world.officer, dossier=later, paper=paper)
    client.force_login(world.officer)
    page = client.get(f"/staff/dossiers/{later.code}/").content.decode()
    assert "Hết hiệu lực" in page
    response = client.post(f"/staff/dossiers/{later.code}/kho-giay-to/dung-lai/", {"paper": paper.pk})
    assert response.status_code == 409
    assert "hết hiệu lực" in response.content.decode()
    assert not PaperReuse.objects.exists()
    assert DossierFile.objects.filter(dossier=later).count() == files_before


def test_the_last_valid_day_still_counts(world, stored):
    _first, paper = stored
    Paper.objects.filter(pk=paper.pk).update(valid_from=date(2020, 1, 1), valid_until=timezone.localdate())
    later = receive_for(world)
    consent_record(actor=world.officer, dossier=later)
    paper_reuse(actor=world.officer, dossier=later, paper=Paper.objects.get(pk=paper.pk))
    assert PaperReuse.objects.count() == 1
