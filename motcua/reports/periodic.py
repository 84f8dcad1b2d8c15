"""Periodic reports on administrative procedures (Circular 01/2020/TT-VPCP of 21/10/2020, the reporting regime on
administrative procedure control and the one-stop mechanism): the form on the situation and results of handling
administrative procedures at the agency that handles them (Biểu số 06/VPCP/KSTT), by field and by agency, and the
one-stop desk's full statistics, for a quarter, a half-year or a year. Generated from records, as XLSX and DOCX/PDF.

Every figure is the one-stop desk's statistics table (`motcua.dossiers.statistics.statistics_table`, the table of
/mot-cua/thong-ke/): nothing is counted here, the form only arranges its columns. The CCHC report's one-stop figures
(selectors.cchc_report, section IV) read `one_stop_totals` below, so the three agree.

The form's columns and where each comes from are in docs/periodic-reports.md (with what must be checked against
the circular's annex)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core import xlsx
from motcua.core.errors import ValidationFailed
from motcua.core.models import Agency
from motcua.core.rendering import DocSpec, render_docx, render_pdf
from motcua.dossiers.statistics import STAT_COLUMNS, STAT_KEYS, statistics_table

from .index766.periods import Period, parse_period

FORM_CODE = "06/VPCP/KSTT"
FORM_TITLE = "Tình hình, kết quả giải quyết thủ tục hành chính tại cơ quan, đơn vị trực tiếp giải quyết thủ tục hành chính"
CIRCULAR = "Thông tư số 01/2020/TT-VPCP ngày 21/10/2020 của Văn phòng Chính phủ"
KINDS = {"quarter", "half", "year"}  # the circular's periods: quarterly, six-monthly, yearly

# The form's numbered columns (3–13; 1 is TT, 2 the field or agency), each as a sum of statistics-table columns.
FORM_COLUMNS: list[tuple[str, str, tuple[str, ...]]] = [
    ("received", "Số hồ sơ nhận giải quyết — Tổng số", ("carried_over", "new_total")),
    ("received_online", "Trong kỳ — trực tuyến", ("new_online",)),
    ("received_direct", "Trong kỳ — trực tiếp, dịch vụ bưu chính", ("new_counter", "new_postal")),
    ("carried_over", "Từ kỳ trước", ("carried_over",)),
    # Withdrawn, refused and stopped dossiers are done with in the period: counted among those handled (on time),
    # as the reference renderings of the form note "bao gồm cả hồ sơ trả lại / xin rút" (to check, docs).
    ("finished", "Đã giải quyết — Tổng số", ("finished_total", "closed_other")),
    ("finished_early", "Đã giải quyết — Trước hạn", ("finished_early",)),
    ("finished_on_time", "Đã giải quyết — Đúng hạn", ("finished_on_time", "closed_other")),
    ("finished_late", "Đã giải quyết — Quá hạn", ("finished_late",)),
    # Paused dossiers (awaiting a supplement or a fee) are still being handled, within the deadline: the clock stops.
    ("processing", "Đang giải quyết — Tổng số", ("processing_total", "paused")),
    ("processing_within", "Đang giải quyết — Trong hạn", ("processing_within", "paused")),
    ("processing_late", "Đang giải quyết — Quá hạn", ("processing_late",)),
]
FORM_KEYS = [k for k, _label, _src in FORM_COLUMNS]


def report_period(text: str, *, today: date | None = None) -> Period:
    """A quarter (2026-Q3), half-year (2026-H1) or year (2026) that has started; 400 otherwise."""
    period = parse_period(text)
    today = today or timezone.localdate()
    if period.kind not in KINDS:
        raise ValidationFailed(fields={"period": [_("Kỳ báo cáo định kỳ là quý (2026-Q3), 6 tháng (2026-H1) hoặc năm (2026).")]})
    if period.start > today or period.start.year < 2000:
        raise ValidationFailed(fields={"period": [_("Kỳ báo cáo phải từ năm 2000 và đã bắt đầu.")]})
    return period


def data_window(period: Period, *, cutoff_day: int | None = None) -> tuple[date, date]:
    """The dates the figures cover: the calendar period, or with `cutoff_day` (15: Decree 09/2019/NĐ-CP's cut-off,
    to check) from that day of the month before the period to the day before it in the period's last month."""
    if not cutoff_day:
        return period.start, period.end
    before = period.start - timedelta(days=1)
    return date(before.year, before.month, cutoff_day), date(period.end.year, period.end.month, cutoff_day - 1)


def form_values(stat: dict[str, int]) -> dict[str, int]:
    """The form's columns 3–13 from one row of the statistics table."""
    return {key: sum(stat[s] for s in sources) for key, _label, sources in FORM_COLUMNS}


@dataclass
class FormRow:
    label: str
    values: dict[str, int]  # FORM_KEYS

    @property
    def cells(self) -> list[int]:
        return [self.values[k] for k in FORM_KEYS]


@dataclass
class PeriodicReport:
    agency: Agency
    period: Period
    start: date
    end: date
    as_of: object  # the moment "at the end of the period" is judged (min(end, now))
    by_field: list[FormRow]
    by_agency: list[FormRow]
    total: dict[str, int]
    desk_rows: list[tuple[str, dict[str, int]]]  # the desk's statistics by field (every column)
    desk_total: dict[str, int]

    @property
    def total_cells(self) -> list[tuple[str, int]]:
        return [(k, self.total[k]) for k in FORM_KEYS]

    @property
    def on_time_rate(self) -> str:
        done = self.total["finished"]
        if not done:
            return "—"
        return f"{(self.total['finished_early'] + self.total['finished_on_time']) * 100 / done:.1f}".replace(".", ",") + " %"


def periodic_report(
    *, agency: Agency, period: Period, cutoff_day: int | None = None, now=None, summary: bool = True
) -> PeriodicReport:
    """The form of `agency` (rolled up with the agencies below it) for `period`: two readings of the one-stop
    desk's statistics table (by field, by agency); the calendar period reads the table's monthly summary for its
    closed months (`summary=False`: counted from the dossiers), a window with a cut-off day is counted from them."""
    start, end = data_window(period, cutoff_day=cutoff_day)
    by_field = statistics_table(agency=agency, start=start, end=end, group_by=("field",), now=now, summary=summary)
    by_agency = statistics_table(agency=agency, start=start, end=end, group_by=("agency",), now=now, summary=summary)
    return PeriodicReport(
        agency=agency,
        period=period,
        start=start,
        end=end,
        as_of=by_field.as_of,
        by_field=[FormRow(r.labels["field"], form_values(r.values)) for r in by_field.rows],
        by_agency=[FormRow(r.labels["agency"], form_values(r.values)) for r in by_agency.rows],
        total=form_values(by_field.total),
        desk_rows=[(r.labels["field"], r.values) for r in by_field.rows],
        desk_total=by_field.total,
    )


def one_stop_totals(*, agency: Agency, start: date, end: date, now=None) -> dict[str, int]:
    """The desk's statistics of [start, end] in total (every column of STAT_KEYS) — the figures of the CCHC report's
    one-stop section, the same table as the periodic form's."""
    return statistics_table(agency=agency, start=start, end=end, group_by=(), now=now).total


# ---------------------------------------------------------------------------------------------- files

PERIOD_NAMES = {"quarter": "quý", "half": "6 tháng", "year": "năm"}


def period_phrase(period: Period) -> str:
    if period.kind == "quarter":
        return f"quý {period.key[-1]} năm {period.start.year}"
    if period.kind == "half":
        return f"6 tháng {'đầu' if period.key.endswith('1') else 'cuối'} năm {period.start.year}"
    return f"năm {period.start.year}"


def _form_table_rows(rows: list[FormRow], total: dict[str, int]) -> list[list]:
    out = [[i, r.label, *(r.values[k] for k in FORM_KEYS)] for i, r in enumerate(rows, start=1)]
    out.append(["", "Tổng cộng", *(total[k] for k in FORM_KEYS)])
    return out


def form_header() -> list[str]:
    return ["TT", "Lĩnh vực, công việc giải quyết", *(label for _k, label, _s in FORM_COLUMNS)]


def report_spec(report: PeriodicReport) -> DocSpec:
    """The report as an official document (Decree 30 layout): the form by field, then by agency, and the desk's
    statistics; rendered to DOCX and PDF by core.rendering."""
    agency = report.agency
    spec = DocSpec(
        parent_name=agency.parent_name or "Ủy ban nhân dân tỉnh",
        agency_name=agency.name,
        number=f"Số:      /BC-{agency.short_name}",
        place=(agency.province or "").split("(")[0].strip() or "Tỉnh",
        on=min(timezone.localdate(), report.period.end + timedelta(days=15)),
        title="Báo cáo",
        subtitle=f"Tình hình, kết quả giải quyết thủ tục hành chính {period_phrase(report.period)}",
        signature_title="Thủ trưởng cơ quan",
        recipients=["Văn phòng UBND tỉnh (b/c)", "Lưu: VT"],
    )
    spec.para(
        f"Biểu số {FORM_CODE} ban hành kèm theo {CIRCULAR}. Kỳ báo cáo: {period_phrase(report.period)}; số liệu từ ngày "
        f"{report.start:%d/%m/%Y} đến ngày {report.end:%d/%m/%Y}, tổng hợp tự động từ hồ sơ trên hệ thống (cơ quan và các "
        "đơn vị trực thuộc). Đơn vị tính: số hồ sơ thủ tục hành chính."
    )
    t = report.total
    spec.para(
        f"Trong kỳ nhận giải quyết {t['received']} hồ sơ (trực tuyến {t['received_online']}, trực tiếp và qua dịch vụ "
        f"bưu chính công ích {t['received_direct']}, từ kỳ trước chuyển sang {t['carried_over']}); đã giải quyết "
        f"{t['finished']} hồ sơ (trước hạn {t['finished_early']}, đúng hạn {t['finished_on_time']}, quá hạn "
        f"{t['finished_late']}); đang giải quyết {t['processing']} hồ sơ (trong hạn {t['processing_within']}, quá hạn "
        f"{t['processing_late']}). Tỷ lệ giải quyết trước và đúng hạn: {report.on_time_rate}."
    )
    widths = [8, 34] + [11.6] * len(FORM_KEYS)
    spec.heading(f"I. {FORM_TITLE.upper()} — THEO LĨNH VỰC")
    spec.table(form_header(), _form_table_rows(report.by_field, t), widths_mm=widths)
    spec.heading("II. THEO CƠ QUAN, ĐƠN VỊ")
    agency_header = ["TT", "Cơ quan, đơn vị", *(label for _k, label, _s in FORM_COLUMNS)]
    spec.table(agency_header, _form_table_rows(report.by_agency, t), widths_mm=widths)
    spec.heading("III. THỐNG KÊ CỦA BỘ PHẬN MỘT CỬA THEO KÊNH, LĨNH VỰC VÀ TIẾN ĐỘ")
    spec.table(
        ["Lĩnh vực", *(label for _k, label in STAT_COLUMNS)],
        [[label, *(values[k] for k in STAT_KEYS)] for label, values in report.desk_rows]
        + [["Tổng cộng", *(report.desk_total[k] for k in STAT_KEYS)]],
        widths_mm=[30] + [8.75] * len(STAT_KEYS),
    )
    return spec


def report_xlsx(report: PeriodicReport) -> bytes:
    """Three sheets: the form by field, by agency, and the desk's statistics by field (numbers as numbers)."""
    book = xlsx.workbook()
    titles = [
        f"Biểu số {FORM_CODE} — {FORM_TITLE}",
        f"Ban hành kèm theo {CIRCULAR}",
        f"Đơn vị báo cáo: {report.agency.name}",
        f"Kỳ báo cáo: {period_phrase(report.period)} (từ ngày {report.start:%d/%m/%Y} đến ngày {report.end:%d/%m/%Y})",
        "Đơn vị tính: Số hồ sơ TTHC",
    ]
    form_cols = [("TT", 6), ("Lĩnh vực, công việc giải quyết", 40)] + [(label, 14) for _k, label, _s in FORM_COLUMNS]
    sheet = xlsx.Sheet(book, "Biểu 06 theo lĩnh vực", form_cols, titles=titles, big_titles=1, landscape=True)
    for row in _form_table_rows(report.by_field, report.total):
        sheet.row(row, bold=row[0] == "")
    agency_cols = [("TT", 6), ("Cơ quan, đơn vị", 40)] + form_cols[2:]
    sheet = xlsx.Sheet(book, "Biểu 06 theo cơ quan", agency_cols, titles=titles, big_titles=1, landscape=True)
    for row in _form_table_rows(report.by_agency, report.total):
        sheet.row(row, bold=row[0] == "")
    desk_cols = [("Lĩnh vực", 40)] + [(label, 14) for _k, label in STAT_COLUMNS]
    sheet = xlsx.Sheet(book, "Thống kê một cửa", desk_cols, titles=titles[2:4], big_titles=0)
    for label, values in report.desk_rows:
        sheet.row([label, *(values[k] for k in STAT_KEYS)])
    sheet.row(["Tổng cộng", *(report.desk_total[k] for k in STAT_KEYS)], bold=True)
    return xlsx.to_bytes(book)


FORMATS = {
    "xlsx": xlsx.XLSX_TYPE,
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


def report_file(report: PeriodicReport, fmt: str) -> tuple[bytes, str, str]:
    """(content, content type, file name) of the report in xlsx, docx or pdf."""
    if fmt not in FORMATS:
        raise ValidationFailed(fields={"fmt": [_("Định dạng không hỗ trợ.")]})
    if fmt == "xlsx":
        data = report_xlsx(report)
    else:
        data = (render_docx if fmt == "docx" else render_pdf)(report_spec(report))
    name = f"bao-cao-tthc-{report.agency.short_name.lower()}-{report.period.key.lower()}.{fmt}"
    return data, FORMATS[fmt], name
