"""The catalog as an XLSX file: the procedures in force, one row each (xlsx_columns), and the empty template with
its guide sheet."""

from __future__ import annotations

import io
from datetime import date

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from motcua.core.models import Agency

from .. import selectors
from .xlsx_columns import COLUMNS, SHEET, version_row


def _workbook(rows: list[dict[str, str]]) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    ws.append([h for h, _, _ in COLUMNS])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append([row.get(k, "") for _, k, _ in COLUMNS])
    for i, (_header, key, _) in enumerate(COLUMNS, start=1):
        ws.column_dimensions[get_column_letter(i)].width = 50 if key in ("name", "components", "steps", "legal_basis") else 18
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "C2"
    guide = wb.create_sheet("Huong dan")
    guide.append(["Cột", "Cách ghi"])
    for header, _, text in COLUMNS:
        guide.append([header, text])
    guide.column_dimensions["A"].width = 30
    guide.column_dimensions["B"].width = 100
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def export_xlsx(*, on: date | None = None, agency: Agency | None = None) -> bytes:
    versions = (
        selectors.procedure_versions_in_force(on=on, agency=agency)
        .select_related("procedure", "field")
        .prefetch_related("components", "fees", "steps__unit")
        .order_by("procedure__code")
    )
    return _workbook([version_row(v) for v in versions])


def template_xlsx() -> bytes:
    return _workbook([])
