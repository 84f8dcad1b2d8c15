"""XLSX files of the tracking book (BM.06) and the statistics table (openpyxl). Dates are real
spreadsheet dates shown dd/mm/yyyy, in local time."""

from __future__ import annotations

import re
from datetime import date, datetime

from django.utils import timezone

from motcua.core import xlsx

from .selectors.book import BookSection
from .selectors.statistics import StatisticsTable

BOOK_COLUMNS = [
    ("STT", 6),
    ("Mã hồ sơ", 24),
    ("Tên thủ tục hành chính", 40),
    ("Tên tổ chức, cá nhân", 28),
    ("Hình thức nộp", 14),
    ("Ngày, giờ nhận hồ sơ", 17),
    ("Ngày hẹn trả kết quả", 17),
    ("Ngày hẹn lại (nếu có)", 17),
    ("Ngày có kết quả", 17),
    ("Ngày trả kết quả", 17),
    ("Hình thức trả kết quả", 22),
    ("Trạng thái", 20),
    ("Tiến độ", 11),
    ("Số lần tạm dừng", 10),
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


def book(sections: list[BookSection], *, agency_name: str, start: date, end: date):
    """One sheet per field (sổ theo dõi hồ sơ theo từng lĩnh vực), as a write-only workbook."""
    wb = xlsx.workbook()
    used: set[str] = set()
    if not sections:
        sections = [BookSection(field_id=0, field_name="Không có hồ sơ")]
    for section in sections:
        sheet = xlsx.Sheet(
            wb,
            _sheet_title(section.field_name, used),
            BOOK_COLUMNS,
            titles=[
                "SỔ THEO DÕI HỒ SƠ (Mẫu số 06)",
                f"Cơ quan: {agency_name}",
                f"Lĩnh vực: {section.field_name}",
                f"Từ ngày {start:%d/%m/%Y} đến ngày {end:%d/%m/%Y}",
            ],
        )
        for r in section.rows:
            d = r.dossier
            sheet.row(
                [
                    r.seq,
                    d.code,
                    d.procedure_version.name,
                    d.applicant_name,
                    d.get_channel_display(),
                    _local(d.accepted_at),
                    _local(r.appointment),
                    _local(r.new_appointment),
                    _local(d.finished_at),
                    _local(d.returned_at),
                    d.get_result_delivery_display() if d.returned_at else "",
                    d.get_status_display(),
                    d.get_timeliness_display() if d.timeliness else "",
                    r.paused_times,
                ]
            )
        sheet.line(f"Tổng số: {len(section.rows)} hồ sơ")
    return wb


def book_xlsx(sections: list[BookSection], *, agency_name: str, start: date, end: date) -> bytes:
    return xlsx.to_bytes(book(sections, agency_name=agency_name, start=start, end=end))


def statistics(table: StatisticsTable, *, agency_name: str, group_labels: dict[str, str]):
    wb = xlsx.workbook()
    head = [(group_labels[g], 36 if g == "procedure" else 24) for g in table.group_by]
    head += [(label, 12) for _, label in table.columns]
    sheet = xlsx.Sheet(
        wb,
        "Thống kê",
        head,
        frozen_columns=len(table.group_by),
        header_height=60,
        titles=[
            "BẢNG THỐNG KÊ TÌNH HÌNH TIẾP NHẬN, GIẢI QUYẾT HỒ SƠ THỦ TỤC HÀNH CHÍNH",
            f"Cơ quan: {agency_name}",
            f"Kỳ báo cáo: từ ngày {table.start:%d/%m/%Y} đến ngày {table.end:%d/%m/%Y}",
            f"Số liệu tính đến: {timezone.localtime(table.as_of):%H:%M %d/%m/%Y}",
        ],
    )
    keys = [k for k, _ in table.columns]
    for r in table.rows:
        sheet.row([r.labels[g] for g in table.group_by] + [r.values[k] for k in keys])
    sheet.row(["Tổng cộng"] + [""] * (len(table.group_by) - 1) + [table.total[k] for k in keys], bold=True)
    return wb


def statistics_xlsx(table: StatisticsTable, *, agency_name: str, group_labels: dict[str, str]) -> bytes:
    return xlsx.to_bytes(statistics(table, agency_name=agency_name, group_labels=group_labels))
