"""The records behind each figure of the CCHC report (what the on-screen report links to): a title,
columns and rows, computed with the same selectors as the figure, so the row count is the figure."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.urls import reverse

from motcua.core.models import Agency
from motcua.reform import selectors as reform
from motcua.reform.models import LegalDraft, Recommendation, ReformTask

from . import figures as src
from .selectors import report_period, vn_date


@dataclass
class Records:
    title: str
    columns: list[str]
    rows: list[list[str]] = field(default_factory=list)
    links: list[str | None] = field(default_factory=list)  # one per row (the record's own page), or None
    source_url: str | None = None  # the owning app's list page, when it has one


CATALOG_FILTERS = {
    "procedures_in_force": ("TTHC đang hiệu lực", lambda v: True),
    "one_stop": ("TTHC giải quyết theo cơ chế một cửa", lambda v: v.one_stop),
    "cut_20": ("TTHC cắt giảm thời gian giải quyết từ 20% trở lên", lambda v: v.cut_reaches_threshold),
    "level_2": ("TTHC mức độ 2", lambda v: v.online_level == 2),
    "level_3": ("TTHC mức độ 3", lambda v: v.online_level == 3),
    "level_4": ("TTHC mức độ 4", lambda v: v.online_level == 4),
    "class_full": ("DVC trực tuyến toàn trình", lambda v: v.online_class == "full"),
    "class_partial": ("DVC trực tuyến một phần", lambda v: v.online_class == "partial"),
    "postal": ("TTHC tiếp nhận qua bưu chính công ích", lambda v: v.channel_postal),
    "result_by_post": ("TTHC trả kết quả qua bưu chính công ích", lambda v: v.result_by_post),
    "four_on_spot": ("TTHC “4 tại chỗ”", lambda v: v.four_on_spot),
}
DECISION_ACTIONS = {
    "decisions_new": "new",
    "decisions_amended": "amended",
    "decisions_abolished": "abolished",
    "decisions_replaced": "replaced",
}
REFORM_PAGES = {
    "legal_drafts": "reform:drafts",
    "legal_drafts_issued": "reform:drafts",
    "enforcement": "reform:drafts",
    "job_positions": "reform:staffing",
    "staff_filled": "reform:staffing",
    "staff_shortage": "reform:staffing",
    "training_courses": "reform:staffing",
    "training_completed": "reform:staffing",
    "recommendations_closed": "reform:recommendations",
    "recommendations_overdue": "reform:recommendations",
    "recommendations_escalated": "reform:recommendations",
    "tasks_done": "reform:tasks",
}


def _num(x) -> str:
    if x is None:
        return ""
    return f"{x.normalize():f}".replace(".", ",") if isinstance(x, Decimal) else str(x)


def figure_records(*, agency: Agency, year: int, key: str, today=None) -> Records | None:
    """None when the key is unknown."""
    start, end, on = report_period(year, today)
    if key in CATALOG_FILTERS:
        title, keep = CATALOG_FILTERS[key]
        qs = src.procedure_versions(agency=agency, on=on)
        rec = Records(
            f"{title} (ngày {vn_date(on)})",
            ["Mã", "Tên thủ tục", "Lĩnh vực", "Thời hạn quy định", "Thời hạn cam kết", "Mức độ"],
            source_url=reverse("catalog:dashboard"),
        )
        for v in qs:
            if keep(v):
                rec.rows.append(
                    [v.procedure.code, v.name, v.field.name, _num(v.legal_time), _num(v.committed_time), _num(v.online_level)]
                )
                rec.links.append(reverse("catalog:public-detail", kwargs={"code": v.procedure.code}))
        return rec
    if key.startswith("review_"):
        rec = Records(
            "TTHC trong kế hoạch rà soát năm " + str(year),
            ["Mã thủ tục", "Đơn vị chủ trì", "Thời hạn", "Tiến độ", "Phương án", "Quyết định công bố"],
            source_url=reverse("review:index") + f"?agency={agency.short_name}&year={year}",
        )
        for item in src.simplification_items(agency=agency, year=year, kind=key.removeprefix("review_")):
            p = item.proposal_row
            rec.rows.append(
                [
                    item.procedure.code,
                    item.unit.name,
                    vn_date(item.deadline),
                    f"{item.progress}%",
                    p.get_status_display() if p else "",
                    p.decision.number if p and p.decision_id else "",
                ]
            )
            rec.links.append(reverse("review:item", kwargs={"pk": item.pk}))
        return rec
    if key in DECISION_ACTIONS:
        action = DECISION_ACTIONS[key]
        decisions = src.decisions(agency=agency, start=start, end=end)
        rec = Records(
            "TTHC theo quyết định công bố trong kỳ",
            ["Quyết định", "Ngày hiệu lực", "Mã thủ tục", "Hình thức"],
            source_url=reverse("catalog:decisions"),
        )
        for d in decisions:
            for item in d.items.all():
                if item.action == action:
                    rec.rows.append([d.number, vn_date(d.effective_on), item.procedure.code, item.get_action_display()])
                    rec.links.append(reverse("catalog:decision", kwargs={"pk": d.pk}))
        return rec
    if key in src.DIGITISATION_FIGURES:
        rec = Records(
            "Hồ sơ "
            + {"digitisation_dossiers": "được số hóa", "digitisation_results": "có kết quả điện tử"}.get(
                key, "dùng lại giấy tờ trong kho dữ liệu của tổ chức, cá nhân"
            ),
            ["Mã hồ sơ", "Thủ tục", "Nộp/nhận lúc", "Trạng thái"],
            source_url=reverse("reports:digitisation") + f"?agency={agency.short_name}&period={year}",
        )
        for d in src.digitisation_dossiers(agency=agency, start=start, end=end, key=key):
            rec.rows.append([d.code, d.procedure_version.name, vn_date(d.received_at.date()), d.get_status_display()])
            rec.links.append(reverse("dossiers:detail", kwargs={"code": d.code}))
        return rec
    if key in ("documents_electronic", "documents_signed"):
        pair = src.documents(agency=agency, start=start, end=end)
        flag = "fully_electronic" if key == "documents_electronic" else "digitally_signed"
        rec = Records(
            "Văn bản đi/đến "
            + ("xử lý hoàn toàn trên hệ thống điện tử" if flag == "fully_electronic" else "có chữ ký số hợp lệ"),
            ["Loại", "Số", "Ngày", "Trích yếu", "Điện tử hoàn toàn", "Chữ ký số"],
            source_url=reverse("documents:dashboard"),
        )
        incoming, outgoing = pair
        for d in incoming.filter(**{flag: True}).order_by("received_at"):
            rec.rows.append(
                [
                    "Đến",
                    str(d.number),
                    vn_date(d.received_at.date()),
                    d.summary[:200],
                    "có" if d.fully_electronic else "không",
                    "có" if d.digitally_signed else "không",
                ]
            )
            rec.links.append(reverse("documents:incoming_detail", kwargs={"pk": d.pk}))
        for d in outgoing.filter(**{flag: True}).order_by("issued_date"):
            rec.rows.append(
                [
                    "Đi",
                    d.symbol,
                    vn_date(d.issued_date),
                    d.summary[:200],
                    "có" if d.fully_electronic else "không",
                    "có" if d.digitally_signed else "không",
                ]
            )
            rec.links.append(reverse("documents:outgoing_detail", kwargs={"pk": d.pk}))
        return rec
    if key.startswith("tasks_"):
        area = key.removeprefix("tasks_")
        qs = reform.tasks_for(agency=agency, year=year).filter(status=ReformTask.Status.DONE, completed_on__lte=on)
        if area != "done":
            qs = qs.filter(area=area)
        rec = Records(
            "Nhiệm vụ CCHC đã hoàn thành",
            ["Nhiệm vụ", "Lĩnh vực", "Đơn vị chủ trì", "Hạn", "Tiến độ", "Trạng thái"],
            source_url=reverse("reform:tasks") + (f"?area={area}" if area != "done" else ""),
        )
        for t in qs:
            rec.rows.append(
                [t.title, t.get_area_display(), t.owner_unit.name, vn_date(t.deadline), f"{t.progress}%", t.get_status_display()]
            )
            rec.links.append(reverse("reform:task-detail", kwargs={"pk": t.pk}))
        return rec
    if key.startswith("legal_drafts"):
        rec = Records(
            f"Văn bản QPPL đăng ký xây dựng (giai đoạn tại ngày {vn_date(on)})",
            ["Văn bản", "Thay thế", "Giai đoạn"],
            source_url=reverse("reform:drafts"),
        )
        for d in reform.legal_drafts(agency=agency, year=year):
            stage = reform.legal_draft_stage_on(d, on)[0]
            if key == "legal_drafts_issued" and stage != LegalDraft.Stage.ISSUED:
                continue
            rec.rows.append([d.title, d.replaces_number, LegalDraft.Stage(stage).label])
            rec.links.append(None)
        return rec
    if key.startswith("recommendations_"):
        closed = Recommendation.Status.CLOSED
        if key == "recommendations_escalated":
            qs = list(reform.recommendations_escalated(agency=agency).filter(inspection__year=year))
        else:
            qs = [
                r
                for r in reform.recommendations_for_agency(agency=agency).filter(inspection__year=year)
                if (
                    reform.recommendation_status_on(r, on) == closed
                    if key == "recommendations_closed"
                    else reform.recommendation_status_on(r, on) != closed and r.deadline and r.deadline < on
                )
            ]
        rec = Records(
            f"Kiến nghị sau kiểm tra (trạng thái tại ngày {vn_date(on)})",
            ["Kiến nghị", "Đơn vị chủ trì", "Hạn", "Trạng thái"],
            source_url=reverse("reform:recommendations"),
        )
        for r in qs:
            rec.rows.append(
                [
                    r.content,
                    r.owner_unit.name if r.owner_unit else "UBND tỉnh",
                    vn_date(r.deadline),
                    Recommendation.Status(reform.recommendation_status_on(r, on)).label,
                ]
            )
            rec.links.append(reverse("reform:recommendation-detail", kwargs={"pk": r.pk}))
        return rec
    if key.startswith("training_"):
        rec = Records("Đào tạo, bồi dưỡng", ["Khóa", "Từ ngày", "Học viên", "Hoàn thành"], source_url=reverse("reform:staffing"))
        for p in reform.training_participants(agency=agency, year=year):
            if key == "training_completed" and not p.completed:
                continue
            rec.rows.append([p.course.title, vn_date(p.course.start_on), p.full_name, "có" if p.completed else "chưa"])
            rec.links.append(None)
        return rec
    if key == "enforcement":
        rec = Records(
            "Theo dõi tình hình thi hành pháp luật", ["Lĩnh vực", "Nội dung", "Ngày"], source_url=reverse("reform:drafts")
        )
        for m in reform.enforcement_entries(agency=agency, year=year):
            rec.rows.append([m.field, m.content, vn_date(m.monitored_on)])
            rec.links.append(None)
        return rec
    if key in REFORM_PAGES:
        staffing = reform.staffing_summary(agency=agency, year=year)
        rec = Records(
            "Biên chế, vị trí việc làm theo đơn vị",
            ["Đơn vị", "Nhu cầu", "Được giao", "Có mặt", "Thiếu"],
            source_url=reverse(REFORM_PAGES[key]),
        )
        for r in staffing["rows"]:
            rec.rows.append([r["unit"].name, str(r["needed"]), str(r["assigned"]), str(r["filled"]), str(r["shortage"])])
            rec.links.append(None)
        return rec
    return None


def figure_url(*, agency: Agency, year: int, key: str) -> str:
    """Where a figure links: its records page; dossier statistics link to the one-stop desk's statistics."""
    if key.startswith("dossiers_"):
        return f"{reverse('desk:statistics')}?start={year}-01-01&end={year}-12-31"
    return reverse("reports:cchc-records", kwargs={"agency": agency.short_name, "year": year, "key": key})
