"""The CCHC report as DOCX and PDF: Vietnamese text intact (extracted and compared), the seed's figures
in the text, the DOCX opens in LibreOffice, and the command writes the same file."""

import shutil
import subprocess
import tempfile
from io import BytesIO
from pathlib import Path

from django.core.management import call_command
from docx import Document
from pypdf import PdfReader

from motcua.core.testing import docx_text
from motcua.reports.cchc import cchc_report_file

from .conftest import TODAY, SeededTestCase

EXPECTED = [
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Độc lập - Tự do - Hạnh phúc",
    "BAN QUẢN LÝ KHU KINH TẾ TỈNH",
    "Kết quả thực hiện công tác cải cách hành chính năm 2021",
    "Thực hiện Kế hoạch số 3199/KH-UBND ngày 22/12/2020 của UBND tỉnh",
    "Quy chế quản lý cửa khẩu, lối mở biên giới trên địa bàn tỉnh "
    "(thay thế Quyết định số 09/2018/QĐ-UBND ngày 20/3/2018 của UBND tỉnh)",
    "thay thế Quyết định số 12/2020/QĐ-UBND ngày 20/5/2020 của UBND tỉnh",
    "Bãi bỏ 22 TTHC, công bố mới 25 TTHC, sửa đổi, bổ sung 3 TTHC",
    "Có 36/46 TTHC thực hiện cắt giảm thời gian giải quyết từ 20% trở lên",
    "là 46/46 TTHC, đạt 100%, trong đó có 6 TTHC cung cấp mức độ 3, 30 TTHC cung cấp mức độ 4, 10 TTHC cung cấp mức độ 2",
    "Đăng ký 3 TTHC thực hiện theo nguyên tắc “4 tại chỗ”",
    "Kiện toàn Ban Chỉ đạo ISO tại Quyết định số 775/QĐ-BQL ngày 16/06/2021",
    "Lê Văn Miều, Phó Giám đốc Sở Nội vụ làm trưởng đoàn",
    "Hướng dẫn thực hiện tự chủ tài chính đối với đơn vị sự nghiệp",
]


def _flat(text: str) -> str:
    return " ".join(text.split())


class TestReportRendersVietnamese(SeededTestCase):
    def test_docx_report_has_the_vietnamese_text_and_figures(self):
        data, content_type, name = cchc_report_file(agency=self.agency, year=2021, fmt="docx", today=TODAY)
        assert name == "bao-cao-cchc-bql-2021.docx" and "wordprocessingml" in content_type
        text = docx_text(data)
        for expected in EXPECTED:
            assert expected in text, expected
        doc = Document(BytesIO(data))
        assert doc.styles["Normal"].font.name == "Times New Roman"
        section = doc.sections[0]
        assert round(section.left_margin.mm) == 30 and round(section.page_width.mm) == 210

    def test_pdf_report_has_the_vietnamese_text_and_figures(self):
        data, content_type, _ = cchc_report_file(agency=self.agency, year=2021, fmt="pdf", today=TODAY)
        assert content_type == "application/pdf"
        text = _flat("\n".join(p.extract_text() for p in PdfReader(BytesIO(data)).pages))
        for expected in EXPECTED:
            assert _flat(expected) in text, expected
        # a second, independent extractor
        out = subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True).stdout.decode()
        assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in out and "Lê Văn Miều" in out

    def test_docx_report_opens_in_libreoffice(self):
        tmp_path = Path(tempfile.mkdtemp(prefix="motcua-report-"))
        self.addCleanup(shutil.rmtree, tmp_path, True)
        data, _, name = cchc_report_file(agency=self.agency, year=2021, fmt="docx", today=TODAY)
        src = tmp_path / name
        src.write_bytes(data)
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
            timeout=180,
        )
        assert result.returncode == 0, result.stderr
        pdf = tmp_path / name.replace(".docx", ".pdf")
        assert pdf.exists()
        text = _flat("\n".join(p.extract_text() for p in PdfReader(str(pdf)).pages))
        assert "36/46" in text and "Lê Văn Miều" in text and "cải cách hành chính" in text

    def test_command_writes_the_report(self):
        tmp_path = Path(tempfile.mkdtemp(prefix="motcua-report-"))
        self.addCleanup(shutil.rmtree, tmp_path, True)
        out = tmp_path / "bc.docx"
        call_command("cchc_report", agency="BQL", year=2021, fmt="docx", output=str(out))
        assert "46/46" in docx_text(out.read_bytes())
        out_pdf = tmp_path / "bc.pdf"
        call_command("cchc_report", agency="BQL", year=2021, fmt="pdf", output=str(out_pdf))
        assert out_pdf.read_bytes().startswith(b"%PDF")
