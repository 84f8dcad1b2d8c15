"""An OCRmyPDF plugin (loaded by name from ocr.py): what the pipeline needs from the one Tesseract run.

- The OCR engine is OCRmyPDF's own Tesseract engine; after it writes a page's hOCR (the default fpdf2 renderer
  asks for hOCR anyway), the page's word confidences (`x_wconf`), its text and — only for a page not read well,
  where it tells blank from unreadable — the share of dark pixels of the page image are written as JSON into the
  folder named by the option `motcua_stats_dir`. No second OCR pass and no second read of the output: reading
  the hOCR costs milliseconds (bench/ocr_throughput.py measures the pipeline next to OCRmyPDF alone).
  This runs in OCRmyPDF's worker processes, hence files rather than memory.
- The progress bar, held by OCRmyPDF in the calling process, reports the pages done to `PROGRESS` (set by
  ocr.run_ocr around one call), which the background job turns into its visible progress.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

from ocrmypdf import hookimpl
from ocrmypdf.builtin_plugins.tesseract_ocr import TesseractOcrEngine
from PIL import Image

_WCONF = re.compile(r"x_wconf (\d+)")
_PAGE = re.compile(r"^(\d+)_")
DARK = 128  # a pixel darker than this (0..255 grey) is ink
_SAMPLE_WIDTH = 600  # the ink share is measured on a reduced copy: about 0.3 Mpx, a few milliseconds

# Set by ocr.run_ocr for the duration of one OCRmyPDF call (one call at a time per process: ocr._LOCK).
PROGRESS: Callable[[int], None] | None = None


def ink_share(image_path: Path) -> float:
    """Share (0..1) of the page image's pixels darker than DARK."""
    with Image.open(image_path) as im:
        grey = im.convert("L")
        if grey.width > _SAMPLE_WIDTH:
            grey = grey.resize((_SAMPLE_WIDTH, max(1, round(grey.height * _SAMPLE_WIDTH / grey.width))))
        histogram = grey.histogram()
    total = sum(histogram)
    return sum(histogram[:DARK]) / total if total else 0.0


def hocr_confidences(hocr: str) -> list[int]:
    """Tesseract's confidence (0..100) of every word of a page's hOCR."""
    return [int(c) for c in _WCONF.findall(hocr)]


class StatsTesseractEngine(TesseractOcrEngine):
    @staticmethod
    def generate_hocr(input_file, output_hocr, output_text, options):
        TesseractOcrEngine.generate_hocr(input_file, output_hocr, output_text, options)
        folder = (getattr(options, "extra_attrs", None) or {}).get("motcua_stats_dir")
        match = _PAGE.match(Path(input_file).name)  # OCRmyPDF names page images 000001_ocr.png, 1-based
        if not folder or not match:
            return
        extra = options.extra_attrs
        confidences = hocr_confidences(Path(output_hocr).read_text(encoding="utf-8", errors="replace"))
        read_well = bool(confidences) and sum(confidences) / len(confidences) >= float(extra.get("motcua_min_confidence", 0))
        stats = {
            "page": int(match.group(1)),
            "confidences": confidences,
            # Tesseract's text of the page, from which the text layer is drawn: no pdftotext pass over the output
            "text": Path(output_text).read_text(encoding="utf-8", errors="replace") if Path(output_text).exists() else None,
            # the ink only tells blank from unreadable: not measured on a page read well (decoding the image costs)
            "ink": None if read_well else ink_share(Path(input_file)),
        }
        (Path(folder) / f"{int(match.group(1)):06d}.json").write_text(json.dumps(stats), encoding="utf-8")


@hookimpl(tryfirst=True)  # before the built-in Tesseract engine it wraps
def get_ocr_engine(options):
    return StatsTesseractEngine()


class _Progress:
    """OCRmyPDF's progress bar protocol; reports whole pages of the OCR step to PROGRESS."""

    def __init__(self, *, total=None, desc=None, unit=None, disable=False, **kwargs):
        self.desc = desc
        self.done = 0.0

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def update(self, n=1, *, completed=None):
        if self.desc != "OCR" or PROGRESS is None:
            return
        before = int(self.done)
        self.done = float(completed) if completed is not None else self.done + float(n or 0)
        if int(self.done) != before:
            PROGRESS(int(self.done))


@hookimpl(tryfirst=True)  # before OCRmyPDF's own console bar
def get_progressbar_class():
    return _Progress
