"""Online submission goes through the one upload policy: an HTML body dressed as a PDF, a PDF carrying an
executable and a .docx zip bomb are refused in Vietnamese and the draft keeps only the files it had."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from motcua.core.testing import HTML_AS_PDF, docx_bomb, pdf_elf_polyglot
from motcua.dossiers.models import Dossier
from motcua.portal.models import PortalDraft, PortalDraftFile

from .conftest import APPLICANT_POST, pdf_upload

HOSTILE = [
    ("hoa-don.pdf", lambda: HTML_AS_PDF, "không phải là tệp PDF đọc được"),
    ("hop-dong.pdf", pdf_elf_polyglot, "chứa mã chương trình thực thi"),
    ("to-khai.docx", docx_bomb, "nghi là “bom nén”"),
]


@pytest.mark.parametrize("name, content, message", HOSTILE, ids=["html-as-pdf", "pdf-elf", "docx-bomb"])
def test_a_hostile_file_is_refused_and_the_draft_keeps_only_good_files(client, world, media, name, content, message):
    url = reverse("portal:submit", args=[world.code])
    response = client.post(
        url,
        {
            **APPLICANT_POST,
            "action": "submit",
            f"file_{world.c1.pk}": pdf_upload(),
            f"file_{world.c2.pk}": SimpleUploadedFile(name, content()),
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html and name in html
    draft = PortalDraft.objects.get()
    assert draft.submitted_at is None and not Dossier.objects.exists()
    assert list(PortalDraftFile.objects.filter(draft=draft).values_list("original_name", flat=True)) == ["don-de-nghi.pdf"]
