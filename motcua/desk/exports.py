"""XLSX files of the tracking book (BM.06) and the statistics table (openpyxl). Dates are real
spreadsheet dates shown dd/mm/yyyy, in local time."""

from __future__ import annotations

import re
from datetime import date, datetime
from io import BytesIO

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from .selectors import BookSection, StatisticsTable

THIN = Side(style="thin", color="999999")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEAD_FILL = PatternFill("solid", fgColor="EEEEEE")
BOLD = Font(bold=True)
DATETIME_FMT = "DD/MM/YYYY HH:MM"

BOOK_COLUMNS = [
    ("STT", 6), ("Mã hồ sơ", 24), ("Tên thủ tục hành chính", 40), ("Tên tổ chức, cá nhân", 28), ("Hình thức nộp", 14),
    ("Ngày, giờ nhận hồ sơ", 17), ("Ngày hẹn trả kết quả", 17), ("Ngày hẹn lại (nếu có)", 17),
    ("Ngày có kết quả", 17), ("Ngày trả kết quả", 17), ("Hình thức trả kết quả", 22), ("Trạng thái", 20),
    ("Tiến độ", 11), ("Số lần tạm dừng", 10),
]


def _local(value: datetime | None):
    return timezone.localtime(value).replace(tzinfo=None) if value else None


def _sheet_title(name: str, used: set[str]) -> str:
    title = re.sub(r"[\[\]\*\?/\\:]", " ", name).strip()[:31] or "Sheet"
    base, n = title, 2
    while title in used:
        suffix = f" ({n})"
        title = base[: 31 - len(suffix)] + suffix
        n += 1
    used.add(title)
    return title


def _title_rows(ws, lines: list[str], width: int) -> int:
    for i, line in enumerate(lines, start=1):
        ws.cell(row=i, column=1, value=line).font = Font(bold=i == 1, size=13 if i == 1 else 11)
        ws.merge_cells(start_row=i, start_column=1, end_row=i, end_column=width)
    return len(lines) + 2


def _header(ws, row: int, names: list[tuple[str, int]]) -> None:
    for col, (name, width) in enumerate(names, start=1):
        cell = ws.cell(row=row, column=col, value=name)
        cell.font, cell.fill, cell.border = BOLD, HEAD_FILL, BORDER
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        ws.column_dimensions[get_column_letter(col)].width = width


def book_xlsx(sections: list[BookSection], *, agency_name: str, start: date, end: date) -> bytes:
    """One sheet per field (sổ theo dõi hồ sơ theo từng lĩnh vực)."""
    wb = Workbook()
    wb.remove(wb.active)
    used: set[str] = set()
    if not sections:
        sections = [BookSection(field_id=0, field_name="Không có hồ sơ")]
    for section in sections:
        ws = wb.create_sheet(_sheet_title(section.field_name, used))
        row = _title_rows(ws, [
            "SỔ THEO DÕI HỒ SƠ (Mẫu số 06)",
            f"Cơ quan: {agency_name}",
            f"Lĩnh vực: {section.field_name}",
            f"Từ ngày {start:%d/%m/%Y} đến ngày {end:%d/%m/%Y}",
        ], len(BOOK_COLUMNS))
        _header(ws, row, BOOK_COLUMNS)
        ws.freeze_panes = ws.cell(row=row + 1, column=1)
        for r in section.rows:
            d = r.dossier
            row += 1
            values = [r.seq, d.code, d.procedure_version.name, d.applicant_name, d.get_channel_display(),
                      _local(d.accepted_at), _local(r.appointment), _local(r.new_appointment), _local(d.finished_at),
                      _local(d.returned_at), d.get_result_delivery_display() if d.returned_at else "",
                      d.get_status_display(), d.get_timeliness_display() if d.timeliness else "", r.paused_times]
            for col, value in enumerate(values, start=1):
                cell = ws.cell(row=row, column=col, value=value)
                cell.border = BORDER
                cell.alignment = Alignment(wrap_text=True, vertical="top")
                if isinstance(value, datetime):
                    cell.number_format = DATETIME_FMT
        row += 1
        ws.cell(row=row, column=1, value=f"Tổng số: {len(section.rows)} hồ sơ").font = BOLD
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def statistics_xlsx(table: StatisticsTable, *, agency_name: str, group_labels: dict[str, str]) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "Thống kê"
    head = [(group_labels[g], 36 if g == "procedure" else 24) for g in table.group_by]
    head += [(label, 12) for _, label in table.columns]
    row = _title_rows(ws, [
        "BẢNG THỐNG KÊ TÌNH HÌNH TIẾP NHẬN, GIẢI QUYẾT HỒ SƠ THỦ TỤC HÀNH CHÍNH",
        f"Cơ quan: {agency_name}",
        f"Kỳ báo cáo: từ ngày {table.start:%d/%m/%Y} đến ngày {table.end:%d/%m/%Y}",
        f"Số liệu tính đến: {timezone.localtime(table.as_of):%H:%M %d/%m/%Y}",
    ], len(head))
    _header(ws, row, head)
    ws.row_dimensions[row].height = 60
    ws.freeze_panes = ws.cell(row=row + 1, column=len(table.group_by) + 1)
    keys = [k for k, _ in table.columns]
    for r in table.rows:
        row += 1
        values = [r.labels[g] for g in table.group_by] + [r.values[k] for k in keys]
        for col, value in enumerate(values, start=1):
            ws.cell(row=row, column=col, value=value).border = BORDER
    row += 1
    total = ["Tổng cộng"] + [""] * (len(table.group_by) - 1) + [table.total[k] for k in keys]
    for col, value in enumerate(total, start=1):
        cell = ws.cell(row=row, column=col, value=value)
        cell.font, cell.border = BOLD, BORDER
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
