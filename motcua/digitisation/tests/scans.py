"""Scans made by the tests: Vietnamese text with diacritics drawn at 300 dpi on an A4 page (Liberation Serif, the
font motcua ships), a blank page and a page of noise, saved as PDF (as a counter scanner does) or TIFF."""

from __future__ import annotations

import io
import random

from django.conf import settings
from PIL import Image, ImageDraw, ImageFont

DPI = 300
A4 = (round(8.27 * DPI), round(11.69 * DPI))
FONT = str(settings.BASE_DIR / "motcua" / "core" / "fonts" / "LiberationSerif-Regular.ttf")

LINES = [
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Độc lập - Tự do - Hạnh phúc",
    "GIẤY CHỨNG NHẬN ĐĂNG KÝ ĐẦU TƯ",
    "Ông Nguyễn Văn Hưởng, sinh ngày 12/03/1985, thường trú tại",
    "thị trấn Thạch Hà, tỉnh Hà Tĩnh.",
    "Dự án: Nhà máy chế biến thủy sản xuất khẩu Vũng Áng.",
]


def text_page(lines: list[str] = LINES, *, size_pt: float = 12) -> Image.Image:
    page = Image.new("L", A4, 255)
    draw = ImageDraw.Draw(page)
    font = ImageFont.truetype(FONT, round(size_pt / 72 * DPI))
    y = DPI  # one inch from the top
    for line in lines:
        draw.text((round(0.9 * DPI), y), line, font=font, fill=0)
        y += round(size_pt * 1.7 / 72 * DPI)
    return page


def blank_page() -> Image.Image:
    return Image.new("L", A4, 255)


def noise_page(seed: int = 19) -> Image.Image:
    """Grey noise over the whole page: ink everywhere, nothing to read (a scan of a soaked, smudged paper)."""
    rng = random.Random(seed)
    small = Image.frombytes("L", (A4[0] // 4, A4[1] // 4), rng.randbytes((A4[0] // 4) * (A4[1] // 4)))
    return small.resize(A4, Image.Resampling.NEAREST)


def as_pdf(pages: list[Image.Image]) -> bytes:
    out = io.BytesIO()
    pages[0].save(out, format="PDF", save_all=True, append_images=pages[1:], resolution=DPI)
    return out.getvalue()


def as_tiff(pages: list[Image.Image]) -> bytes:
    out = io.BytesIO()
    pages[0].save(out, format="TIFF", save_all=True, append_images=pages[1:], dpi=(DPI, DPI), compression="tiff_lzw")
    return out.getvalue()


def three_page_scan() -> bytes:
    """Page 1: the Vietnamese paper; page 2: blank; page 3: noise."""
    return as_pdf([text_page(), blank_page(), noise_page()])
