"""A refused upload (type disguised by its extension, too large, too many) is reported in Vietnamese and
leaves the draft as it was: what was typed and the files already accepted stay."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from motcua.dossiers.models import Dossier
from motcua.portal.models import PortalDraft, PortalDraftFile

from .conftest import APPLICANT_POST, ELF_BYTES, PDF_BYTES, pdf_upload, png_bytes


def _start_draft(client, world):
    url = reverse("portal:submit", args=[world.code])
    response = client.post(url, {**APPLICANT_POST, "action": "save", f"file_{world.c1.pk}": pdf_upload()})
    assert response.status_code == 302
    draft = PortalDraft.objects.get()
    return url, draft, list(draft.files.values_list("pk", "sha256"))


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("bao-cao.pdf", png_bytes(), "có đuôi .pdf nhưng nội dung là ảnh PNG"),
        ("bao-cao.pdf", ELF_BYTES, "không đúng định dạng được chấp nhận"),
        ("bao-cao.exe", ELF_BYTES, "không đúng định dạng được chấp nhận"),
        ("bao-cao.docx", PDF_BYTES, "có đuôi .docx nhưng nội dung là PDF"),
    ],
)
def test_wrong_type_disguised_by_extension_is_refused_and_the_draft_is_intact(client, world, media, name, content, message):
    url, draft, before = _start_draft(client, world)
    typed = {**APPLICANT_POST, "full_name": "Nguyễn Văn Bình", "phone": "0987654321"}
    response = client.post(url, {**typed, "action": "submit", f"file_{world.c2.pk}": SimpleUploadedFile(name, content)})
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html and name in html
    assert 'value="Nguyễn Văn Bình"' in html  # what was typed is shown back
    assert "don-de-nghi.pdf" in html  # the file accepted earlier is still listed
    draft.refresh_from_db()
    assert draft.data["full_name"] == "Nguyễn Văn Bình"  # and kept in the draft
    assert list(draft.files.values_list("pk", "sha256")) == before  # no file added, none lost
    assert draft.submitted_at is None and not Dossier.objects.exists()


def test_too_large_file_is_refused_with_the_limit_and_the_draft_is_intact(client, world, media, settings):
    settings.PORTAL_MAX_UPLOAD_BYTES = 1024
    url, draft, before = _start_draft(client, world)
    big = SimpleUploadedFile("ban-ve.pdf", PDF_BYTES + b"0" * 4096)
    response = client.post(url, {**APPLICANT_POST, "action": "save", f"file_{world.c2.pk}": big})
    assert response.status_code == 400
    html = response.content.decode()
    assert "vượt quá giới hạn 1 KB" in html and "ban-ve.pdf" in html
    assert list(draft.files.values_list("pk", "sha256")) == before
    assert PortalDraftFile.objects.filter(draft=draft, component=world.c2).count() == 0


def test_count_limit_per_component(client, world, media, settings):
    settings.PORTAL_MAX_FILES_PER_COMPONENT = 2
    url, draft, _ = _start_draft(client, world)
    files = [SimpleUploadedFile(f"p{i}.pdf", PDF_BYTES + bytes([i])) for i in range(3)]
    response = client.post(url, {**APPLICANT_POST, "action": "save", f"file_{world.c2.pk}": files})
    assert response.status_code == 400
    assert "mỗi thành phần tối đa 2 tệp" in response.content.decode()
    assert PortalDraftFile.objects.filter(draft=draft, component=world.c2).count() == 2


def test_a_good_file_next_to_a_refused_one_is_kept(client, world, media):
    url, draft, _ = _start_draft(client, world)
    response = client.post(
        url,
        {
            **APPLICANT_POST,
            "action": "save",
            f"file_{world.c2.pk}": [SimpleUploadedFile("anh.pdf", png_bytes()), pdf_upload("bc.pdf")],
        },
    )
    assert response.status_code == 400
    assert sorted(draft.files.values_list("original_name", flat=True)) == ["bc.pdf", "don-de-nghi.pdf"]


def test_new_drafts_per_ip_are_limited(client, world, media, settings):
    settings.PORTAL_DRAFTS_PER_HOUR = 2
    url = reverse("portal:submit", args=[world.code])
    for _ in range(2):
        client.cookies.clear()  # a bot that drops the cookie gets a new draft each time
        assert client.post(url, {**APPLICANT_POST, "action": "save"}).status_code == 302
    client.cookies.clear()
    assert client.post(url, {**APPLICANT_POST, "action": "save"}).status_code == 429
    assert PortalDraft.objects.count() == 2
    # an existing draft can still be saved
    draft = PortalDraft.objects.first()
    client.cookies[f"motcua_nhap_{world.code.replace('.', '_')}"] = draft.token
    assert client.post(url, {**APPLICANT_POST, "action": "save"}).status_code == 302
