"""A DOCX template of the decision, with `{{ placeholders }}` (one split over two runs by the editor, one in a
table cell), becomes the electronic result: filled with the dossier's data, converted to PDF by LibreOffice,
stamped and signed twice; the text of the signed PDF (pdftotext) says the applicant's name and the code in
Vietnamese. A broken DOCX is refused with 400 and takes no number."""

import subprocess
import unicodedata
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document

from motcua.core.errors import ValidationFailed
from motcua.documents import signing
from motcua.results.models import ElectronicResult, ResultCounter
from motcua.results.services import result_issue

pytestmark = pytest.mark.django_db

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def template_docx() -> bytes:
    doc = Document()
    doc.add_paragraph("QUYẾT ĐỊNH")
    p = doc.add_paragraph("Cấp giấy chứng nhận cho ông/bà ")
    p.add_run("{{ ten_ng")  # a placeholder split over two runs
    p.add_run("uoi_nop }}, hồ sơ {{ ma_ho_so }}.")
    table = doc.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "Thủ tục"
    table.cell(0, 1).text = "{{ thu_tuc }}"
    doc.add_paragraph("{{ dia_danh_ngay }}")
    out = BytesIO()
    doc.save(out)
    return out.getvalue()


def text_of(data: bytes, tmp_path) -> str:
    path = tmp_path / "kq.pdf"
    path.write_bytes(data)
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True).stdout
    return " ".join(unicodedata.normalize("NFC", out.decode("utf-8")).split())


def test_docx_template_becomes_a_signed_result(world, dossier, pki, tmp_path):
    upload = SimpleUploadedFile("mau-quyet-dinh.docx", template_docx(), DOCX)
    result = result_issue(actor=world.leader, dossier=dossier, source=upload)
    data = result.file.read()
    text = text_of(data, tmp_path)
    assert "Cấp giấy chứng nhận cho ông/bà Nguyễn Văn An, hồ sơ" in text
    assert dossier.code.replace("-", "") in text.replace("-", "")  # pdftotext may drop a hyphen at a line end
    assert dossier.procedure_version.name in text
    assert "{{" not in text
    assert f"Kết quả điện tử số: {result.label}" in text
    sigs = signing.verify_pdf_bytes(data, trust_roots=signing.load_certificates([pki.ca_pem]))
    assert len(sigs) == 2 and all(s.intact and s.valid and s.trusted for s in sigs)


def test_a_broken_docx_is_refused_and_takes_no_number(world, dossier, client):
    with pytest.raises(ValidationFailed):
        result_issue(actor=world.leader, dossier=dossier, source=SimpleUploadedFile("mau.docx", b"PK\x03\x04 hong", DOCX))
    client.force_login(world.leader)
    response = client.post(f"/staff/results/{dossier.code}/", {"source": SimpleUploadedFile("mau.docx", b"PK\x03\x04", DOCX)})
    assert response.status_code == 400
    assert not ElectronicResult.objects.exists()
    assert not ResultCounter.objects.filter(last_number__gt=0).exists()
