"""Shared PDF helpers (ReportLab): Vietnamese-capable fonts and the national header of Decree 30.

The Liberation Serif 2.1 fonts (metric-compatible with Times New Roman, full Vietnamese coverage, SIL OFL) ship with
the project in core/fonts, so PDFs render the same on any machine."""

import threading
from io import BytesIO
from pathlib import Path
from xml.sax.saxutils import escape

import qrcode
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.fonts import addMapping
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Image, Paragraph, Table, TableStyle

FONT_DIR = Path(__file__).resolve().parent / "fonts"
SERIF = "MotcuaSerif"
SERIF_BOLD = "MotcuaSerif-Bold"
SERIF_ITALIC = "MotcuaSerif-Italic"

NATIONAL_MOTTO = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
NATIONAL_SLOGAN = "Độc lập - Tự do - Hạnh phúc"


_FONT_FILES = {
    SERIF: "LiberationSerif-Regular.ttf",
    SERIF_BOLD: "LiberationSerif-Bold.ttf",
    SERIF_ITALIC: "LiberationSerif-Italic.ttf",
    SERIF + "-BoldItalic": "LiberationSerif-BoldItalic.ttf",
}
_font_lock = threading.Lock()
_fonts_ready = False


def register_fonts() -> None:
    """Register the serif faces once per process. ReportLab's font registry is global and not
    thread-safe, so the first registration happens under a lock (threaded servers print in parallel)."""
    global _fonts_ready
    if _fonts_ready:
        return
    with _font_lock:
        if _fonts_ready:
            return
        for name, filename in _FONT_FILES.items():
            pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / filename)))
        addMapping(SERIF, 0, 0, SERIF)
        addMapping(SERIF, 1, 0, SERIF_BOLD)
        addMapping(SERIF, 0, 1, SERIF_ITALIC)
        addMapping(SERIF, 1, 1, SERIF + "-BoldItalic")
        _fonts_ready = True


def reset_fonts_for_tests() -> None:
    """Forget the registration, as in a freshly started process (for thread-safety tests)."""
    global _fonts_ready
    with _font_lock:
        _fonts_ready = False
        for name in _FONT_FILES:
            font = pdfmetrics._fonts.pop(name, None)
            if font is not None:
                pdfmetrics._dynFaceNames.pop(font.face.name, None)


def styles() -> dict[str, ParagraphStyle]:
    """Paragraph styles in the Decree 30 spirit: 13–14 pt serif."""
    register_fonts()
    base = ParagraphStyle("body", fontName=SERIF, fontSize=13, leading=17)
    return {
        "body": base,
        "small": ParagraphStyle("small", parent=base, fontSize=11, leading=14),
        "center": ParagraphStyle("center", parent=base, alignment=TA_CENTER),
        "center_bold": ParagraphStyle("center_bold", parent=base, alignment=TA_CENTER, fontName=SERIF_BOLD),
        "title": ParagraphStyle(
            "title", parent=base, alignment=TA_CENTER, fontName=SERIF_BOLD, fontSize=14, leading=18, spaceBefore=8, spaceAfter=8
        ),
        "italic_center": ParagraphStyle("italic_center", parent=base, alignment=TA_CENTER, fontName=SERIF_ITALIC),
        "bold": ParagraphStyle("bold", parent=base, fontName=SERIF_BOLD),
    }


def national_header(
    *, parent_name: str, agency_name: str, place_date: str = "", number: str = "", widths_mm: tuple[float, float] = (75, 105)
) -> Table:
    """The two-column header: agency (left) and Quốc hiệu, tiêu ngữ (right), with number and place/date."""
    st = styles()
    left = [
        Paragraph(escape(parent_name.upper()), st["center"]),
        Paragraph(f"<b>{escape(agency_name.upper())}</b>", st["center_bold"]),
    ]
    if number:
        left.append(Paragraph(escape(number), st["center"]))
    right = [
        Paragraph(f"<b>{NATIONAL_MOTTO}</b>", ParagraphStyle("m", parent=st["center_bold"], fontSize=12)),
        Paragraph(f"<b>{NATIONAL_SLOGAN}</b>", st["center_bold"]),
    ]
    if place_date:
        right.append(Paragraph(f"<i>{escape(place_date)}</i>", st["italic_center"]))
    table = Table([[left, right]], colWidths=[widths_mm[0] * mm, widths_mm[1] * mm])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LINEBELOW", (0, 0), (-1, -1), 0, colors.white)]))
    return table


def qr_image(data: str, size_mm: float = 28) -> Image:
    """A QR code flowable (e.g. the public lookup URL printed on slips)."""
    buffer = BytesIO()
    qrcode.make(data, box_size=6, border=2).save(buffer, format="PNG")
    buffer.seek(0)
    return Image(buffer, width=size_mm * mm, height=size_mm * mm)


def vn_date_phrase(place: str, day) -> str:
    """'Tỉnh X, ngày 20 tháng 9 năm 2021' (Decree 30: day and month below 10 written with a leading 0 for 1–2)."""
    d = f"{day.day:02d}" if day.day < 3 else str(day.day)
    m = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"{place}, ngày {d} tháng {m} năm {day.year}"
