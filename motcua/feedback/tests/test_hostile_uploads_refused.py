"""PAKN attachments go through the one upload policy: an HTML body dressed as a PDF, a PDF carrying an
executable and a .docx zip bomb are refused in Vietnamese, the form keeps what was typed, nothing is stored."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.core.testing import HTML_AS_PDF, docx_bomb, pdf_elf_polyglot
from motcua.feedback.models import Feedback, FeedbackAttachment

from .test_public_pakn_pages import form_data

pytestmark = pytest.mark.django_db

HOSTILE = [
    ("hoa-don.pdf", lambda: HTML_AS_PDF, "không phải là tệp PDF đọc được"),
    ("hop-dong.pdf", pdf_elf_polyglot, "chứa mã chương trình thực thi"),
    ("to-khai.docx", docx_bomb, "nghi là “bom nén”"),
]


@pytest.mark.parametrize("name, content, message", HOSTILE, ids=["html-as-pdf", "pdf-elf", "docx-bomb"])
def test_a_hostile_attachment_is_refused_and_nothing_is_stored(client, agency, name, content, message):
    response = client.post("/phan-anh-kien-nghi/", form_data(attachments=[SimpleUploadedFile(name, content())]))
    assert response.status_code == 400
    body = response.content.decode()
    assert message in body and name in body
    assert 'value="Trần Thị Bình"' in body
    assert Feedback.objects.count() == 0 and FeedbackAttachment.objects.count() == 0
