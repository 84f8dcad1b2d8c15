"""Files of the document registers go through the one upload policy: an HTML body dressed as a PDF, a
PDF carrying an executable and a .docx zip bomb are refused (field `files`) and no document is recorded."""

import pytest

from motcua.core.errors import ValidationFailed
from motcua.core.testing import HTML_AS_PDF, docx_bomb, pdf_bytes, pdf_elf_polyglot
from motcua.documents import services
from motcua.documents.models import IncomingDocument, OutgoingDocument

HOSTILE = [
    ("hoa-don.pdf", lambda: HTML_AS_PDF, "không phải là tệp PDF đọc được"),
    ("hop-dong.pdf", pdf_elf_polyglot, "chứa mã chương trình thực thi"),
    ("to-khai.docx", docx_bomb, "nghi là “bom nén”"),
]


@pytest.mark.django_db
@pytest.mark.parametrize("name, content, message", HOSTILE, ids=["html-as-pdf", "pdf-elf", "docx-bomb"])
def test_a_hostile_file_is_refused_and_nothing_is_recorded(clerk, registers, types, name, content, message):
    with pytest.raises(ValidationFailed) as exc:
        services.incoming_register(
            actor=clerk,
            register=registers["in"],
            sender="Sở Tài chính",
            doc_type=types["CV"],
            summary="Về việc thử",
            files=[("chinh.pdf", pdf_bytes(1)), (name, content())],
        )
    assert any(message in text and name in text for text in exc.value.fields["files"])
    assert IncomingDocument.objects.count() == 0


@pytest.mark.django_db
def test_a_hostile_file_in_a_draft_is_refused_and_no_draft_is_recorded(clerk, registers, types):
    with pytest.raises(ValidationFailed) as exc:
        services.outgoing_create_draft(
            actor=clerk,
            register=registers["out"],
            doc_type=types["CV"],
            summary="Về việc thử",
            is_electronic=False,
            files=[("du-thao.pdf", pdf_bytes(1)), ("phu-luc.pdf", pdf_elf_polyglot())],
        )
    assert any("chứa mã chương trình thực thi" in text and "phu-luc.pdf" in text for text in exc.value.fields["files"])
    assert OutgoingDocument.objects.count() == 0
