"""Files taken in at the desk go through the one upload policy: an HTML body dressed as a PDF, a PDF
carrying an executable and a .docx zip bomb are refused for their field and no dossier is created."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.core.errors import ValidationFailed
from motcua.core.models import AuditLog
from motcua.core.testing import HTML_AS_PDF, docx_bomb, pdf_bytes, pdf_elf_polyglot
from motcua.dossiers.models import Dossier, DossierFile

from .factories import World, receive

pytestmark = pytest.mark.django_db

HOSTILE = [
    ("hoa-don.pdf", lambda: HTML_AS_PDF, "không phải là tệp PDF đọc được"),
    ("hop-dong.pdf", pdf_elf_polyglot, "chứa mã chương trình thực thi"),
    ("to-khai.docx", docx_bomb, "nghi là “bom nén”"),
]


@pytest.mark.parametrize("name, content, message", HOSTILE, ids=["html-as-pdf", "pdf-elf", "docx-bomb"])
def test_a_hostile_file_is_refused_and_no_dossier_is_created(settings, tmp_path, name, content, message):
    settings.MEDIA_ROOT = tmp_path
    world = World()
    good = SimpleUploadedFile("don.pdf", pdf_bytes(1))
    with pytest.raises(ValidationFailed) as exc:
        receive(world, files=[{"file": good}, {"file": SimpleUploadedFile(name, content())}])
    assert list(exc.value.fields) == ["files.1"]
    assert message in exc.value.fields["files.1"][0] and name in exc.value.fields["files.1"][0]
    assert not Dossier.objects.exists() and not DossierFile.objects.exists()
    assert not AuditLog.objects.filter(action="dossier.receive").exists()
    assert not list(tmp_path.rglob("*.*"))  # nothing written to the media folder either
