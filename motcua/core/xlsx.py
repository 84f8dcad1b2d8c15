"""Printed-register style XLSX sheets written row by row (openpyxl's write-only mode): memory and time grow
linearly with the rows, and the finished file is streamed from a temporary file, never held whole in a string.

Used by every register and book export (documents' registers, the desk's tracking book and statistics)."""

from __future__ import annotations

import tempfile
from copy import copy
from datetime import datetime

from django.http import FileResponse
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
THIN = Side(style="thin", color="999999")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEAD_FILL = PatternFill("solid", fgColor="EEEEEE")
BOLD = Font(bold=True)
WRAP_TOP = Alignment(wrap_text=True, vertical="top")
HEAD_ALIGN = Alignment(wrap_text=True, vertical="center", horizontal="center")
DATETIME_FMT = "DD/MM/YYYY HH:MM"


def workbook() -> Workbook:
    return Workbook(write_only=True)


class Sheet:
    """One sheet: centred bold title lines across the columns, a header row, then bordered data rows."""

    def __init__(self, wb: Workbook, title: str, columns: list[tuple[str, int]], *, titles: list[str] = (),
                 big_titles: int = 1, centered: bool = False, landscape: bool = False, frozen_columns: int = 0,
                 header_height: float | None = None):
        self.ws = ws = wb.create_sheet(title)
        self._templates: dict[tuple, WriteOnlyCell] = {}
        self.width = len(columns)
        header_row = len(titles) + 2 if titles else 1
        # must be set before the first row in write-only mode
        ws.freeze_panes = f"{get_column_letter(frozen_columns + 1)}{header_row + 1}"
        if header_height:
            ws.row_dimensions[header_row].height = header_height
        for index, (_, width) in enumerate(columns, start=1):
            ws.column_dimensions[get_column_letter(index)].width = width
        last = get_column_letter(self.width)
        for row, line in enumerate(titles, start=1):
            cell = WriteOnlyCell(ws, line)
            cell.font = Font(bold=row <= big_titles, size=13 if row <= big_titles else 11)
            if centered:
                cell.alignment = Alignment(horizontal="center")
            ws.append([cell])
            ws.merged_cells.add(f"A{row}:{last}{row}")
        if titles:
            ws.append([])
        ws.append([self._styled(name, font=BOLD, fill=HEAD_FILL, alignment=HEAD_ALIGN) for name, _ in columns])
        ws.print_title_rows = f"{header_row}:{header_row}"
        if landscape:
            ws.page_setup.orientation = "landscape"
            ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
            ws.page_setup.fitToWidth = 1

    def _styled(self, value, *, font=None, fill=None, alignment=WRAP_TOP) -> WriteOnlyCell:
        """A cell styled like the first one made with the same style. openpyxl hashes every style object on each
        assignment (most of an export's time); copying the style indexes of a template cell costs nothing."""
        key = (font is BOLD, fill is not None, alignment is HEAD_ALIGN, isinstance(value, datetime))
        template = self._templates.get(key)
        cell = WriteOnlyCell(self.ws, value)
        if template is not None:
            cell._style = copy(template._style)
            return cell
        cell.border, cell.alignment = BORDER, alignment
        if font is not None:
            cell.font = font
        if fill is not None:
            cell.fill = fill
        if isinstance(value, datetime):
            cell.number_format = DATETIME_FMT
        self._templates[key] = cell
        return cell

    def row(self, values, *, bold: bool = False) -> None:
        self.ws.append([self._styled(v, font=BOLD if bold else None) for v in values])

    def line(self, text: str, *, bold: bool = True) -> None:
        """A free line under the table (e.g. a total)."""
        cell = WriteOnlyCell(self.ws, text)
        if bold:
            cell.font = BOLD
        self.ws.append([cell])


def to_bytes(wb: Workbook) -> bytes:
    with tempfile.TemporaryFile() as out:
        wb.save(out)
        out.seek(0)
        return out.read()


def response(wb: Workbook, filename: str) -> FileResponse:
    """The workbook as a download streamed from a temporary file (deleted when the response is closed)."""
    out = tempfile.TemporaryFile()
    wb.save(out)
    out.seek(0)
    return FileResponse(out, as_attachment=True, filename=filename, content_type=XLSX_TYPE)
