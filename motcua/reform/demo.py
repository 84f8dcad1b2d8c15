"""Demo CCHC records of the Economic Zone Management Board for 2021, from the seed story
(article of 23/09/2021): the provincial plan 3199/KH-UBND of 22/12/2020, the Board's plan and tasks, the two
legal normative documents it registered to draft, ISO steering committee 775/QĐ-BQL of 16/6/2021, staffing
with a quota shortage, the training plan, and the inspection of 20/9/2021 led by Lê Văn Miều with its
recommendations (six to the Board, two escalated to the province).

What the article does not say (the Board's plan number, task list, dates of stages, quota numbers, course
titles, other team members, deadlines) is illustrative and marked ILLUSTRATIVE below."""

from datetime import date

from django.db import transaction

from motcua.core.models import Unit, User
from motcua.core.transitions import SYSTEM

from . import services
from .models import InspectionMember, ReformPlan, ReformTask

PROVINCE_PLAN = {
    "number": "3199/KH-UBND",
    "issued_on": date(2020, 12, 22),
    "issuer": "UBND tỉnh",
    "title": "Kế hoạch cải cách hành chính Nhà nước tỉnh năm 2021",
}
# ILLUSTRATIVE: the Board's implementation plan
AGENCY_PLAN = {
    "number": "08/KH-BQL",
    "issued_on": date(2021, 1, 15),
    "issuer": "Ban Quản lý Khu kinh tế tỉnh",
    "title": "Kế hoạch cải cách hành chính năm 2021 của Ban Quản lý Khu kinh tế tỉnh",
}

# (area, title, owner unit, start, working days, expected output, progress, completed on) — ILLUSTRATIVE list
# built on the areas and activities the article names.
TASKS = [
    (
        "direction",
        "Ban hành kế hoạch CCHC năm 2021 của Ban",
        "VP",
        date(2021, 1, 4),
        10,
        "Kế hoạch CCHC năm 2021",
        100,
        date(2021, 1, 15),
    ),
    (
        "direction",
        "Tuyên truyền CCHC trên Trang thông tin điện tử của Ban",
        "VP",
        date(2021, 1, 4),
        240,
        "Tin, bài tuyên truyền",
        80,
        None,
    ),
    (
        "institutional",
        "Đăng ký xây dựng văn bản QPPL năm 2021",
        "QLCK",
        date(2021, 1, 4),
        15,
        "Văn bản đăng ký gửi Sở Tư pháp",
        100,
        date(2021, 1, 20),
    ),
    (
        "institutional",
        "Theo dõi tình hình thi hành pháp luật lĩnh vực thu nộp và quản lý phí sử dụng kết cấu hạ tầng",
        "QLCK",
        date(2021, 2, 1),
        200,
        "Báo cáo theo dõi thi hành pháp luật",
        60,
        None,
    ),
    (
        "procedure",
        "Niêm yết, công khai TTHC và địa chỉ tiếp nhận phản ánh, kiến nghị",
        "MC",
        date(2021, 1, 4),
        20,
        "TTHC niêm yết tại Phòng Tiếp công dân và Trang thông tin điện tử",
        100,
        date(2021, 2, 1),
    ),
    (
        "procedure",
        "Rà soát, đề xuất cắt giảm thời gian giải quyết TTHC",
        "QLĐT",
        date(2021, 3, 1),
        60,
        "Phương án cắt giảm thời gian",
        100,
        date(2021, 5, 28),
    ),
    (
        "procedure",
        "Đăng ký TTHC thực hiện theo nguyên tắc “4 tại chỗ”",
        "QLĐT",
        date(2021, 4, 1),
        30,
        "Danh mục TTHC 4 tại chỗ",
        100,
        date(2021, 5, 14),
    ),
    (
        "organisation",
        "Kiện toàn Ban Chỉ đạo ISO và duy trì hệ thống quản lý chất lượng ISO 9001:2015",
        "VP",
        date(2021, 5, 3),
        40,
        "Quyết định kiện toàn Ban Chỉ đạo ISO",
        100,
        date(2021, 6, 16),
    ),
    ("organisation", "Đánh giá hiệu quả sau sắp xếp tổ chức bộ máy", "VP", date(2021, 6, 1), 90, "Báo cáo đánh giá", 40, None),
    (
        "civil_service",
        "Rà soát vị trí việc làm và cơ cấu ngạch công chức",
        "VP",
        date(2021, 3, 1),
        70,
        "Đề án vị trí việc làm",
        100,
        date(2021, 6, 4),
    ),
    (
        "public_finance",
        "Thực hành tiết kiệm, chống lãng phí; quy chế chi tiêu nội bộ",
        "VP",
        date(2021, 1, 4),
        30,
        "Quy chế chi tiêu nội bộ",
        100,
        date(2021, 2, 5),
    ),
    (
        "public_finance",
        "Xây dựng phương án tự chủ tài chính của đơn vị sự nghiệp",
        "VP",
        date(2021, 3, 1),
        100,
        "Phương án tự chủ",
        30,
        None,
    ),
    (
        "e_government",
        "Xử lý văn bản đi/đến trên hệ thống quản lý văn bản và điều hành, áp dụng chữ ký số",
        "VP",
        date(2021, 1, 4),
        240,
        "Văn bản điện tử có chữ ký số",
        70,
        None,
    ),
    (
        "e_government",
        "Nâng cấp dịch vụ công trực tuyến mức độ 3, 4",
        "QLĐT",
        date(2021, 4, 1),
        90,
        "DVC trực tuyến mức độ 3, 4",
        50,
        None,
    ),
]

DRAFTS = [
    {
        "title": "Quy chế quản lý cửa khẩu, lối mở biên giới trên địa bàn tỉnh",
        "replaces_number": "09/2018/QĐ-UBND",
        "replaces_date": date(2018, 3, 20),
        "replaces_issuer": "UBND tỉnh",
        "registered_on": date(2021, 1, 20),
        "stages": [("drafting", date(2021, 4, 5))],
    },  # ILLUSTRATIVE dates and stage
    {
        "title": "Quy chế phối hợp thực hiện thu, nộp phí sử dụng công trình kết cấu hạ tầng, "
        "công trình dịch vụ, tiện ích công cộng "
        "trong khu vực cửa khẩu trên địa bàn tỉnh",
        "replaces_number": "12/2020/QĐ-UBND",
        "replaces_date": date(2020, 5, 20),
        "replaces_issuer": "UBND tỉnh",
        "registered_on": date(2021, 1, 20),
        "stages": [],
    },
]

# (unit, positions [(name, group, headcount)], assigned, filled) — ILLUSTRATIVE numbers; the article says only
# that the Board lacks staff quota.
STAFFING = [
    (
        "VP",
        [
            ("Chánh Văn phòng", "leadership", 1),
            ("Kế toán", "professional", 1),
            ("Văn thư", "support", 1),
            ("Tổng hợp, CCHC", "professional", 2),
        ],
        4,
        4,
    ),
    ("MC", [("Tiếp nhận và trả kết quả", "professional", 2)], 2, 2),
    ("QLĐT", [("Trưởng phòng", "leadership", 1), ("Quản lý đầu tư", "professional", 5)], 4, 4),
    ("QLDN", [("Trưởng phòng", "leadership", 1), ("Quản lý doanh nghiệp, lao động", "professional", 4)], 4, 3),
    ("QHXD", [("Trưởng phòng", "leadership", 1), ("Quản lý quy hoạch, xây dựng, môi trường", "professional", 4)], 3, 3),
    ("QLCK", [("Trưởng phòng", "leadership", 1), ("Quản lý cửa khẩu", "professional", 4)], 3, 3),
]

RECOMMENDATIONS = [
    # (area, content, owner unit, working days after the inspection) — deadlines ILLUSTRATIVE
    ("direction", "Tiếp tục thực hiện rà soát lại công tác CCHC do UBND tỉnh giao để thực hiện các nhiệm vụ", "VP", 20),
    ("organisation", "Đánh giá, báo cáo Đề án sắp xếp tổ chức đơn vị sự nghiệp", "VP", 30),
    ("organisation", "Xây dựng dự thảo cơ cấu chức năng, nhiệm vụ của Ban Quản lý Khu kinh tế tỉnh", "VP", 45),
    (
        "procedure",
        "Rà soát giảm thời gian thực hiện các TTHC; nếu còn bất cập kiến nghị lên cấp trên để sớm xử lý, khắc phục",
        "QLĐT",
        30,
    ),
    ("e_government", "Tiếp tục nâng cấp dịch vụ công trực tuyến mức độ 3, 4", "QLĐT", 60),
    ("civil_service", "Xây dựng kế hoạch đào tạo, bồi dưỡng cán bộ", "VP", 20),
]
ESCALATED = [
    ("organisation", "Thiếu biên chế của Ban Quản lý Khu kinh tế tỉnh"),
    ("public_finance", "Hướng dẫn thực hiện tự chủ tài chính đối với đơn vị sự nghiệp"),
]

CHECKLIST = [
    (
        "direction",
        "Ban hành và triển khai kế hoạch CCHC năm 2021",
        "Triển khai đồng bộ các nhiệm vụ CCHC theo Kế hoạch số 3199/KH-UBND ngày 22/12/2020 của UBND tỉnh",
    ),
    (
        "institutional",
        "Đăng ký xây dựng văn bản QPPL; theo dõi thi hành pháp luật",
        "Đăng ký xây dựng 2 văn bản QPPL; theo dõi tình hình "
        "thi hành pháp luật trong lĩnh vực thu nộp và quản lý phí sử dụng kết cấu hạ tầng",
    ),
    (
        "procedure",
        "Công khai TTHC, cắt giảm thời gian, cơ chế một cửa",
        "100% TTHC và quy trình nội bộ được niêm yết, công khai; 100% hồ sơ TTHC thực hiện qua phần mềm một cửa điện tử",
    ),
    ("organisation", "Tổ chức bộ máy, ISO 9001:2015", "Kiện toàn Ban Chỉ đạo ISO tại Quyết định số 775/QĐ-BQL ngày 16/6/2021"),
    (
        "civil_service",
        "Biên chế, vị trí việc làm, đào tạo",
        "Sử dụng biên chế và sắp xếp vị trí việc làm theo quy định hiện hành",
    ),
    ("public_finance", "Sử dụng kinh phí", "Sử dụng kinh phí đúng mục đích, tiết kiệm, hiệu quả"),
    (
        "e_government",
        "Chính quyền điện tử, chính quyền số",
        "Cán bộ, công chức thường xuyên sử dụng Email công vụ; văn bản điện tử có chữ ký số",
    ),
]
DISCUSSION = [
    "CCHC",
    "TTHC",
    "xây dựng chính quyền điện tử, chính quyền số",
    "biên chế",
    "đào tạo cán bộ",
    "cập nhật các phần mềm phục vụ chính quyền số",
    "đăng ký tiếp nhận và trả kết quả qua dịch vụ bưu chính công ích",
]

# ILLUSTRATIVE criteria tree (the PAR INDEX criteria change yearly; import the real one from XLSX)
CRITERIA = [
    ("1", "Công tác chỉ đạo, điều hành CCHC", 10, "direction"),
    ("1.1", "Kế hoạch CCHC năm", 4, ""),
    ("1.2", "Tuyên truyền CCHC", 3, ""),
    ("1.3", "Kiểm tra, báo cáo CCHC", 3, ""),
    ("2", "Cải cách thể chế", 8, "institutional"),
    ("2.1", "Xây dựng văn bản QPPL", 5, ""),
    ("2.2", "Theo dõi thi hành pháp luật", 3, ""),
    ("3", "Cải cách TTHC", 14, "procedure"),
    ("3.1", "Công khai TTHC", 6, ""),
    ("3.2", "Cắt giảm thời gian giải quyết", 8, ""),
    ("4", "Cải cách tổ chức bộ máy", 8, "organisation"),
    ("4.1", "Áp dụng ISO 9001:2015", 4, ""),
    ("4.2", "Sắp xếp tổ chức bộ máy", 4, ""),
    ("5", "Xây dựng Chính quyền điện tử, Chính quyền số", 10, "e_government"),
    ("5.1", "Văn bản điện tử, chữ ký số", 5, ""),
    ("5.2", "Dịch vụ công trực tuyến mức độ 3, 4", 5, ""),
]
SCORES = {
    "1.1": (4, "Kế hoạch 08/KH-BQL"),
    "1.2": (2.5, "Tin bài trên Trang thông tin điện tử"),
    "2.1": (4, "Văn bản đăng ký xây dựng QPPL"),
    "3.1": (6, "Ảnh niêm yết, Trang thông tin điện tử"),
    "4.1": (4, "Quyết định 775/QĐ-BQL ngày 16/6/2021"),
}


def seed(*, agency, stdout=None) -> None:
    """Idempotent: nothing happens when the 2021 plan of the agency exists already."""
    if ReformPlan.objects.filter(agency=agency, year=2021).exists():
        if stdout:
            stdout.write("CCHC: đã có dữ liệu minh họa năm 2021.")
        return
    units = {u.short_name: u for u in Unit.objects.filter(agency=agency)}
    with transaction.atomic():
        province = ReformPlan.objects.filter(kind=ReformPlan.Kind.PROVINCE, year=2021, number=PROVINCE_PLAN["number"]).first()
        province = province or services.plan_create(actor=SYSTEM, kind=ReformPlan.Kind.PROVINCE, year=2021, **PROVINCE_PLAN)
        plan = services.plan_create(
            actor=SYSTEM, kind=ReformPlan.Kind.AGENCY, year=2021, agency=agency, parent=province, **AGENCY_PLAN
        )
        for area, title, unit, start, days, output, progress, completed in TASKS:
            task = services.task_create(
                actor=SYSTEM,
                plan=plan,
                area=area,
                title=title,
                owner_unit=units[unit],
                start_on=start,
                working_days=days,
                expected_output=output,
            )
            if progress == 100:
                services.task_add_evidence(actor=SYSTEM, task=task, description=output)
            if progress:
                services.task_update_progress(actor=SYSTEM, task=task, progress=progress, on=completed)
        assert ReformTask.objects.filter(plan=plan).count() == len(TASKS)

        for spec in DRAFTS:
            spec = dict(spec)
            stages = spec.pop("stages")
            draft = services.legal_draft_register(actor=SYSTEM, agency=agency, year=2021, **spec)
            for stage, on in stages:
                services.legal_draft_advance(actor=SYSTEM, draft=draft, stage=stage, on=on)
        services.enforcement_monitoring_record(
            actor=SYSTEM,
            agency=agency,
            year=2021,
            monitored_on=date(2021, 8, 16),
            field="Thu nộp và quản lý phí sử dụng công trình kết cấu hạ tầng, "
            "công trình dịch vụ, tiện ích công cộng trong khu vực cửa khẩu",
            content="Theo dõi việc thực hiện Quyết định số 12/2020/QĐ-UBND ngày 20/5/2020 của UBND tỉnh",
        )

        services.quality_system_set(
            actor=SYSTEM,
            agency=agency,
            committee_decision="775/QĐ-BQL",
            committee_decision_on=date(2021, 6, 16),
            scope="Toàn bộ TTHC thuộc thẩm quyền giải quyết và hoạt động quản lý nội bộ của Ban",
            last_review_on=date(2021, 8, 27),
        )  # last review: ILLUSTRATIVE

        for unit, positions, assigned, filled in STAFFING:
            for name, group, headcount in positions:
                services.job_position_create(actor=SYSTEM, unit=units[unit], name=name, group=group, headcount=headcount)
            services.staff_quota_set(actor=SYSTEM, unit=units[unit], year=2021, assigned=assigned, filled=filled)

        training = services.training_plan_create(
            actor=SYSTEM,
            agency=agency,
            year=2021,
            number="15/KH-BQL",
            title="Kế hoạch đào tạo, bồi dưỡng cán bộ, công chức năm 2021",
        )
        staff = list(User.objects.filter(unit__agency=agency).order_by("username"))
        for title, start, end, done in [
            ("Bồi dưỡng kiến thức, kỹ năng cải cách hành chính", date(2021, 5, 10), date(2021, 5, 14), True),
            ("Bồi dưỡng kỹ năng sử dụng chữ ký số và phần mềm quản lý văn bản", date(2021, 10, 4), date(2021, 10, 6), False),
        ]:
            course = services.training_course_add(
                actor=SYSTEM, plan=training, title=title, start_on=start, end_on=end, planned_participants=len(staff)
            )
            for user in staff:
                p = services.training_participant_add(actor=SYSTEM, course=course, full_name=user.display_name, user=user)
                if done:
                    services.training_participant_complete(actor=SYSTEM, participant=p)

        leader = User.objects.filter(username="kiemtra").first()
        inspection = services.inspection_create(
            actor=SYSTEM,
            agency=agency,
            inspected_on=date(2021, 9, 20),
            place="Trụ sở Ban Quản lý Khu kinh tế tỉnh",
            plan=province,
            decision_issuer="UBND tỉnh",
            summary="Ban QLKKT tỉnh triển khai đồng bộ các nhiệm vụ CCHC; "
            "thực hiện tốt kỷ luật, kỷ cương hành chính và văn hóa công vụ.",
            members=[
                {
                    "full_name": "Lê Văn Miều",
                    "title": "Phó Giám đốc Sở Nội vụ",
                    "role": InspectionMember.Role.LEADER,
                    "user": leader,
                },
                # ILLUSTRATIVE members: the article names only the team leader
                {"full_name": "Đại diện Phòng Cải cách hành chính", "title": "Sở Nội vụ", "role": InspectionMember.Role.MEMBER},
                {
                    "full_name": "Đại diện Văn phòng UBND tỉnh",
                    "title": "Văn phòng UBND tỉnh",
                    "role": InspectionMember.Role.MEMBER,
                },
            ],
        )
        for area, content, finding in CHECKLIST:
            services.inspection_add_checklist_item(
                actor=SYSTEM, inspection=inspection, area=area, content=content, finding=finding
            )
        for topic in DISCUSSION:
            services.inspection_add_discussion(actor=SYSTEM, inspection=inspection, topic=topic)
        recs = [
            services.recommendation_create(
                actor=SYSTEM, inspection=inspection, area=area, content=content, owner_unit=units[unit], working_days=days
            )
            for area, content, unit, days in RECOMMENDATIONS
        ]
        for area, content in ESCALATED:
            services.recommendation_create(actor=SYSTEM, inspection=inspection, area=area, content=content, addressee="province")
        # the training plan recommendation was met: closed with its evidence (ILLUSTRATIVE)
        training_rec = recs[-1]
        services.recommendation_start(actor=SYSTEM, recommendation=training_rec)
        services.recommendation_add_evidence(
            actor=SYSTEM,
            recommendation=training_rec,
            reference="15/KH-BQL",
            description="Kế hoạch đào tạo, bồi dưỡng cán bộ, công chức năm 2021 (bổ sung)",
        )
        services.recommendation_close(
            actor=SYSTEM, recommendation=training_rec, on=date(2021, 10, 8), note="Đã bổ sung kế hoạch đào tạo, bồi dưỡng cán bộ"
        )
        services.recommendation_start(actor=SYSTEM, recommendation=recs[3])

        cset = services.criteria_set_import(
            actor=SYSTEM,
            year=2021,
            name="Bộ tiêu chí tự đánh giá CCHC (mẫu minh họa)",
            rows=[{"code": c, "title": t, "max_points": m, "area": a} for c, t, m, a in CRITERIA],
        )
        for criterion in cset.criteria.all():
            if criterion.code in SCORES:
                score, evidence = SCORES[criterion.code]
                services.self_score_set(actor=SYSTEM, criterion=criterion, agency=agency, score=score, evidence=evidence)
    if stdout:
        stdout.write(
            f"CCHC: kế hoạch {PROVINCE_PLAN['number']}, {len(TASKS)} nhiệm vụ, {len(DRAFTS)} văn bản QPPL đăng ký, "
            f"đoàn kiểm tra ngày 20/9/2021 với {len(RECOMMENDATIONS) + len(ESCALATED)} kiến nghị."
        )
