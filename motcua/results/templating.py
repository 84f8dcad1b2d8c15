"""The decision document from a DOCX template: `{{ name }}` placeholders filled with the dossier's data
(python-docx, in the body, tables, headers and footers), then converted to PDF with LibreOffice
(`soffice --headless --convert-to pdf`, a system package: scripts/system-packages)."""

from __future__ import annotations

import re
import subprocess
import tempfile
from io import BytesIO
from pathlib import Path

from django.utils import timezone
from django.utils.translation import gettext as _
from docx import Document

from motcua.core.pdf import vn_date_phrase

PLACEHOLDER = re.compile(r"{{\s*([a-z_]+)\s*}}")
CONVERT_TIMEOUT = 120  # seconds


class TemplateError(Exception):
    pass


def dossier_fields(dossier) -> dict[str, str]:
    """What a template may name: the data the result itself states about the dossier."""
    today = timezone.localdate()
    return {
        "ma_ho_so": dossier.code,
        "ten_nguoi_nop": dossier.applicant_name,
        "dia_chi": dossier.applicant_address,
        "ma_so_thue": dossier.applicant_tax_code,
        "thu_tuc": dossier.procedure_version.name,
        "co_quan": dossier.agency.name,
        "ket_qua": dossier.get_outcome_display() if dossier.outcome else "",
        "noi_dung": dossier.outcome_note,
        "ngay": today.strftime("%d/%m/%Y"),
        "dia_danh_ngay": vn_date_phrase(dossier.agency.province or "", today),
    }


def _fill_paragraph(paragraph, values: dict[str, str]) -> None:
    text = "".join(run.text for run in paragraph.runs)
    if "{{" not in text:
        return
    filled = PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), text)
    if filled == text:
        return
    # A placeholder may be split over runs by the editor: the text goes into the first run (its format kept).
    paragraph.runs[0].text = filled
    for run in paragraph.runs[1:]:
        run.text = ""


def _paragraphs(container):
    yield from container.paragraphs
    for table in container.tables:
        for row in table.rows:
            for cell in row.cells:
                yield from _paragraphs(cell)


def fill_docx(data: bytes, values: dict[str, str]) -> bytes:
    try:
        doc = Document(BytesIO(data))
    except Exception as exc:
        raise TemplateError(_("Không đọc được mẫu DOCX: %(e)s") % {"e": exc}) from None
    parts = [doc]
    for section in doc.sections:
        parts += [section.header, section.footer]
    for part in parts:
        for paragraph in _paragraphs(part):
            _fill_paragraph(paragraph, values)
    out = BytesIO()
    doc.save(out)
    return out.getvalue()


def docx_to_pdf(data: bytes) -> bytes:
    with tempfile.TemporaryDirectory(prefix="motcua-kq-") as folder:
        src = Path(folder) / "ket-qua.docx"
        src.write_bytes(data)
        try:
            done = subprocess.run(
                [
                    "soffice",
                    f"-env:UserInstallation=file://{folder}/lo",
                    "--headless",
                    "--convert-to",
                    "pdf",
                    "--outdir",
                    folder,
                    str(src),
                ],
                capture_output=True,
                timeout=CONVERT_TIMEOUT,
                check=False,
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise TemplateError(_("Không chuyển được mẫu sang PDF: %(e)s") % {"e": exc}) from None
        out = Path(folder) / "ket-qua.pdf"
        if done.returncode != 0 or not out.exists():
            raise TemplateError(_("Không chuyển được mẫu sang PDF (LibreOffice)."))
        return out.read_bytes()


def render_template(data: bytes, dossier) -> bytes:
    """The filled template as PDF."""
    return docx_to_pdf(fill_docx(data, dossier_fields(dossier)))
