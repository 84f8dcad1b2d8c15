"""The CCHC report as an official document (Decree 30 layout), DOCX and PDF, from `selectors.cchc_report`."""

from datetime import date

from django.utils import timezone

from motcua.core.models import Agency
from motcua.core.rendering import DocSpec, render_docx, render_pdf

from .selectors import CchcReport, cchc_report, vn_pct

FORMATS = {
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", render_docx),
    "pdf": ("application/pdf", render_pdf),
}


def report_spec(report: CchcReport, *, signed_on: date | None = None) -> DocSpec:
    agency = report.agency
    spec = DocSpec(
        parent_name=agency.parent_name or "Ủy ban nhân dân tỉnh",
        agency_name=agency.name,
        number=f"Số:      /BC-{agency.short_name}",
        place=(agency.province or "").split("(")[0].strip() or "Tỉnh",
        on=signed_on or min(timezone.localdate(), report.end),
        title="Báo cáo",
        subtitle=f"Kết quả thực hiện công tác cải cách hành chính năm {report.year}",
        signature_title="Trưởng ban" if agency.short_name == "BQL" else "Thủ trưởng cơ quan",
        recipients=["UBND tỉnh (b/c)", "Sở Nội vụ", "Lưu: VT"],
    )
    spec.para(
        f"Kỳ báo cáo: từ ngày {report.start:%d/%m/%Y} đến ngày {report.end:%d/%m/%Y}. Số liệu danh mục TTHC tính đến "
        f"ngày {report.on:%d/%m/%Y}. Mọi số liệu được tổng hợp tự động từ dữ liệu của hệ thống."
    )
    for section in report.sections:
        spec.heading(f"{section.number}. {section.title.upper()}")
        for text in section.paragraphs:
            spec.para(text)
        if section.figures:
            rows = []
            for i, f in enumerate(section.figures, start=1):
                rows.append([str(i), f.label, f.text, f.percent if f.of else ""])
            spec.table(["TT", "Chỉ tiêu", "Số liệu", "Tỷ lệ"], rows, widths_mm=[10, 105, 30, 20])
        if section.table and section.table[1]:
            header, rows = section.table
            spec.table(header, rows)
    return spec


def cchc_report_file(*, agency: Agency, year: int, fmt: str, today: date | None = None) -> tuple[bytes, str, str]:
    """(content, content type, file name) of the report in `fmt` (docx or pdf)."""
    if fmt not in FORMATS:
        raise ValueError(f"Định dạng không hỗ trợ: {fmt}")
    content_type, render = FORMATS[fmt]
    report = cchc_report(agency=agency, year=year, today=today)
    data = render(report_spec(report))
    return data, content_type, f"bao-cao-cchc-{agency.short_name.lower()}-{year}.{fmt}"


__all__ = ["cchc_report_file", "report_spec", "vn_pct"]
