"""Who sees a store: not another applicant (their own store only, another's paper 404), not the agency's staff
before the applicant's consent (no papers shown, reuse 403), never another agency's staff (404, nothing
written, no panel), even with the applicant's consent."""

import pytest

from motcua.core.errors import NotFoundError, PermissionDeniedError
from motcua.papers.models import Consent, PaperReuse
from motcua.papers.selectors import store_for_dossier
from motcua.papers.services import consent_record, paper_reuse

from .conftest import OTHER_APPLICANT, receive_for

pytestmark = pytest.mark.django_db


def test_another_applicant_never_sees_nor_reuses_the_paper(world, stored, client):
    _first, paper = stored
    theirs = receive_for(world, applicant=OTHER_APPLICANT)
    consent_record(actor=world.officer, dossier=theirs)
    assert list(store_for_dossier(user=world.officer, dossier=theirs)) == []  # their own store: empty
    client.force_login(world.officer)
    assert f'data-paper="{paper.pk}"' not in client.get(f"/staff/dossiers/{theirs.code}/").content.decode()
    with pytest.raises(NotFoundError):
        paper_reuse(actor=world.officer, dossier=theirs, paper=paper)
    assert client.post(f"/staff/dossiers/{theirs.code}/kho-giay-to/dung-lai/", {"paper": paper.pk}).status_code == 404
    assert not PaperReuse.objects.exists()


def test_no_store_and_no_reuse_before_consent(world, stored, client):
    _first, paper = stored
    later = receive_for(world)
    assert store_for_dossier(user=world.officer, dossier=later) is None
    with pytest.raises(PermissionDeniedError):
        paper_reuse(actor=world.officer, dossier=later, paper=paper)
    client.force_login(world.officer)
    assert client.post(f"/staff/dossiers/{later.code}/kho-giay-to/dung-lai/", {"paper": paper.pk}).status_code == 403
    assert not PaperReuse.objects.exists()


def test_another_agencys_staff_see_nothing_even_with_consent(world, other, stored, client):
    _first, paper = stored
    later = receive_for(world)
    consent_record(actor=world.officer, dossier=later)
    for user in (other.officer, other.specialist, other.leader):
        assert store_for_dossier(user=user, dossier=later) is None
        with pytest.raises(NotFoundError):
            paper_reuse(actor=user, dossier=later, paper=paper)
        with pytest.raises(NotFoundError):
            consent_record(actor=user, dossier=later)
        client.force_login(user)
        assert client.get(f"/staff/dossiers/{later.code}/").status_code == 404
        for action, data in (("dong-y", {}), ("dung-lai", {"paper": paper.pk}), ("luu", {"file": 1})):
            assert client.post(f"/staff/dossiers/{later.code}/kho-giay-to/{action}/", data).status_code == 404
    # Their own dossier of the same person: without that person's consent for it, nothing of the store either.
    theirs = receive_for(other)
    assert store_for_dossier(user=other.officer, dossier=theirs) is None
    assert Consent.objects.count() == 1
    assert not PaperReuse.objects.exists()
