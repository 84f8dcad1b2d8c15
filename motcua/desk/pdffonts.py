"""Make sure the serif faces used by motcua.core.pdf can draw Vietnamese.

The Liberation Serif files shipped in core/fonts are version 1.x, which has no glyphs for the
Vietnamese letters of Unicode's Latin Extended Additional block (Ộ, Ủ, ệ, ẫ…): the Quốc hiệu
"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" comes out with holes. Liberation 2.x covers them and is
metric-compatible. Until core ships 2.x, the same font names are re-registered from the system's
Liberation 2 (Debian fonts-liberation2); once core's files cover Vietnamese this is a no-op."""

import threading
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from motcua.core import pdf

PROBE = "ỘỦỆẫựỹĐ"
CANDIDATE_DIRS = [Path("/usr/share/fonts/truetype/liberation2"), Path("/usr/share/fonts/truetype/liberation")]
FACES = {
    pdf.SERIF: "LiberationSerif-Regular.ttf",
    pdf.SERIF_BOLD: "LiberationSerif-Bold.ttf",
    pdf.SERIF_ITALIC: "LiberationSerif-Italic.ttf",
    pdf.SERIF + "-BoldItalic": "LiberationSerif-BoldItalic.ttf",
}


def _covers(font: TTFont) -> bool:
    return all(ord(ch) in font.face.charToGlyph for ch in PROBE)


_LOCK = threading.Lock()
_chosen: str | None = None


def ensure_vietnamese_fonts() -> str:
    """Register fonts that draw Vietnamese under core.pdf's names; return the folder used.

    Thread-safe: the first slips of a threaded server are built only once the fonts are settled."""
    global _chosen
    if _chosen is not None:
        return _chosen
    with _LOCK:
        if _chosen is None:
            _chosen = _choose()
    return _chosen


def reset_for_tests() -> None:
    """Forget every registration of the serif faces, as in a freshly started process."""
    global _chosen
    with _LOCK:
        _chosen = None
        pdf.register_fonts.cache_clear()
        dropped = [pdfmetrics._fonts.pop(name) for name in FACES if name in pdfmetrics._fonts]
        for face, font in list(pdfmetrics._dynFaceNames.items()):
            if font in dropped:
                del pdfmetrics._dynFaceNames[face]


def _choose() -> str:
    pdf.register_fonts()
    if _covers(pdfmetrics.getFont(pdf.SERIF)):
        return str(pdf.FONT_DIR)
    for folder in CANDIDATE_DIRS:
        if not (folder / FACES[pdf.SERIF]).exists():
            continue
        if not _covers(TTFont("probe", str(folder / FACES[pdf.SERIF]))):
            continue
        for name, filename in FACES.items():
            font = TTFont(name, str(folder / filename))
            # registerFont() keeps the first font registered under a name, so replace it in the registry
            # (the faces are metric-compatible: layouts do not move).
            pdfmetrics._fonts[name] = font
            pdfmetrics._dynFaceNames[font.face.name] = font
        return str(folder)
    raise ImproperlyConfigured("Không có phông chữ Liberation Serif 2.x (có tiếng Việt) để in phiếu: "
                               "cài gói fonts-liberation2 hoặc đặt phông 2.x vào motcua/core/fonts.")
