"""Printed-register style XLSX sheets written row by row with XlsxWriter in constant-memory mode: time and memory
grow linearly with the rows, formats are made once per workbook (not hashed per cell), and the finished file is
streamed from a temporary file, never held whole in a string. (openpyxl stays for reading imports.)

Used by every register and book export (documents' registers, the desk's tracking book and statistics)."""

from __future__ import annotations

import tempfile
from datetime import datetime

import xlsxwriter
from django.http import FileResponse

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_CELL = {"border": 1, "border_color": "#999999", "text_wrap": True, "valign": "top"}
_DATETIME = "DD/MM/YYYY HH:MM"


class Book:
    """A workbook being written to a temporary file; finish with `to_bytes` or `response`."""

    def __init__(self):
        self.file = tempfile.TemporaryFile()
        # Text stays text: an applicant named "=HYPERLINK(…)" must not become a formula or a link.
        self.wb = xlsxwriter.Workbook(
            self.file, {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
        )
        add = self.wb.add_format
        self.formats = {
            "cell": add(_CELL),
            "bold": add({**_CELL, "bold": True}),
            "datetime": add({**_CELL, "num_format": _DATETIME}),
            "head": add({**_CELL, "bold": True, "bg_color": "#EEEEEE", "align": "center", "valign": "vcenter"}),
            "title": add({"bold": True, "font_size": 13}),
            "title_center": add({"bold": True, "font_size": 13, "align": "center"}),
            "subtitle": add({"font_size": 11}),
            "subtitle_center": add({"font_size": 11, "align": "center"}),
            "line": add({"bold": True}),
        }

    def close(self):
        self.wb.close()
        self.file.seek(0)
        return self.file


def workbook() -> Book:
    return Book()


class Sheet:
    """One sheet: bold title lines merged across the columns, a header row, then bordered data rows."""

    def __init__(
        self,
        book: Book,
        title: str,
        columns: list[tuple[str, int]],
        *,
        titles: list[str] = (),
        big_titles: int = 1,
        centered: bool = False,
        landscape: bool = False,
        frozen_columns: int = 0,
        header_height: float | None = None,
    ):
        self.fmt = book.formats
        self.ws = ws = book.wb.add_worksheet(title)
        self.width = len(columns)
        for index, (_, width) in enumerate(columns):
            ws.set_column(index, index, width)
        suffix = "_center" if centered else ""
        for row, line in enumerate(titles):
            fmt = self.fmt[("title" if row < big_titles else "subtitle") + suffix]
            if self.width > 1:
                ws.merge_range(row, 0, row, self.width - 1, line, fmt)
            else:
                ws.write(row, 0, line, fmt)
        header_row = len(titles) + 1 if titles else 0
        ws.write_row(header_row, 0, [name for name, _ in columns], self.fmt["head"])
        if header_height:
            ws.set_row(header_row, header_height)
        ws.freeze_panes(header_row + 1, frozen_columns)
        ws.repeat_rows(header_row)
        if landscape:
            ws.set_landscape()
            ws.set_paper(9)  # A4
            ws.fit_to_pages(1, 0)
        self.next_row = header_row + 1

    def row(self, values, *, bold: bool = False) -> None:
        write, r = self.ws.write, self.next_row
        plain = self.fmt["bold" if bold else "cell"]
        for col, value in enumerate(values):
            write(r, col, value, self.fmt["datetime"] if isinstance(value, datetime) else plain)
        self.next_row += 1

    def line(self, text: str) -> None:
        """A free line under the table (e.g. a total)."""
        self.ws.write(self.next_row, 0, text, self.fmt["line"])
        self.next_row += 1


def to_bytes(book: Book) -> bytes:
    with book.close() as out:
        return out.read()


def response(book: Book, filename: str) -> FileResponse:
    """The workbook as a download streamed from its temporary file (deleted when the response is closed)."""
    return FileResponse(book.close(), as_attachment=True, filename=filename, content_type=XLSX_TYPE)
