"""The slips the one-stop desk hands out (Decree 118/2025, forms of Circular 03/2025/TT-VPCP), as A4 PDF.

Each builder reads a dossier (read-only) and returns the PDF bytes. The output is deterministic
(ReportLab's invariant mode, dates taken from the records, never from the clock), so printing the same
slip twice gives the same bytes and the same SHA-256: services.slip_issue stores a new version only when
the content changed.

BM.01 receipt and appointment · BM.02 request to complete · BM.03 refusal · BM.04 apology and new date ·
BM.05 processing control slip. Every slip carries the national header, the agency and a QR code to the
public lookup page `{SITE_URL}/tra-cuu/?ma={code}` (`dossiers.notifications.lookup_url`).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from io import BytesIO
from xml.sax.saxutils import escape

from django.utils import timezone
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from motcua.core import pdf
from motcua.dossiers import postal
from motcua.dossiers.notifications import lookup_url

from .models import SlipKind

PAGE_LEFT = 20 * mm
PAGE_RIGHT = 10 * mm
CONTENT_WIDTH = A4[0] - PAGE_LEFT - PAGE_RIGHT  # 180 mm: the width of core.pdf.national_header


SLIP_TITLES = {
    SlipKind.BM01: "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
    SlipKind.BM02: "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ",
    SlipKind.BM03: "PHIẾU TỪ CHỐI TIẾP NHẬN, GIẢI QUYẾT HỒ SƠ",
    SlipKind.BM04: "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ",
    SlipKind.BM05: "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ",
}
SLIP_FORMS = {
    SlipKind.BM01: "Mẫu số 01",
    SlipKind.BM02: "Mẫu số 02",
    SlipKind.BM03: "Mẫu số 03",
    SlipKind.BM04: "Mẫu số 04",
    SlipKind.BM05: "Mẫu số 05",
}

TIMELINESS_LABELS = {"early": "Trước hạn", "on_time": "Đúng hạn", "late": "Trễ hạn"}


# ---------------------------------------------------------------- formatting helpers


def fmt_date(value) -> str:
    if value is None:
        return ""
    if hasattr(value, "tzinfo"):
        value = timezone.localtime(value)
    return f"{value:%d/%m/%Y}"


def fmt_moment(value) -> str:
    """'09 giờ 30 phút, ngày 08/10/2026' in local time (the wording of the forms)."""
    if value is None:
        return ""
    local = timezone.localtime(value)
    return f"{local:%H} giờ {local:%M} phút, ngày {local:%d/%m/%Y}"


def fmt_short(value) -> str:
    if value is None:
        return ""
    return f"{timezone.localtime(value):%H:%M %d/%m/%Y}"


def fmt_amount(value) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        value = value.normalize()
        return f"{value:f}".replace(".", ",")
    return str(value)


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(text, style)


def _e(value) -> str:
    return escape(str(value or ""))


@dataclass
class Styles:
    body: ParagraphStyle
    small: ParagraphStyle
    center: ParagraphStyle
    center_bold: ParagraphStyle
    title: ParagraphStyle
    italic_center: ParagraphStyle
    bold: ParagraphStyle
    cell: ParagraphStyle
    cell_bold: ParagraphStyle


def _styles() -> Styles:
    st = pdf.styles()
    cell = ParagraphStyle("cell", parent=st["body"], fontSize=11, leading=13.5)
    return Styles(
        body=st["body"],
        small=st["small"],
        center=st["center"],
        center_bold=st["center_bold"],
        title=st["title"],
        italic_center=st["italic_center"],
        bold=st["bold"],
        cell=cell,
        cell_bold=ParagraphStyle("cell_bold", parent=cell, fontName=pdf.SERIF_BOLD),
    )


# ---------------------------------------------------------------- reading the records


def _agency(dossier):
    return dossier.agency


def _place(agency) -> str:
    return agency.province or agency.name


def _procedure_name(dossier) -> str:
    return dossier.procedure_version.name


def _time_phrase(version) -> str:
    amount = version.effective_time
    if amount is None:
        return version.time_note or "theo quy định"
    return f"{fmt_amount(amount)} {version.get_time_unit_display()}"


def _event(dossier, *actions: str):
    """The latest timeline event with one of the actions (or None)."""
    events = [e for e in dossier.events.all() if e.action in actions]
    return events[-1] if events else None


def _event_to(dossier, status: str):
    events = [e for e in dossier.events.all() if e.status_to == status]
    return events[-1] if events else None


def _person(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def _applicant_id(dossier) -> str:
    return dossier.applicant_id_number or dossier.applicant_tax_code or ""


def _component_rows(dossier) -> list[tuple[str, int, int]]:
    """The documents received: every paper recorded at reception, scanned or not (ReceivedPaper);
    for dossiers received before papers were recorded, the components the files were filed under,
    else the version's list."""
    papers = list(dossier.papers.all())
    if papers:
        return [(p.name, p.originals, p.copies) for p in papers]
    seen, rows = set(), []
    for f in dossier.files.all():
        comp = f.component
        if f.kind != "component" or comp is None or comp.pk in seen:
            continue
        seen.add(comp.pk)
        rows.append((comp.name, comp.originals, comp.copies))
    if not rows:
        rows = [(c.name, c.originals, c.copies) for c in dossier.procedure_version.components.all()]
    return rows


def _sequence_number(code: str) -> str:
    return code.rsplit("-", 1)[-1] if "-" in code else ""


# ---------------------------------------------------------------- layout pieces


def _header(dossier, st: Styles, kind: str, day) -> list:
    agency = _agency(dossier)
    place_date = pdf.vn_date_phrase(_place(agency), day) if day else ""
    flow = [
        _p(f"<i>{SLIP_FORMS[kind]}</i>", ParagraphStyle("form", parent=st.small, alignment=2)),
        pdf.national_header(parent_name=agency.superior_name, agency_name=agency.name, place_date=place_date),
        Spacer(1, 4 * mm),
        _p(SLIP_TITLES[kind], st.title),
    ]
    return flow


def _code_and_qr(dossier, st: Styles, extra: list[str] | None = None) -> Table:
    url = lookup_url(dossier.code)
    left = [_p(f"Mã hồ sơ: <b>{_e(dossier.code)}</b>", st.body)]
    for line in extra or []:
        left.append(_p(line, st.body))
    left.append(
        _p(
            f"Tra cứu tình trạng hồ sơ: quét mã QR hoặc vào {_e(url)}, nhập số định danh cá nhân, "
            "mã số doanh nghiệp hoặc mã tra cứu của hồ sơ.",
            st.small,
        )
    )
    table = Table([[left, pdf.qr_image(url, size_mm=30)]], colWidths=[CONTENT_WIDTH - 36 * mm, 36 * mm])
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("ALIGN", (1, 0), (1, 0), "RIGHT"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return table


def _signatures(st: Styles, left: tuple[str, str, str] | None, right: tuple[str, str, str]) -> KeepTogether:
    def block(title: str, hint: str, name: str) -> list:
        return [
            _p(f"<b>{title}</b>", st.center_bold),
            _p(f"<i>{hint}</i>", st.italic_center),
            Spacer(1, 18 * mm),
            _p(f"<b>{_e(name)}</b>", st.center_bold),
        ]

    left_block = block(*left) if left else [_p("", st.center)]
    table = Table([[left_block, block(*right)]], colWidths=[CONTENT_WIDTH / 2, CONTENT_WIDTH / 2])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return KeepTogether([Spacer(1, 6 * mm), table])


def _grid(rows: list[list], widths: list[float], header_rows: int = 1) -> Table:
    table = Table(rows, colWidths=widths, repeatRows=header_rows)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BACKGROUND", (0, 0), (-1, header_rows - 1), colors.HexColor("#eeeeee")),
            ]
        )
    )
    return table


def _applicant_lines(dossier, st: Styles, intro: str) -> list:
    lines = [_p(f"{intro}: <b>{_e(dossier.applicant_name)}</b>", st.body)]
    if dossier.applicant_kind == "organisation":
        if dossier.applicant_tax_code:
            lines.append(_p(f"Mã số doanh nghiệp/mã số thuế: {_e(dossier.applicant_tax_code)}", st.body))
        if dossier.applicant_representative:
            lines.append(_p(f"Người đại diện theo pháp luật: {_e(dossier.applicant_representative)}", st.body))
    elif dossier.applicant_id_number:
        lines.append(_p(f"Số định danh cá nhân: {_e(dossier.applicant_id_number)}", st.body))
    if dossier.applicant_address:
        lines.append(_p(f"Địa chỉ: {_e(dossier.applicant_address)}", st.body))
    contact = []
    if dossier.applicant_phone:
        contact.append(f"Số điện thoại: {_e(dossier.applicant_phone)}")
    if dossier.applicant_email:
        contact.append(f"Thư điện tử: {_e(dossier.applicant_email)}")
    if contact:
        lines.append(_p(" &nbsp; ".join(contact), st.body))
    if dossier.authorised_name:
        auth = f"Người được ủy quyền: {_e(dossier.authorised_name)}"
        if dossier.authorised_id_number:
            auth += f", số định danh cá nhân: {_e(dossier.authorised_id_number)}"
        lines.append(_p(auth, st.body))
    return lines


# ReportLab's font registry and font objects are process-wide and not documented as thread-safe: in a
# threaded server, slip builds are serialised (a slip takes tens of milliseconds).
_BUILD_LOCK = threading.Lock()


def _render(flowables: list, *, title: str, code: str, author: str) -> bytes:
    buffer = BytesIO()
    doc = SimpleDocTemplate(
        # the frame pads 6 pt on each side: margins are set so that its inside is exactly CONTENT_WIDTH
        buffer,
        pagesize=A4,
        leftMargin=PAGE_LEFT - 6,
        rightMargin=PAGE_RIGHT - 6,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
        title=f"{title} — {code}",
        author=author,
        subject=code,
        creator="motcua",
        invariant=1,
    )
    with _BUILD_LOCK:
        doc.build(flowables)
    return buffer.getvalue()


# ---------------------------------------------------------------- the five slips


def render_bm01(dossier, *, lookup_secret: str = "") -> bytes:
    """Receipt and appointment. `lookup_secret`: the private lookup code, known only at reception
    (only its hash is stored), printed when given."""
    st = _styles()
    accepted_at = dossier.accepted_at or dossier.received_at
    agency = _agency(dossier)
    version = dossier.procedure_version
    event = _event(dossier, "accept", "receive", "intake", "create") or _event_to(dossier, "accepted")
    officer = _person(event.actor) if event and event.actor_id else _person(dossier.created_by)
    flow = _header(dossier, st, SlipKind.BM01, timezone.localtime(accepted_at).date())
    flow.append(_code_and_qr(dossier, st, [f"Kênh tiếp nhận: {_e(dossier.get_channel_display())}"]))
    flow.append(Spacer(1, 3 * mm))
    centre = dossier.receiving_agency if dossier.receiving_agency_id else None
    if centre is not None:
        # Received at the service centre for the deciding agency: the receipt names both.
        flow.append(
            _p(
                f"{_e(centre.name)} đã tiếp nhận hồ sơ thuộc thẩm quyền giải quyết của "
                f"<b>{_e(agency.name)}</b> (cơ quan giải quyết) của:",
                st.body,
            )
        )
    else:
        flow.append(_p(f"Bộ phận Một cửa {_e(agency.name)} đã tiếp nhận hồ sơ của:", st.body))
    flow += _applicant_lines(dossier, st, "Tên cá nhân, tổ chức")
    flow.append(_p(f"Nội dung yêu cầu giải quyết: <b>{_e(_procedure_name(dossier))}</b>", st.body))
    flow.append(_p("1. Thành phần hồ sơ và số lượng mỗi loại giấy tờ gồm:", st.body))
    rows = [
        [
            _p("<b>STT</b>", st.cell),
            _p("<b>Tên giấy tờ</b>", st.cell),
            _p("<b>Bản chính</b>", st.cell),
            _p("<b>Bản sao</b>", st.cell),
        ]
    ]
    for i, (name, originals, copies) in enumerate(_component_rows(dossier), start=1):
        rows.append([_p(str(i), st.cell), _p(_e(name), st.cell), _p(str(originals), st.cell), _p(str(copies), st.cell)])
    flow.append(_grid(rows, [12 * mm, CONTENT_WIDTH - 52 * mm, 20 * mm, 20 * mm]))
    flow.append(Spacer(1, 2 * mm))
    flow.append(_p("2. Số lượng hồ sơ: 01 bộ", st.body))
    flow.append(_p(f"3. Thời gian giải quyết hồ sơ theo quy định là: {_e(_time_phrase(version))}", st.body))
    flow.append(_p(f"4. Thời gian nhận hồ sơ: {fmt_moment(accepted_at)}", st.body))
    flow.append(_p(f"5. Thời gian trả kết quả giải quyết hồ sơ: <b>{fmt_moment(dossier.due_at)}</b>", st.body))
    flow.append(_p(f"6. Hình thức nhận kết quả: {_e(dossier.get_result_delivery_display())}", st.body))
    if dossier.return_address:
        flow.append(_p(f"Địa chỉ nhận kết quả: {_e(dossier.return_address)}", st.body))
    # Tracking codes the postal operator gave (pickup of the papers, delivery of the result; dossiers.postal).
    for order in postal.orders_of(dossier):
        if order.tracking_code:
            kind = _e(order.get_kind_display().lower())
            flow.append(_p(f"Số hiệu bưu gửi ({kind}): <b>{_e(order.tracking_code)}</b>", st.body))
    flow.append(_p(f"Vào Sổ theo dõi hồ sơ, số thứ tự: {_e(_sequence_number(dossier.code))}", st.body))
    if lookup_secret:
        flow.append(_p(f"Mã tra cứu hồ sơ (giữ kín, dùng để tra cứu trực tuyến): <b>{_e(lookup_secret)}</b>", st.body))
    flow.append(
        _signatures(
            st,
            ("NGƯỜI NỘP HỒ SƠ", "(Ký và ghi rõ họ tên)", dossier.applicant_name),
            ("NGƯỜI TIẾP NHẬN HỒ SƠ", "(Ký và ghi rõ họ tên)", officer),
        )
    )
    return _render(flow, title=SLIP_TITLES[SlipKind.BM01], code=dossier.code, author=agency.name)


def _latest_supplement(dossier):
    requests = list(dossier.supplement_requests.all())
    return requests[-1] if requests else None


def render_bm02(dossier) -> bytes:
    """Request to complete the dossier: the latest supplement request."""
    st = _styles()
    agency = _agency(dossier)
    request = _latest_supplement(dossier)
    if request is None:
        raise LookupError("no supplement request")
    officer = request.requested_by
    flow = _header(dossier, st, SlipKind.BM02, timezone.localtime(request.requested_at).date())
    flow.append(_code_and_qr(dossier, st, [f"Yêu cầu lúc: {fmt_moment(request.requested_at)}"]))
    flow.append(Spacer(1, 3 * mm))
    flow += _applicant_lines(dossier, st, "Hồ sơ của")
    flow.append(_p(f"Nội dung yêu cầu giải quyết: <b>{_e(_procedure_name(dossier))}</b>", st.body))
    flow.append(
        _p(f"Sau khi xem xét, {_e(agency.name)} đề nghị ông/bà bổ sung, hoàn thiện hồ sơ gồm những nội dung sau:", st.body)
    )
    for i, item in enumerate(request.items or [], start=1):
        flow.append(_p(f"{i}. {_e(item)}", st.body))
    if request.note:
        flow.append(_p(f"Lý do: {_e(request.note)}", st.body))
    contact = _person(officer)
    phone = getattr(officer, "phone", "") if officer else ""
    if contact:
        tail = f", số điện thoại {_e(phone)}" if phone else ""
        flow.append(
            _p(
                f"Trong quá trình hoàn thiện hồ sơ, nếu có vướng mắc, ông/bà liên hệ cán bộ {_e(contact)}{tail} "
                "để được hướng dẫn.",
                st.body,
            )
        )
    flow.append(_p("Thời gian bổ sung hồ sơ không tính vào thời hạn giải quyết.", st.body))
    flow.append(_signatures(st, None, ("NGƯỜI HƯỚNG DẪN", "(Ký và ghi rõ họ tên)", contact)))
    return _render(flow, title=SLIP_TITLES[SlipKind.BM02], code=dossier.code, author=agency.name)


def _refusal(dossier):
    return _event_to(dossier, "refused") or _event(dossier, "refuse")


def render_bm03(dossier) -> bytes:
    """Refusal, with the reason."""
    st = _styles()
    agency = _agency(dossier)
    event = _refusal(dossier)
    at = event.at if event else dossier.updated_at
    reason = (event.note if event and event.note else "") or dossier.outcome_note
    officer = _person(event.actor) if event and event.actor_id else ""
    flow = _header(dossier, st, SlipKind.BM03, timezone.localtime(at).date())
    flow.append(_code_and_qr(dossier, st))
    flow.append(Spacer(1, 3 * mm))
    flow.append(_p(f"Bộ phận Một cửa {_e(agency.name)} tiếp nhận hồ sơ lúc {fmt_moment(dossier.received_at)}.", st.body))
    flow += _applicant_lines(dossier, st, "Hồ sơ của")
    flow.append(_p(f"Nội dung yêu cầu giải quyết: <b>{_e(_procedure_name(dossier))}</b>", st.body))
    flow.append(_p("Qua xem xét, cơ quan thông báo không tiếp nhận, giải quyết hồ sơ này với lý do cụ thể như sau:", st.body))
    flow.append(_p(f"<b>{_e(reason)}</b>", st.body))
    flow.append(_p("Xin thông báo để ông/bà được biết và thực hiện./.", st.body))
    flow.append(_signatures(st, None, ("NGƯỜI TIẾP NHẬN HỒ SƠ", "(Ký và ghi rõ họ tên)", officer)))
    return _render(flow, title=SLIP_TITLES[SlipKind.BM03], code=dossier.code, author=agency.name)


def render_bm04(dossier) -> bytes:
    """Apology and new date (the single extension)."""
    st = _styles()
    agency = _agency(dossier)
    try:
        extension = dossier.extension
    except Exception as exc:  # RelatedObjectDoesNotExist
        raise LookupError("no extension") from exc
    flow = _header(dossier, st, SlipKind.BM04, timezone.localtime(extension.created_at).date())
    flow.append(_code_and_qr(dossier, st))
    flow.append(Spacer(1, 3 * mm))
    flow.append(_p(f"{_e(agency.name)} xin lỗi ông/bà vì hồ sơ chậm trả kết quả so với thời gian đã hẹn.", st.body))
    flow.append(
        _p(
            f"Ngày {fmt_date(dossier.accepted_at or dossier.received_at)}, cơ quan đã tiếp nhận hồ sơ của "
            f"<b>{_e(dossier.applicant_name)}</b>.",
            st.body,
        )
    )
    flow.append(_p(f"Nội dung yêu cầu giải quyết: <b>{_e(_procedure_name(dossier))}</b>", st.body))
    flow.append(_p(f"Thời gian hẹn trả kết quả: {fmt_moment(extension.previous_due_at)}", st.body))
    flow.append(_p(f"Việc trả kết quả chậm so với thời gian đã hẹn do: {_e(extension.reason)}", st.body))
    flow.append(
        _p(
            f"{_e(agency.name)} xin lỗi ông/bà về sự bất tiện này và hẹn trả kết quả vào "
            f"<b>{fmt_moment(extension.new_due_at)}</b>.",
            st.body,
        )
    )
    flow.append(_signatures(st, None, ("THỦ TRƯỞNG CƠ QUAN", "(Ký, ghi rõ họ tên và đóng dấu)", "")))
    return _render(flow, title=SLIP_TITLES[SlipKind.BM04], code=dossier.code, author=agency.name)


def _unit_name(unit) -> str:
    return unit.name if unit is not None else ""


def _step_agency(dossier, step):
    """The agency of a step when it is not the dossier's (an inter-agency step), else None."""
    return step.agency if step.agency_id is not None and step.agency_id != dossier.agency_id else None


def render_bm05(dossier) -> bytes:
    """Processing control slip: one row per handover (unit, times, giver/receiver, early/on time/late)."""
    st = _styles()
    agency = _agency(dossier)
    steps = list(dossier.steps.all())
    moments = [dossier.accepted_at or dossier.received_at]
    for s in steps:
        moments += [m for m in (s.received_at, s.handed_over_at) if m is not None]
    moments += [m for m in (dossier.finished_at, dossier.returned_at) if m is not None]
    last = max(moments)
    units = []
    for s in steps:
        name = _unit_name(s.unit)
        other = _step_agency(dossier, s)
        if name and other is not None:
            name = f"{name} ({other.name})"
        if name and name not in units:
            units.append(name)
    partners = []
    for s in steps:
        other = _step_agency(dossier, s)
        if other is not None and other.name not in partners:
            partners.append(other.name)
    flow = _header(dossier, st, SlipKind.BM05, timezone.localtime(last).date())
    flow.append(
        _code_and_qr(
            dossier,
            st,
            [
                f"(Kèm theo Giấy tiếp nhận hồ sơ và hẹn trả kết quả mã số: {_e(dossier.code)})",
            ],
        )
    )
    flow.append(Spacer(1, 2 * mm))
    flow.append(_p(f"Tên cá nhân, tổ chức: <b>{_e(dossier.applicant_name)}</b>", st.body))
    flow.append(_p(f"Nội dung yêu cầu giải quyết: {_e(_procedure_name(dossier))}", st.body))
    flow.append(_p(f"Cơ quan giải quyết hồ sơ: {_e(agency.name)}", st.body))
    if partners:
        flow.append(_p(f"Cơ quan phối hợp giải quyết (liên thông): {_e('; '.join(partners))}", st.body))
    if units:
        flow.append(_p(f"Các đơn vị tham gia giải quyết: {_e('; '.join(units))}", st.body))
    flow.append(_p(f"Hạn trả kết quả: {fmt_short(dossier.due_at)}", st.body))
    flow.append(Spacer(1, 2 * mm))
    head = [
        "STT",
        "Đơn vị / nội dung công việc",
        "Thời gian giao, nhận hồ sơ",
        "Người giao",
        "Người nhận",
        "Kết quả (trước hạn / đúng hạn / trễ hạn)",
        "Ghi chú",
    ]
    rows = [[_p(f"<b>{h}</b>", st.cell) for h in head]]
    for i, s in enumerate(steps, start=1):
        times = f"Nhận: {fmt_short(s.received_at)}<br/>Hạn: {fmt_short(s.due_at)}"
        if s.handed_over_at:
            times += f"<br/>Chuyển: {fmt_short(s.handed_over_at)}"
        result = TIMELINESS_LABELS.get(s.timeliness, "Đang xử lý" if s.handed_over_at is None else "")
        step_agency = s.agency if s.agency_id is not None else agency
        previous = steps[i - 2] if i > 1 else None
        where = f"<b>{_e(_unit_name(s.unit))}</b><br/>{_e(s.name)}" if s.unit else _e(s.name)
        if step_agency.pk != agency.pk or any(x.agency_id not in (None, agency.pk) for x in steps):
            # Inter-agency dossier: every row names its agency; a change of agency is a handover between agencies.
            where = f"<b>{_e(step_agency.name)}</b><br/>{where}"
            if previous is not None and (previous.agency_id or agency.pk) != step_agency.pk:
                from_agency = previous.agency.name if previous.agency_id else agency.name
                where += f"<br/><i>Chuyển liên thông từ {_e(from_agency)}</i>"
        rows.append(
            [
                _p(str(i), st.cell),
                _p(where, st.cell),
                _p(times, st.cell),
                _p(_e(_person(s.giver)), st.cell),
                _p(_e(_person(s.receiver) or _person(s.assignee)), st.cell),
                _p(result, st.cell),
                _p(_e(s.note), st.cell),
            ]
        )
    if not steps:
        rows.append([_p("", st.cell), _p("Chưa có lượt luân chuyển", st.cell)] + [_p("", st.cell)] * 5)
    widths = [12 * mm, 42 * mm, 36 * mm, 24 * mm, 24 * mm, 24 * mm, 18 * mm]
    flow.append(_grid(rows, widths))
    flow.append(Spacer(1, 2 * mm))
    if dossier.finished_at:
        verdict = TIMELINESS_LABELS.get(dossier.timeliness, "")
        flow.append(
            _p(f"Có kết quả lúc: {fmt_short(dossier.finished_at)}" + (f" — <b>{verdict}</b>" if verdict else ""), st.body)
        )
    if dossier.returned_at:
        flow.append(
            _p(f"Trả kết quả lúc: {fmt_short(dossier.returned_at)} ({_e(dossier.get_result_delivery_display())})", st.body)
        )
    return _render(flow, title=SLIP_TITLES[SlipKind.BM05], code=dossier.code, author=agency.name)


RENDERERS: dict[str, Callable[[object], bytes]] = {
    SlipKind.BM01: render_bm01,
    SlipKind.BM02: render_bm02,
    SlipKind.BM03: render_bm03,
    SlipKind.BM04: render_bm04,
    SlipKind.BM05: render_bm05,
}
