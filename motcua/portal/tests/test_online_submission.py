"""Submitting online: the form is built from the procedure's components; the dossier arrives as
"newly submitted" with a code and a private lookup secret, and the mail with both is queued."""

import re

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from motcua.dossiers.lookup_secret import lookup_secret_hash
from motcua.dossiers.models import Channel, Dossier, DossierFile, Status
from motcua.notifications.models import Message
from motcua.portal.models import PortalDraft

from .conftest import APPLICANT_POST, PDF_BYTES, pdf_upload


def test_form_lists_the_components_of_the_version_in_force(client, world):
    response = client.get(reverse("portal:submit", args=[world.code]))
    assert response.status_code == 200
    html = response.content.decode()
    for component in (world.c1, world.c2, world.c3):
        assert component.name in html
        assert f'name="file_{component.pk}"' in html
    assert 'for="id_full_name"' in html  # every input has a label


def test_submit_creates_a_newly_submitted_online_dossier_and_queues_the_mail(client, world, media, templates_ready):
    url = reverse("portal:submit", args=[world.code])
    data = {
        **APPLICANT_POST,
        "action": "submit",
        f"file_{world.c1.pk}": pdf_upload(),
        f"file_{world.c2.pk}": pdf_upload("bao-cao.pdf"),
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    dossier = Dossier.objects.get()
    assert dossier.status == Status.SUBMITTED and dossier.channel == Channel.ONLINE
    assert dossier.applicant_id_number == "042090012789"
    assert dossier.result_delivery == "online"
    assert DossierFile.objects.filter(dossier=dossier).count() == 2
    assert set(DossierFile.objects.filter(dossier=dossier).values_list("original_name", flat=True)) == {
        "don-de-nghi.pdf",
        "bao-cao.pdf",
    }

    page = client.get(response["Location"]).content.decode()
    assert dossier.code in page
    secret = re.search(r'id="lookup-secret">([^<]+)<', page).group(1)
    assert lookup_secret_hash(secret) == dossier.lookup_secret_hash

    mail = Message.objects.get(template_code="dossier_submitted")
    assert mail.recipient == "an.nguyen@example.vn"
    assert dossier.code in mail.subject and secret in mail.body
    draft = PortalDraft.objects.get()
    assert draft.dossier_code == dossier.code and draft.submitted_at is not None


def test_missing_mandatory_component_is_reported_and_nothing_is_submitted(client, world, media):
    url = reverse("portal:submit", args=[world.code])
    response = client.post(url, {**APPLICANT_POST, "action": "submit", f"file_{world.c1.pk}": pdf_upload()})
    assert response.status_code == 400
    html = response.content.decode()
    assert "là bắt buộc: vui lòng tải lên tệp" in html
    assert world.c2.name[:40] in html
    assert not Dossier.objects.exists()
    assert 'value="Nguyễn Văn An"' in html  # what was typed is kept
    assert "don-de-nghi.pdf" in html  # and the file already uploaded


def test_invalid_id_number_is_a_field_error_in_vietnamese(client, world, media, templates_ready):
    url = reverse("portal:submit", args=[world.code])
    data = {
        **APPLICANT_POST,
        "id_number": "12345",
        "action": "submit",
        f"file_{world.c1.pk}": pdf_upload(),
        f"file_{world.c2.pk}": pdf_upload("b.pdf"),
    }
    response = client.post(url, data)
    assert response.status_code == 400
    assert "12 chữ số" in response.content.decode()
    assert not Dossier.objects.exists()
    assert not Message.objects.exists()  # nothing mailed for a dossier that was not created
    assert PortalDraft.objects.get().submitted_at is None


def test_draft_is_saved_and_resumed_from_its_link(client, world, media):
    url = reverse("portal:submit", args=[world.code])
    response = client.post(url, {**APPLICANT_POST, "action": "save", f"file_{world.c1.pk}": pdf_upload()})
    assert response.status_code == 302
    draft = PortalDraft.objects.get()
    assert draft.data["full_name"] == "Nguyễn Văn An" and draft.files.count() == 1

    other = client.__class__()  # another browser: no cookie, only the link
    assert "Nguyễn Văn An" not in other.get(url).content.decode()
    resumed = other.get(reverse("portal:draft-resume", args=[draft.token]), follow=True)
    html = resumed.content.decode()
    assert 'value="Nguyễn Văn An"' in html and "don-de-nghi.pdf" in html

    # finish from the other browser: the second component, then submit
    response = other.post(
        url, {**APPLICANT_POST, "action": "submit", f"file_{world.c2.pk}": SimpleUploadedFile("bc.pdf", PDF_BYTES)}
    )
    assert response.status_code == 302
    assert Dossier.objects.get().files.count() == 2


def test_procedure_without_online_channel_offers_no_form(client, world):
    world.version.channel_online = False
    world.version.save()
    response = client.get(reverse("portal:submit", args=[world.code]))
    assert "chưa nhận hồ sơ trực tuyến" in response.content.decode()
    assert "multipart/form-data" not in response.content.decode()


def test_a_file_can_be_removed_from_the_draft(client, world, media):
    url = reverse("portal:submit", args=[world.code])
    client.post(url, {**APPLICANT_POST, "action": "save", f"file_{world.c1.pk}": [pdf_upload("a.pdf"), pdf_upload("b.pdf")]})
    draft = PortalDraft.objects.get()
    first = draft.files.get(original_name="a.pdf")
    response = client.post(url, {**APPLICANT_POST, "full_name": "Nguyễn Văn Ân", "remove": str(first.pk)})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert list(draft.files.values_list("original_name", flat=True)) == ["b.pdf"]
    assert draft.data["full_name"] == "Nguyễn Văn Ân"
    assert not Dossier.objects.exists()
