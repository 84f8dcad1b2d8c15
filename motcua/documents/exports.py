"""The register as the printed register book (XLSX), columns as in the Decree 30 register forms."""

from collections.abc import Iterator

from django.utils import timezone

from motcua.core import xlsx

from .models import Register, RegisterKind
from .selectors import register_book_rows

INCOMING_COLUMNS = [
    ("Ngày đến", 12),
    ("Số đến", 8),
    ("Tác giả", 28),
    ("Số, ký hiệu", 16),
    ("Ngày tháng", 12),
    ("Tên loại và trích yếu nội dung", 50),
    ("Đơn vị hoặc người nhận", 24),
    ("Ký nhận", 12),
    ("Ghi chú", 20),
]
OUTGOING_COLUMNS = [
    ("Số, ký hiệu văn bản", 18),
    ("Ngày tháng văn bản", 12),
    ("Tên loại và trích yếu nội dung", 50),
    ("Người ký", 22),
    ("Nơi nhận văn bản", 32),
    ("Đơn vị, người nhận bản lưu", 20),
    ("Số lượng bản", 8),
    ("Ngày chuyển", 12),
    ("Ký nhận", 12),
    ("Ghi chú", 20),
]


def _d(value) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def register_book_values(*, register: Register, year: int) -> Iterator[list]:
    """The cell values of the register book's rows, in the columns of the Decree 30 register form."""
    incoming = register.kind == RegisterKind.INCOMING
    for doc in register_book_rows(register=register, year=year):
        if incoming:
            units = ([doc["lead_unit__short_name"]] if doc["lead_unit__short_name"] else []) + doc["related"]
            yield [
                _d(timezone.localtime(doc["received_at"])),
                doc["number"],
                doc["sender"],
                doc["sender_symbol"],
                _d(doc["sender_date"]),
                f"{doc['doc_type__name']}: {doc['summary']}",
                ", ".join(units),
                "",
                "Bản giấy" if not doc["is_electronic"] else "",
            ]
        else:
            recipients = doc["related"]
            yield [
                doc["symbol"],
                _d(doc["issued_date"]),
                f"{doc['doc_type__name']}: {doc['summary']}",
                doc["signer"],
                "; ".join(recipients),
                doc["drafting_unit__short_name"] or "",
                len(recipients) or "",
                _d(timezone.localtime(doc["dispatched_at"])) if doc["dispatched_at"] else "",
                "",
                "",
            ]


def register_book(*, register: Register, year: int):
    """The register's book of a year as a write-only workbook (a few queries whatever the number of rows)."""
    wb = xlsx.workbook()
    incoming = register.kind == RegisterKind.INCOMING
    sheet = xlsx.Sheet(
        wb,
        f"{year}",
        INCOMING_COLUMNS if incoming else OUTGOING_COLUMNS,
        titles=[register.agency.name.upper(), f"{register.name.upper()} NĂM {year}"],
        big_titles=2,
        centered=True,
        landscape=True,
    )
    for values in register_book_values(register=register, year=year):
        sheet.row(values)
    return wb


def register_book_xlsx(*, register: Register, year: int) -> bytes:
    return xlsx.to_bytes(register_book(register=register, year=year))
