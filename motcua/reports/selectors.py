"""The CCHC report of an agency for a period, computed from records. Nothing here is typed in: every
figure is a selector result (this app's reform records, or the catalog, dossiers and documents apps
through `figures`), and carries the key of the records behind it (`figure_records`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.utils import timezone

from motcua.core.errors import ValidationFailed
from motcua.core.models import Agency
from motcua.reform import selectors as reform
from motcua.reform.models import Area, LegalDraft, Recommendation

from . import figures as src
from .periodic import one_stop_totals


def vn_int(n: int) -> str:
    """1548 → '1.548' (Vietnamese thousands separator)."""
    return f"{n:,}".replace(",", ".")


def vn_pct(x: int, y: int) -> str:
    if not y:
        return "0%"
    value = round(Decimal(x * 100) / Decimal(y), 1)
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return text.replace(".", ",") + "%"


def vn_date(d: date | None) -> str:
    return f"{d:%d/%m/%Y}" if d else ""


@dataclass
class Figure:
    key: str
    label: str
    value: int  # the number the figure is about
    of: int | None = None  # the denominator of "X/Y", when there is one

    @property
    def text(self) -> str:
        if self.of is not None:
            return f"{vn_int(self.value)}/{vn_int(self.of)}"
        return vn_int(self.value)

    @property
    def percent(self) -> str:
        return vn_pct(self.value, self.of) if self.of else ""


@dataclass
class Section:
    number: str
    title: str
    figures: list[Figure] = field(default_factory=list)
    paragraphs: list[str] = field(default_factory=list)
    table: tuple[list[str], list[list[str]]] | None = None


@dataclass
class CchcReport:
    agency: Agency
    year: int
    start: date
    end: date
    on: date
    sections: list[Section]

    def figures(self) -> dict[str, Figure]:
        return {f.key: f for s in self.sections for f in s.figures}


FIRST_YEAR = 2000  # no agency kept electronic one-stop records before


def report_period(year: int, today: date | None = None) -> tuple[date, date, date]:
    """(start, end, snapshot day) of a yearly report: the catalog is read as of the end of the period,
    or today while the year is running. A year before FIRST_YEAR or after the running one is refused (400)."""
    today = today or timezone.localdate()
    if not FIRST_YEAR <= year <= today.year:
        raise ValidationFailed(
            f"Năm báo cáo phải từ {FIRST_YEAR} đến {today.year}.",
            fields={"year": [f"Năm báo cáo phải từ {FIRST_YEAR} đến {today.year}."]},
        )
    start, end = date(year, 1, 1), date(year, 12, 31)
    return start, end, min(end, today)


def cchc_report(*, agency: Agency, year: int, today: date | None = None) -> CchcReport:
    """The report states the facts as of the period's end (`on`): a task done, a draft issued or a
    recommendation closed after it counts as not done in this period (dates compared with `on`); what
    happened since is told apart ("since then"), never mixed into the period's figures."""
    today = today or timezone.localdate()
    start, end, on = report_period(year, today)
    sections: list[Section] = []

    # I. Direction: the plans and task completion per area
    s = Section("I", "Công tác chỉ đạo, điều hành cải cách hành chính")
    province = reform.province_plan(year=year)
    if province:
        s.paragraphs.append(
            f"Thực hiện Kế hoạch số {province.number} ngày {vn_date(province.issued_on)} của {province.issuer} "
            f"về {province.title}, {agency.name} triển khai đồng bộ các nhiệm vụ cải cách hành chính."
        )
    for plan in reform.plans_for(agency=agency, year=year).filter(agency=agency):
        s.paragraphs.append(f"{agency.name} ban hành Kế hoạch số {plan.number} ngày {vn_date(plan.issued_on)} về {plan.title}.")
    completion = reform.task_completion_by_area(agency=agency, year=year, on=on)
    total_tasks = sum(r["total"] for r in completion)
    done_tasks = sum(r["done"] for r in completion)
    s.figures.append(Figure("tasks_done", "Nhiệm vụ CCHC đã hoàn thành", done_tasks, total_tasks))
    for r in completion:
        s.figures.append(Figure(f"tasks_{r['area']}", f"Nhiệm vụ hoàn thành — {r['label']}", r["done"], r["total"]))
    sections.append(s)

    # II. Institutional reform
    s = Section("II", "Cải cách thể chế")
    drafts = list(reform.legal_drafts(agency=agency, year=year))
    stage_on = {d.pk: reform.legal_draft_stage_on(d, on) for d in drafts}
    s.figures.append(Figure("legal_drafts", "Văn bản QPPL đăng ký xây dựng", len(drafts)))
    s.figures.append(
        Figure(
            "legal_drafts_issued",
            "Văn bản QPPL đã ban hành",
            sum(1 for d in drafts if stage_on[d.pk][0] == LegalDraft.Stage.ISSUED),
            len(drafts),
        )
    )
    if drafts:
        items = []
        for d in drafts:
            text = d.title + (f" ({d.replaces_phrase})" if d.replaces_phrase else "")
            items.append(text)
        s.paragraphs.append(f"Đăng ký xây dựng {len(drafts)} văn bản quy phạm pháp luật gồm: " + "; ".join(items) + ".")
        s.table = (
            ["Văn bản", "Thay thế", "Giai đoạn", "Ngày"],
            [[d.title, d.replaces_number, LegalDraft.Stage(stage_on[d.pk][0]).label, vn_date(stage_on[d.pk][1])] for d in drafts],
        )
    monitoring = list(reform.enforcement_entries(agency=agency, year=year))
    s.figures.append(Figure("enforcement", "Lĩnh vực theo dõi tình hình thi hành pháp luật", len(monitoring)))
    for m in monitoring:
        s.paragraphs.append(f"Theo dõi tình hình thi hành pháp luật trong lĩnh vực {m.field}.")
    sections.append(s)

    # III. Procedure reform: publication decisions and time cuts
    s = Section("III", "Cải cách thủ tục hành chính")
    catalog = src.catalog_figures(agency=agency, on=on)
    decisions = src.decision_counts(agency=agency, start=start, end=end)
    s.figures += [
        Figure("decisions_abolished", "TTHC bãi bỏ", decisions["abolished"]),
        Figure("decisions_new", "TTHC công bố mới", decisions["new"]),
        Figure("decisions_amended", "TTHC sửa đổi, bổ sung", decisions["amended"]),
        Figure("decisions_replaced", "TTHC thay thế", decisions["replaced"]),
        Figure("procedures_in_force", "TTHC thuộc thẩm quyền đang hiệu lực", catalog["in_force"]),
        Figure("cut_20", "TTHC cắt giảm thời gian giải quyết từ 20% trở lên", catalog["cut_20"], catalog["in_force"]),
    ]
    s.paragraphs.append(
        f"Bãi bỏ {decisions['abolished']} TTHC, công bố mới {decisions['new']} TTHC, "
        f"sửa đổi, bổ sung {decisions['amended']} TTHC theo các quyết định công bố của UBND tỉnh trong kỳ. "
        f"Có {catalog['cut_20']}/{catalog['in_force']} TTHC thực hiện cắt giảm "
        "thời gian giải quyết từ 20% trở lên so với quy định."
    )
    review = src.simplification_results(agency=agency, year=year)  # the review app's plan of the year (docs/review.md)
    s.figures += [
        Figure("review_reviewed", "TTHC đã rà soát, đánh giá theo kế hoạch", review["reviewed"], review["planned"]),
        Figure("review_proposed", "Phương án đơn giản hóa TTHC đã gửi", review["proposed"]),
        Figure("review_adopted", "Phương án đơn giản hóa được thông qua", review["adopted"], review["proposed"]),
        Figure("review_cut_20", "Phương án được thông qua cắt giảm thời gian từ 20% trở lên", review["cut_20"]),
    ]
    if review["planned"]:
        s.paragraphs.append(
            f"Rà soát, đánh giá {review['reviewed']}/{review['planned']} TTHC theo kế hoạch; gửi {review['proposed']} "
            f"phương án đơn giản hóa, được thông qua {review['adopted']} phương án ({review['cut_20']} phương án cắt giảm "
            f"thời gian giải quyết từ 20% trở lên), chi phí tuân thủ tiết kiệm {vn_int(review['cost_saved_per_year_vnd'])} "
            "đồng/năm."
        )
    sections.append(s)

    # IV. One-stop mechanism and online public services
    s = Section("IV", "Thực hiện cơ chế một cửa, một cửa liên thông và dịch vụ công trực tuyến")
    levels = catalog["online_levels"]
    classes = catalog["online_classes"]
    total = catalog["in_force"]
    s.figures += [
        Figure("one_stop", "TTHC giải quyết theo cơ chế một cửa", catalog["one_stop"], total),
        Figure("level_2", "TTHC cung cấp mức độ 2", levels.get(2)),
        Figure("level_3", "TTHC cung cấp mức độ 3", levels.get(3)),
        Figure("level_4", "TTHC cung cấp mức độ 4", levels.get(4)),
        Figure("class_full", "DVC trực tuyến toàn trình", classes.get("full")),
        Figure("class_partial", "DVC trực tuyến một phần", classes.get("partial")),
        Figure("postal", "TTHC tiếp nhận qua dịch vụ bưu chính công ích", catalog["postal"], total),
        Figure("result_by_post", "TTHC trả kết quả qua dịch vụ bưu chính công ích", catalog["result_by_post"], total),
        Figure("four_on_spot", "TTHC thực hiện theo nguyên tắc “4 tại chỗ”", catalog["four_on_spot"]),
    ]
    s.paragraphs.append(
        f"Số TTHC giải quyết theo cơ chế một cửa thuộc thẩm quyền của cơ quan là {catalog['one_stop']}/{total} TTHC, "
        f"đạt {vn_pct(catalog['one_stop'], total)}, trong đó có {levels.get(3, 0)} TTHC cung cấp mức độ 3, "
        f"{levels.get(4, 0)} TTHC cung cấp mức độ 4, {levels.get(2, 0)} TTHC cung cấp mức độ 2. "
        f"{catalog['postal']}/{total} TTHC được đăng ký tiếp nhận qua dịch vụ bưu chính công ích; "
        f"{catalog['result_by_post']}/{total} TTHC trả kết quả qua dịch vụ bưu chính công ích. "
        f"Đăng ký {catalog['four_on_spot']} TTHC thực hiện theo nguyên tắc “4 tại chỗ”."
    )
    # The one-stop desk's statistics table, the same figures as the periodic form (periodic.py, Circular 01/2020).
    desk = one_stop_totals(agency=agency, start=start, end=end)
    on_time = desk["finished_early"] + desk["finished_on_time"]
    s.figures += [
        Figure("dossiers_received", "Hồ sơ tiếp nhận trong kỳ", desk["new_total"]),
        Figure("dossiers_online", "Hồ sơ nộp trực tuyến", desk["new_online"], desk["new_total"]),
        Figure("dossiers_postal", "Hồ sơ nộp qua bưu chính", desk["new_postal"], desk["new_total"]),
        Figure("dossiers_on_time", "Hồ sơ giải quyết trước và đúng hạn", on_time, desk["finished_total"]),
    ]
    s.paragraphs.append(
        f"Trong kỳ tiếp nhận {vn_int(desk['new_total'])} hồ sơ (trực tuyến {vn_int(desk['new_online'])}, "
        f"qua bưu chính {vn_int(desk['new_postal'])}); đã giải quyết {vn_int(desk['finished_total'])} hồ sơ, "
        f"trong đó trước và đúng hạn {vn_int(on_time)} hồ sơ."
    )
    sections.append(s)

    # V. Organisation: ISO, job positions, staff quota
    s = Section("V", "Cải cách tổ chức bộ máy")
    qms = reform.quality_system(agency=agency)
    staffing = reform.staffing_summary(agency=agency, year=year)
    t = staffing["totals"]
    s.figures += [
        Figure("job_positions", "Vị trí việc làm", staffing["positions"]),
        Figure("staff_filled", "Biên chế có mặt / được giao", t["filled"], t["assigned"]),
        Figure("staff_shortage", "Biên chế còn thiếu so với nhu cầu vị trí việc làm", t["shortage"]),
    ]
    if qms:
        s.paragraphs.append(
            f"Áp dụng hệ thống quản lý chất lượng theo tiêu chuẩn {qms.standard} trong hoạt động của cơ quan ({qms.scope})."
            + (
                f" Kiện toàn Ban Chỉ đạo ISO tại Quyết định số {qms.committee_decision} "
                f"ngày {vn_date(qms.committee_decision_on)}."
                if qms.committee_decision
                else ""
            )
            + (
                f" Đánh giá nội bộ gần nhất ngày {vn_date(qms.last_review_on)}."
                if qms.last_review_on and qms.last_review_on <= on
                else ""
            )
        )
    s.paragraphs.append(
        f"Biên chế được giao {t['assigned']}, có mặt {t['filled']}; nhu cầu theo vị trí việc làm {t['needed']}, "
        f"còn thiếu {t['shortage']} biên chế."
    )
    s.table = (
        ["Đơn vị", "Nhu cầu", "Được giao", "Có mặt", "Thiếu"],
        [[r["unit"].name, str(r["needed"]), str(r["assigned"]), str(r["filled"]), str(r["shortage"])] for r in staffing["rows"]],
    )
    sections.append(s)

    # VI. Civil service: training
    s = Section("VI", "Cải cách chế độ công vụ")
    training = reform.training_summary(agency=agency, year=year)
    s.figures += [
        Figure("training_courses", "Khóa đào tạo, bồi dưỡng", training["courses"]),
        Figure(
            "training_completed", "Lượt cán bộ hoàn thành đào tạo, bồi dưỡng", training["completed"], training["participants"]
        ),
    ]
    s.paragraphs.append(
        f"Tổ chức {training['courses']} khóa đào tạo, bồi dưỡng với {training['participants']} lượt cán bộ tham gia, "
        f"{training['completed']} lượt đã hoàn thành."
    )
    sections.append(s)

    # VII. Public finance
    s = Section("VII", "Cải cách tài chính công")
    fin = next((r for r in completion if r["area"] == Area.PUBLIC_FINANCE), None)
    s.paragraphs.append(
        "Sử dụng kinh phí đúng mục đích, tiết kiệm, hiệu quả, thực hành tiết kiệm, chống lãng phí."
        + (f" Hoàn thành {fin['done']}/{fin['total']} nhiệm vụ của lĩnh vực." if fin else "")
    )
    sections.append(s)

    # VIII. E-government / digital government: documents
    s = Section("VIII", "Xây dựng và phát triển Chính quyền điện tử, Chính quyền số")
    docs = src.document_counts(agency=agency, start=start, end=end)
    s.figures += [
        Figure(
            "documents_electronic",
            "Văn bản đi/đến xử lý hoàn toàn trên hệ thống điện tử",
            docs["fully_electronic"],
            docs["total"],
        ),
        Figure("documents_signed", "Văn bản được áp dụng chữ ký số", docs["digitally_signed"]),
    ]
    s.paragraphs.append(
        f"Có {vn_int(docs['fully_electronic'])}/{vn_int(docs['total'])} văn bản đi/đến được xử lý hoàn toàn trên "
        f"hệ thống điện tử, trong đó có {vn_int(docs['digitally_signed'])} văn bản được áp dụng chữ ký số."
    )
    dig = src.digitisation_counts(agency=agency, start=start, end=end)
    s.figures += [
        Figure("digitisation_dossiers", "Hồ sơ TTHC được số hóa (thành phần và kết quả)", dig["digitised"], dig["finished"]),
        Figure("digitisation_results", "Hồ sơ có kết quả giải quyết điện tử", dig["electronic_results"], dig["finished"]),
        Figure(
            "digitisation_reused", "Hồ sơ dùng lại giấy tờ trong kho dữ liệu của tổ chức, cá nhân", dig["reused"], dig["accepted"]
        ),
    ]
    s.paragraphs.append(
        f"Có {vn_int(dig['digitised'])}/{vn_int(dig['finished'])} hồ sơ giải quyết trong kỳ được số hóa (thành phần hồ sơ "
        f"và kết quả điện tử), {vn_int(dig['electronic_results'])}/{vn_int(dig['finished'])} hồ sơ có kết quả điện tử; "
        f"{vn_int(dig['reused'])}/{vn_int(dig['accepted'])} hồ sơ tiếp nhận trong kỳ dùng lại giấy tờ trong kho dữ liệu "
        f"của tổ chức, cá nhân ({vn_int(dig['papers_reused'])} lượt)."
    )
    sections.append(s)

    # IX. Inspections and recommendations
    s = Section("IX", "Công tác kiểm tra và thực hiện kiến nghị")
    recs = list(reform.recommendations_for_agency(agency=agency).filter(inspection__year=year))
    escalated = list(reform.recommendations_escalated(agency=agency).filter(inspection__year=year))
    status_on = {r.pk: reform.recommendation_status_on(r, on) for r in recs + escalated}
    overdue = [r for r in recs if status_on[r.pk] != Recommendation.Status.CLOSED and r.deadline and r.deadline < on]
    s.figures += [
        Figure(
            "recommendations_closed",
            "Kiến nghị của đoàn kiểm tra đã thực hiện xong",
            sum(1 for r in recs if status_on[r.pk] == Recommendation.Status.CLOSED),
            len(recs),
        ),
        Figure("recommendations_overdue", "Kiến nghị quá hạn chưa thực hiện xong", len(overdue)),
        Figure("recommendations_escalated", "Kiến nghị báo cáo UBND tỉnh", len(escalated)),
    ]
    for insp in reform.inspections_for(agency=agency, year=year):
        leader = next((m for m in insp.members.all() if m.role == "leader"), None)
        s.paragraphs.append(
            f"Ngày {vn_date(insp.inspected_on)}, Đoàn kiểm tra CCHC tỉnh"
            + (f" do {leader.full_name}, {leader.title} làm trưởng đoàn" if leader else "")
            + f" kiểm tra công tác CCHC tại {agency.name}."
        )
    if recs:
        s.table = (
            ["Kiến nghị", "Đơn vị chủ trì", "Hạn", "Trạng thái"],
            [
                [
                    r.content,
                    r.owner_unit.name if r.owner_unit else "",
                    vn_date(r.deadline),
                    Recommendation.Status(status_on[r.pk]).label,
                ]
                for r in recs
            ],
        )
    if today > end:  # since then: told apart, not counted in the period
        closed_since = sum(
            1 for r in recs if r.status == Recommendation.Status.CLOSED and status_on[r.pk] != Recommendation.Status.CLOSED
        )
        done_since = reform.tasks_for(agency=agency, year=year).filter(status="done", completed_on__gt=end).count()
        if closed_since or done_since:
            s.paragraphs.append(
                f"Sau kỳ báo cáo, đến ngày {vn_date(today)}: đã thực hiện xong thêm {closed_since} kiến nghị và "
                f"hoàn thành thêm {done_since} nhiệm vụ (không tính vào số liệu của kỳ báo cáo)."
            )
    sections.append(s)

    # X. Difficulties and proposals: what was escalated
    s = Section("X", "Khó khăn, vướng mắc và kiến nghị, đề xuất")
    for r in escalated:
        s.paragraphs.append(f"{r.content} ({Recommendation.Status(status_on[r.pk]).label.lower()}).")
    if not escalated:
        s.paragraphs.append("Không có.")
    sections.append(s)
    return CchcReport(agency=agency, year=year, start=start, end=end, on=on, sections=sections)


def report_figures_json(report: CchcReport) -> dict:
    """The report's figures as plain JSON (stored with an issued report): period, and each figure's key,
    section, label, value, denominator and text."""
    return {
        "agency": report.agency.short_name,
        "year": report.year,
        "start": report.start.isoformat(),
        "end": report.end.isoformat(),
        "as_of": report.on.isoformat(),
        "figures": [
            {"key": f.key, "section": s.number, "label": f.label, "value": f.value, "of": f.of, "text": f.text}
            for s in report.sections
            for f in s.figures
        ],
    }
