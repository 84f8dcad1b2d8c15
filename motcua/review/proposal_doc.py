"""The simplification proposal in the form of Circular 02/2017/TT-VPCP's annex ("Phương án đơn giản hóa,
sáng kiến cải cách thủ tục hành chính": content and reasons, the implementing recommendation — the legal
documents to amend —, and the benefit: the compliance cost before and after, the saving a year and in %),
with the evidence from records behind it. One description (core.rendering.DocSpec), rendered as the editable
DOCX and the PDF the leader signs in the outgoing register."""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from motcua.core.rendering import DocSpec, render_docx, render_pdf

from . import selectors
from .models import Proposal


def _vnd(n: int) -> str:
    return f"{n:,}".replace(",", ".") + " đồng"


def _pct(x: float | None) -> str:
    return "" if x is None else f"{x * 100:.1f}".replace(".", ",") + "%"


def _num(x) -> str:
    if x is None:
        return "—"
    return f"{x:.2f}".rstrip("0").rstrip(".").replace(".", ",")


def proposal_spec(proposal: Proposal, *, on: date | None = None) -> DocSpec:
    item = proposal.item
    plan = item.plan
    agency = plan.agency
    version = proposal.version
    unit = version.get_time_unit_display()
    spec = DocSpec(
        parent_name=agency.superior_name or "Ủy ban nhân dân tỉnh",
        agency_name=agency.name,
        number=f"Số:      /BC-{agency.short_name}",
        place=(agency.province or "").split("(")[0].strip() or "Tỉnh",
        on=on or timezone.localdate(),
        title="Phương án đơn giản hóa thủ tục hành chính",
        subtitle=f"{version.name} (mã {item.procedure.code})",
        signature_title="Thủ trưởng cơ quan",
        recipients=[agency.superior_name or "Ủy ban nhân dân tỉnh", "Văn phòng UBND tỉnh (Phòng Kiểm soát TTHC)", "Lưu: VT"],
    )
    spec.para(
        f"Thực hiện Kế hoạch rà soát, đánh giá thủ tục hành chính năm {plan.year}"
        + (f" số {plan.number}" if plan.number else "")
        + f", {agency.name} đề xuất phương án đơn giản hóa thủ tục hành chính sau:"
    )
    spec.heading("1. Nội dung đơn giản hóa")
    spec.para(proposal.content)
    if proposal.proposed_time is not None:
        spec.bullet(
            f"Thời hạn giải quyết: từ {_num(version.effective_time)} {unit} xuống {_num(proposal.proposed_time)} {unit} "
            f"(thời hạn theo quy định {_num(version.legal_time)} {unit})."
        )
    if proposal.reason:
        spec.para(f"Lý do: {proposal.reason}")
    spec.heading("2. Kiến nghị thực thi")
    spec.para(proposal.legal_basis or "Không phải sửa đổi văn bản quy phạm pháp luật.")
    spec.heading("3. Lợi ích phương án đơn giản hóa")
    costs = selectors.item_costs(item=item)
    if costs["saving"]:
        s = costs["saving"]
        spec.table(
            ["Chỉ tiêu", "Trước đơn giản hóa", "Sau đơn giản hóa"],
            [
                ["Chi phí tuân thủ một hồ sơ", _vnd(s.current.per_dossier_vnd), _vnd(s.proposed.per_dossier_vnd)],
                ["Số hồ sơ một năm", str(s.current.dossiers_per_year), str(s.current.dossiers_per_year)],
                [
                    "Chi phí tuân thủ một năm",
                    _vnd(s.current.per_year_vnd),
                    _vnd(s.proposed.dossiers_per_year * s.proposed.per_dossier_vnd),
                ],
            ],
        )
        spec.para(
            f"Chi phí tiết kiệm: {_vnd(s.per_year_vnd)}/năm; tỷ lệ cắt giảm chi phí: "
            + (f"{s.percent:.2f}".replace(".", ",") + "%" if s.percent is not None else "—")
            + "."
        )
    else:
        spec.para("Chưa tính chi phí tuân thủ của thủ tục hiện hành và của phương án.")
    spec.heading("4. Số liệu giải quyết hồ sơ làm căn cứ")
    ev = selectors.procedure_evidence(
        agency=agency, procedure=item.procedure, start=date(plan.year - 1, 1, 1), end=date(plan.year - 1, 12, 31)
    )
    spec.table(
        ["Chỉ tiêu", f"Năm {plan.year - 1}"],
        [
            ["Hồ sơ tiếp nhận", str(ev.received)],
            ["Tỷ lệ nộp trực tuyến", _pct(ev.online_share)],
            [f"Thời gian xử lý thực tế — trung vị ({unit})", _num(ev.median_time)],
            [f"Thời gian xử lý thực tế — 90% hồ sơ không quá ({unit})", _num(ev.p90_time)],
            ["Tỷ lệ hồ sơ trễ hạn", _pct(ev.late_share)],
            ["Tỷ lệ hồ sơ phải bổ sung", _pct(ev.supplement_share)],
            ["Giấy tờ thường phải bổ sung", "; ".join(f"{k} ({n})" for k, n in ev.missing_papers)],
            ["Từ chối tiếp nhận / không chấp thuận", f"{ev.refused} / {ev.rejected}"],
            ["Phản ánh, kiến nghị", str(ev.pakn)],
            ["Điểm hài lòng bình quân (tối đa 18)", _num(ev.mean_rating)],
        ],
    )
    return spec


def proposal_docx(proposal: Proposal) -> bytes:
    return render_docx(proposal_spec(proposal))


def proposal_pdf(proposal: Proposal) -> bytes:
    return render_pdf(proposal_spec(proposal))
