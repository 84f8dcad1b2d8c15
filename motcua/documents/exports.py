"""The register as the printed register book (XLSX), columns as in the Decree 30 register forms."""

from io import BytesIO

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from .models import Register, RegisterKind
from .selectors import register_book_rows

INCOMING_COLUMNS = [("Ngày đến", 12), ("Số đến", 8), ("Tác giả", 28), ("Số, ký hiệu", 16), ("Ngày tháng", 12),
                    ("Tên loại và trích yếu nội dung", 50), ("Đơn vị hoặc người nhận", 24), ("Ký nhận", 12), ("Ghi chú", 20)]
OUTGOING_COLUMNS = [("Số, ký hiệu văn bản", 18), ("Ngày tháng văn bản", 12), ("Tên loại và trích yếu nội dung", 50),
                    ("Người ký", 22), ("Nơi nhận văn bản", 32), ("Đơn vị, người nhận bản lưu", 20), ("Số lượng bản", 8),
                    ("Ngày chuyển", 12), ("Ký nhận", 12), ("Ghi chú", 20)]


def _d(value) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def register_book_xlsx(*, register: Register, year: int) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = f"{year}"
    incoming = register.kind == RegisterKind.INCOMING
    columns = INCOMING_COLUMNS if incoming else OUTGOING_COLUMNS
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    ws.append([register.agency.name.upper()])
    ws.append([f"{register.name.upper()} NĂM {year}"])
    ws.append([])
    ws.append([c for c, _ in columns])
    last = get_column_letter(len(columns))
    for row in (1, 2):
        ws.merge_cells(f"A{row}:{last}{row}")
        ws[f"A{row}"].font = Font(bold=True, size=13)
        ws[f"A{row}"].alignment = Alignment(horizontal="center")
    for index, (_, width) in enumerate(columns, start=1):
        cell = ws.cell(row=4, column=index)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = border
        ws.column_dimensions[get_column_letter(index)].width = width
    for doc in register_book_rows(register=register, year=year):
        if incoming:
            units = [doc.lead_unit.short_name] if doc.lead_unit_id else []
            units += [u.short_name for u in doc.coordinating_units.all()]
            values = [_d(timezone.localtime(doc.received_at)), doc.number, doc.sender, doc.sender_symbol, _d(doc.sender_date),
                      f"{doc.doc_type.name}: {doc.summary}", ", ".join(units), "",
                      "Bản giấy" if not doc.is_electronic else ""]
        else:
            recipients = [r.name for r in doc.recipients.all()]
            values = [doc.symbol, _d(doc.issued_date), f"{doc.doc_type.name}: {doc.summary}",
                      doc.signer.display_name if doc.signer_id else "", "; ".join(recipients),
                      doc.drafting_unit.short_name if doc.drafting_unit_id else "", len(recipients) or "",
                      _d(timezone.localtime(doc.dispatched_at)) if doc.dispatched_at else "", "", ""]
        ws.append(values)
        for index in range(1, len(columns) + 1):
            cell = ws.cell(row=ws.max_row, column=index)
            cell.border = border
            cell.alignment = Alignment(vertical="top", wrap_text=True)
    ws.freeze_panes = "A5"
    ws.print_title_rows = "4:4"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
