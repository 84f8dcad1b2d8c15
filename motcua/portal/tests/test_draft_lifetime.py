"""Drafts keep no second copy of personal data once submitted, and expired drafts are purged with
their files."""

from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from motcua.portal.models import PortalDraft, PortalDraftFile

from .conftest import APPLICANT_POST, pdf_upload


def test_submitted_draft_drops_its_data_and_files(client, world, media, django_capture_on_commit_callbacks):
    url = reverse("portal:submit", args=[world.code])
    client.post(url, {**APPLICANT_POST, "action": "save", f"file_{world.c1.pk}": pdf_upload()})
    path = Path(settings.MEDIA_ROOT) / PortalDraftFile.objects.get().file.name
    assert path.exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {**APPLICANT_POST, "action": "submit", f"file_{world.c2.pk}": pdf_upload("b.pdf")})
    assert response.status_code == 302
    draft = PortalDraft.objects.get()
    assert draft.dossier_code and draft.data == {} and not draft.files.exists()
    assert not path.exists()  # the dossier has its own copy


def test_expired_drafts_are_purged_with_their_files(client, world, media, django_capture_on_commit_callbacks):
    url = reverse("portal:submit", args=[world.code])
    client.post(url, {**APPLICANT_POST, "action": "save", f"file_{world.c1.pk}": pdf_upload()})
    draft = PortalDraft.objects.get()
    path = Path(settings.MEDIA_ROOT) / draft.files.get().file.name
    PortalDraft.objects.filter(pk=draft.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    assert client.get(reverse("portal:draft-resume", args=[draft.token])).status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        call_command("portal_purge_drafts", stdout=open("/dev/null", "w"))
    assert not PortalDraft.objects.exists() and not PortalDraftFile.objects.exists()
    assert not path.exists()
