"""The minutes (biên bản) of an inspection, as DOCX and PDF, carry the Vietnamese text intact, and the
DOCX opens in LibreOffice."""

import subprocess
from io import BytesIO

import pytest
from pypdf import PdfReader

from motcua.core.testing import docx_text
from motcua.core.transitions import SYSTEM
from motcua.reform import services
from motcua.reform.minutes import minutes_docx, minutes_pdf

pytestmark = pytest.mark.django_db

EXPECTED = [
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Độc lập - Tự do - Hạnh phúc",
    "BIÊN BẢN",
    "Lê Văn Miều, Phó Giám đốc Sở Nội vụ — Trưởng đoàn",
    "Ban Quản lý Khu kinh tế tỉnh",
    "Xây dựng kế hoạch đào tạo, bồi dưỡng cán bộ",
    "Thiếu biên chế",
    "Hướng dẫn thực hiện tự chủ tài chính đối với đơn vị sự nghiệp",
    "Cải cách thủ tục hành chính",
    "ngày 20 tháng 9 năm 2021",
]


@pytest.fixture
def full_inspection(inspection, make_recommendation):
    services.inspection_add_checklist_item(
        actor=SYSTEM,
        inspection=inspection,
        area="procedure",
        content="Công khai TTHC",
        finding="100% TTHC được niêm yết, công khai",
    )
    services.inspection_add_discussion(actor=SYSTEM, inspection=inspection, topic="đào tạo cán bộ")
    make_recommendation("Xây dựng kế hoạch đào tạo, bồi dưỡng cán bộ")
    make_recommendation("Thiếu biên chế", escalated=True, area="organisation")
    make_recommendation("Hướng dẫn thực hiện tự chủ tài chính đối với đơn vị sự nghiệp", escalated=True, area="public_finance")
    return inspection


def _pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(BytesIO(data)).pages)


def test_docx_minutes_contain_the_vietnamese_text(full_inspection):
    text = docx_text(minutes_docx(full_inspection))
    for expected in EXPECTED:
        assert expected in text, expected
    assert "20/9/2021" not in text or "20/09/2021" in text  # dates dd/mm/yyyy


def test_pdf_minutes_contain_the_vietnamese_text(full_inspection):
    data = minutes_pdf(full_inspection)
    assert data.startswith(b"%PDF")
    text = " ".join(_pdf_text(data).split())
    for expected in EXPECTED:
        assert " ".join(expected.split()) in text, expected


def test_docx_minutes_open_in_libreoffice(full_inspection, tmp_path):
    src = tmp_path / "bien-ban.docx"
    src.write_bytes(minutes_docx(full_inspection))
    result = subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp_path}/lo",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(src),
        ],
        capture_output=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    out = tmp_path / "bien-ban.pdf"
    assert out.exists() and out.stat().st_size > 1000
    # LibreOffice's rendering still says the same thing (fonts substituted, text intact)
    text = " ".join(_pdf_text(out.read_bytes()).split())
    assert "Lê Văn Miều" in text and "Hướng dẫn thực hiện tự chủ tài chính" in text
