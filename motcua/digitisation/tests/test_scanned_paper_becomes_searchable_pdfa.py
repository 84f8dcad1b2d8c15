"""The pipeline on scans the test draws (Vietnamese at 300 dpi): a PDF/A-2b whose text layer holds the paper's words,
found when typed without diacritics; the blank page and the page of noise are flagged, the text page is not."""

import io
import subprocess

import pikepdf
import pytest

from motcua.catalog.text import search_text
from motcua.core.text import normalize
from motcua.digitisation.ocr import Flag, run_ocr
from motcua.digitisation.ocr_plugin import ink_share

from .scans import LINES, as_pdf, as_tiff, text_page

# Words of the paper as an officer types them on a keyboard without Vietnamese input.
TYPED = ["nguyen van huong", "dang ky dau tu", "thach ha", "che bien thuy san"]


def pdftotext(pdf: bytes) -> str:
    return subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()


def test_the_text_layer_finds_words_typed_without_diacritics(scan_outcome):
    layer = search_text(pdftotext(scan_outcome.pdf))  # what any PDF reader (and the staff search) reads back
    for typed in TYPED:
        assert typed in layer, typed
    # and the page's stored text keeps the diacritics the paper has
    assert "Nguyễn Văn Hưởng" in scan_outcome.pages[0].text


def test_the_output_is_pdfa_2b(scan_outcome):
    with pikepdf.open(io.BytesIO(scan_outcome.pdf)) as pdf:
        meta = pdf.open_metadata()
        assert meta.pdfa_status == "2B"
        assert len(pdf.pages) == 3


def test_blank_and_unreadable_pages_are_flagged(scan_outcome, settings):
    text, blank, noise = scan_outcome.pages
    assert blank.flag == Flag.BLANK and blank.ink < settings.DIGITISATION_BLANK_INK
    assert noise.flag == Flag.UNREADABLE and noise.ink > settings.DIGITISATION_BLANK_INK
    assert noise.words == 0 or noise.confidence < settings.DIGITISATION_MIN_CONFIDENCE
    assert text.flag == Flag.NONE and text.confidence >= settings.DIGITISATION_MIN_CONFIDENCE
    assert [p.number for p in scan_outcome.flagged] == [2, 3]


def test_a_threshold_above_the_pages_confidence_flags_the_text_page(scan_outcome):
    """The threshold is the setting's: the same page is flagged once the bar is above its confidence."""
    from motcua.digitisation.ocr import page_flag

    page = scan_outcome.pages[0]
    common = {"ocred": True, "words": page.words, "confidence": page.confidence, "ink": page.ink, "blank_ink": 0.002}
    assert page_flag(**common, min_confidence=page.confidence) == Flag.NONE
    assert page_flag(**common, min_confidence=page.confidence + 0.1) == Flag.UNREADABLE


@pytest.mark.django_db
def test_a_multi_page_tiff_becomes_one_searchable_pdf(settings, tmp_path):
    second = ["BIÊN NHẬN HỒ SƠ", "Người nộp: Trần Thị Bích Ngọc, phường Bắc Hà"]
    outcome = run_ocr(as_tiff([text_page(LINES[:3]), text_page(second)]), content_type="image/tiff")
    assert len(outcome.pages) == 2 and not outcome.flagged
    assert "dang ky dau tu" in normalize(outcome.pages[0].text)
    assert "tran thi bich ngoc" in normalize(outcome.pages[1].text)
    # two lines of text are less ink than the blank threshold: read well, the page is not called blank
    image = tmp_path / "page.png"
    text_page(second).save(image)
    assert ink_share(image) < settings.DIGITISATION_BLANK_INK


@pytest.mark.django_db
def test_a_born_digital_page_among_scans_still_gives_a_searchable_pdfa(tmp_path):
    """A born-digital page among the scans: its text is kept or read again, the file is still a PDF/A-2b."""
    from pypdf import PdfReader, PdfWriter
    from reportlab.pdfgen import canvas

    from motcua.core.pdf import SERIF, register_fonts

    register_fonts()
    digital = io.BytesIO()
    c = canvas.Canvas(digital, pagesize=(595, 842))
    c.setFont(SERIF, 14)
    c.drawString(72, 760, "Biên nhận hồ sơ điện tử số 0042, phường Nam Hồng")
    c.save()
    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(digital.getvalue())))
    writer.append(PdfReader(io.BytesIO(as_pdf([text_page(LINES[:3])]))))
    mixed = io.BytesIO()
    writer.write(mixed)
    outcome = run_ocr(mixed.getvalue(), content_type="application/pdf", mode="skip")
    first, second = outcome.pages
    assert not outcome.flagged
    assert "bien nhan ho so dien tu so 0042" in normalize(first.text)
    assert "dang ky dau tu" in normalize(second.text)
    with pikepdf.open(io.BytesIO(outcome.pdf)) as pdf:
        assert pdf.open_metadata().pdfa_status == "2B"
    # pikepdf cannot confirm this digital page as PDF/A: Ghostscript in skip mode where OCRmyPDF allows it (not
    # with Debian 12's Ghostscript 10.0.0), else every page rasterised and OCR'd (force)
    assert outcome.method in ("skip/ghostscript", "force/ghostscript")
    assert first.ocred == (outcome.method == "force/ghostscript")
