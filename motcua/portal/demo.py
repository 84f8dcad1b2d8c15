"""Demo of a whole province (called last by `manage.py seed_demo`): the provincial People's Committee
office at the top, the Economic Zone Board (the seed's agency, unchanged), the Department of Finance
(which took over the Department of Planning and Investment's one-stop procedures in 2025), a commune
People's Committee and the Public Administration Service Centre whose officers receive dossiers for the
agencies they are seconded to. Every unit of every agency gets staff. Procedures are real ones of the
national catalogue shipped in `catalog/data/` (code, name, field); their times, components and internal
steps are illustrative and listed as such. A few inter-agency dossiers (a Department of Finance
procedure with a land step at the commune) are written through the dossier services.

Idempotent: nothing happens when the province office exists already. The Board's own records (its
2021 figures) are not touched; the Board only gets its place under the province and staff for its
units that had none."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from motcua.catalog import national
from motcua.catalog import services as catalog_services
from motcua.catalog.demo import field_code
from motcua.catalog.models import Procedure
from motcua.core.demo import DEMO_PASSWORD
from motcua.core.models import Agency, AgencyLevel, Unit, User
from motcua.core.roles import Role
from motcua.core.services import agency_create, agency_place, secondment_add, staff_create, unit_create
from motcua.core.transitions import SYSTEM
from motcua.dossiers.intake import dossier_receive
from motcua.dossiers.models import Dossier
from motcua.dossiers.transitions import dossier_decide, dossier_forward
from motcua.workcalendar.selectors import Calendar

PROVINCE = {
    "name": "Văn phòng Ủy ban nhân dân tỉnh",
    "short_name": "VPUBND",
    "code": "H15",
    "parent_name": "Ủy ban nhân dân tỉnh",
    "level": AgencyLevel.PROVINCE,
    "address": "Số 1 đường Trung tâm, thành phố tỉnh lỵ",
    "email": "vpubnd@example.gov.vn",
    "province": "Tỉnh (dữ liệu minh họa)",
}
OTHERS = [
    {
        "name": "Sở Tài chính",
        "short_name": "STC",
        "code": "H15.12",
        "level": AgencyLevel.DEPARTMENT,
        "address": "Trung tâm Phục vụ hành chính công tỉnh",
        "email": "stc@example.gov.vn",
        "province": "Tỉnh (dữ liệu minh họa)",
    },
    {
        "name": "Ủy ban nhân dân xã Thạch Lạc",
        "short_name": "UBNDX-TL",
        "code": "H15.40.01",
        "level": AgencyLevel.COMMUNE,
        "address": "Trụ sở UBND xã Thạch Lạc",
        "email": "thachlac@example.gov.vn",
        "province": "Tỉnh (dữ liệu minh họa)",
    },
    {
        "name": "Trung tâm Phục vụ hành chính công tỉnh",
        "short_name": "TTPVHCC",
        "code": "H15.60",
        "level": AgencyLevel.DEPARTMENT,
        "is_service_centre": True,
        "address": "Số 2 đường Trung tâm, thành phố tỉnh lỵ",
        "email": "ttpvhcc@example.gov.vn",
        "province": "Tỉnh (dữ liệu minh họa)",
    },
]
# (agency short name, unit name, unit short name, one-stop desk, [(username, full name, roles, position)])
UNITS = [
    (
        "VPUBND",
        "Phòng Tiếp công dân và xử lý phản ánh, kiến nghị",
        "TCD",
        False,
        [("vp.pakn", "Hoàng Thị Thu", [Role.SPECIALIST], "Chuyên viên")],
    ),
    ("VPUBND", "Lãnh đạo Văn phòng", "LDVP", False, [("vp.lanhdao", "Nguyễn Đình Khang", [Role.LEADER], "Chánh Văn phòng")]),
    (
        "STC",
        "Bộ phận Một cửa của Sở (tại Trung tâm)",
        "MC",
        True,
        [("stc.motcua", "Đặng Thị Mai", [Role.ONE_STOP_OFFICER], "Cán bộ một cửa")],
    ),
    ("STC", "Phòng Đăng ký kinh doanh", "DKKD", False, [("stc.dkkd", "Bùi Văn Tùng", [Role.SPECIALIST], "Chuyên viên")]),
    ("STC", "Phòng Quản lý đầu tư", "QLĐT", False, [("stc.dautu", "Phan Thị Ngọc", [Role.SPECIALIST], "Chuyên viên")]),
    ("STC", "Lãnh đạo Sở", "LDS", False, [("stc.lanhdao", "Võ Minh Quân", [Role.LEADER], "Phó Giám đốc Sở")]),
    (
        "UBNDX-TL",
        "Bộ phận Một cửa xã",
        "MC",
        True,
        [("xa.motcua", "Lý Thị Hạnh", [Role.ONE_STOP_OFFICER], "Công chức Văn phòng - Thống kê")],
    ),
    (
        "UBNDX-TL",
        "Công chức Tư pháp - Hộ tịch",
        "TPHT",
        False,
        [("xa.tuphap", "Dương Văn Sơn", [Role.SPECIALIST], "Công chức Tư pháp - Hộ tịch")],
    ),
    (
        "UBNDX-TL",
        "Công chức Địa chính - Xây dựng",
        "DCXD",
        False,
        [("xa.diachinh", "Ngô Quang Trung", [Role.SPECIALIST], "Công chức Địa chính")],
    ),
    ("UBNDX-TL", "Lãnh đạo Ủy ban nhân dân xã", "LD", False, [("xa.chutich", "Hồ Văn Phúc", [Role.LEADER], "Chủ tịch UBND xã")]),
    (
        "TTPVHCC",
        "Bộ phận tiếp nhận và trả kết quả",
        "TNTKQ",
        True,
        [
            ("ttpv.tiepnhan1", "Trịnh Thu Trang", [Role.ONE_STOP_OFFICER], "Cán bộ tiếp nhận"),
            ("ttpv.tiepnhan2", "Kiều Văn Long", [Role.ONE_STOP_OFFICER], "Cán bộ tiếp nhận"),
        ],
    ),
    ("TTPVHCC", "Ban Giám đốc Trung tâm", "BGD", False, [("ttpv.giamdoc", "Lưu Thị Yến", [Role.LEADER], "Giám đốc Trung tâm")]),
]
# The Board's units the seed gave no staff.
BOARD_STAFF = [
    ("QLDN", "bql.qldn", "Trương Văn Dũng", [Role.SPECIALIST], "Chuyên viên"),
    ("QHXD", "bql.qhxd", "Mai Thị Giang", [Role.SPECIALIST], "Chuyên viên"),
    ("QLCK", "bql.qlck", "Cao Văn Hải", [Role.SPECIALIST], "Chuyên viên"),
]
SECONDMENTS = [("ttpv.tiepnhan1", "BQL"), ("ttpv.tiepnhan1", "STC"), ("ttpv.tiepnhan2", "STC"), ("ttpv.tiepnhan2", "UBNDX-TL")]

# Procedures of the national catalogue (code → agency). Times, components and steps: illustrative.
ILLUSTRATIVE = ["legal_time", "committed_time", "components", "steps", "fees", "channels"]
COMPONENTS_BUSINESS = [
    {"name": "Giấy đề nghị đăng ký doanh nghiệp"},
    {"name": "Điều lệ công ty"},
    {"name": "Bản sao giấy tờ pháp lý của cá nhân, tổ chức là chủ sở hữu", "originals": 0, "copies": 1},
]
COMPONENTS_INVESTMENT = [
    {"name": "Văn bản đề nghị điều chỉnh dự án đầu tư"},
    {"name": "Báo cáo tình hình thực hiện dự án đầu tư đến thời điểm điều chỉnh"},
    {"name": "Bản vẽ vị trí, ranh giới khu đất", "originals": 0, "copies": 1},
]
COMPONENTS_CIVIL = [{"name": "Tờ khai theo mẫu"}, {"name": "Giấy tờ tùy thân của người yêu cầu", "originals": 0, "copies": 1}]
PROCEDURES = [
    # Department of Finance: business registration (3 working days), and an inter-agency investment
    # procedure whose land step is done by the commune (liên thông).
    (
        "2.001583",
        "STC",
        "3",
        "3",
        COMPONENTS_BUSINESS,
        [
            ("Tiếp nhận hồ sơ", "MC", None, "0.5"),
            ("Thẩm định, cấp Giấy chứng nhận", "DKKD", None, "2"),
            ("Trả kết quả", "MC", None, "0.5"),
        ],
    ),
    (
        "2.002043",
        "STC",
        "3",
        "3",
        COMPONENTS_BUSINESS,
        [
            ("Tiếp nhận hồ sơ", "MC", None, "0.5"),
            ("Thẩm định, cấp Giấy chứng nhận", "DKKD", None, "2"),
            ("Trả kết quả", "MC", None, "0.5"),
        ],
    ),
    (
        "1.115143",
        "STC",
        "15",
        "12",
        COMPONENTS_INVESTMENT,
        [
            ("Tiếp nhận hồ sơ", "MC", None, "0.5"),
            ("Thẩm định hồ sơ điều chỉnh dự án", "QLĐT", None, "4"),
            ("Ý kiến về địa điểm, hiện trạng sử dụng đất (liên thông UBND xã)", "DCXD", "UBNDX-TL", "3"),
            ("Tổng hợp, dự thảo văn bản", "QLĐT", None, "2"),
            ("Phê duyệt", "LDS", None, "2"),
            ("Trả kết quả", "MC", None, "0.5"),
        ],
    ),
    # Commune: civil status and certification.
    (
        "1.001193",
        "UBNDX-TL",
        "1",
        "1",
        COMPONENTS_CIVIL,
        [
            ("Tiếp nhận hồ sơ", "MC", None, "0.25"),
            ("Kiểm tra, ghi sổ hộ tịch", "TPHT", None, "0.5"),
            ("Ký giấy khai sinh", "LD", None, "0.25"),
        ],
    ),
    (
        "1.004873",
        "UBNDX-TL",
        "3",
        "3",
        COMPONENTS_CIVIL,
        [("Tiếp nhận hồ sơ", "MC", None, "0.5"), ("Xác minh, dự thảo", "TPHT", None, "1.5"), ("Ký xác nhận", "LD", None, "1")],
    ),
    (
        "2.001019",
        "UBNDX-TL",
        "2",
        "2",
        COMPONENTS_CIVIL,
        [("Tiếp nhận hồ sơ", "MC", None, "0.25"), ("Chứng thực", "TPHT", None, "1.25"), ("Ký chứng thực", "LD", None, "0.5")],
    ),
]
INTER_AGENCY_CODE = "1.115143"


def _national_records(codes: set[str]) -> dict[str, dict]:
    """The catalogue's records of these codes (name, field, executing bodies), from the shipped file."""
    found = {}
    for record in national.read_records(national.open_lines(national.DEFAULT_FILE)):
        code = record["code"].strip()
        if code in codes:
            found[code] = record
    return found


def _agencies(board: Agency) -> dict[str, Agency]:
    province = agency_create(actor=SYSTEM, **PROVINCE)
    agencies = {"VPUBND": province, "BQL": board}
    for spec in OTHERS:
        data = dict(spec)
        agencies[data["short_name"]] = agency_create(actor=SYSTEM, parent=province, **data)
    if board.parent_id is None:
        agency_place(actor=SYSTEM, agency=board, parent=province, level=AgencyLevel.DEPARTMENT)
    return agencies


def _staff(agencies: dict[str, Agency]) -> list[tuple[str, str, str]]:
    logins = []
    for short, name, unit_short, desk, people in UNITS:
        agency = agencies[short]
        unit = Unit.objects.filter(agency=agency, short_name=unit_short).first() or unit_create(
            actor=SYSTEM, agency=agency, name=name, short_name=unit_short, is_one_stop_desk=desk
        )
        for username, full_name, roles, position in people:
            if not User.objects.filter(username=username).exists():
                staff_create(
                    actor=SYSTEM,
                    username=username,
                    password=DEMO_PASSWORD,
                    full_name=full_name,
                    unit=unit,
                    roles=list(roles),
                    position=position,
                    email=f"{username}@example.gov.vn",
                )
            logins.append((username, agency.short_name, ", ".join(Role(r).label for r in roles)))
    board = agencies["BQL"]
    for unit_short, username, full_name, roles, position in BOARD_STAFF:
        unit = Unit.objects.filter(agency=board, short_name=unit_short).first()
        if unit is None:
            continue
        if not User.objects.filter(username=username).exists():
            staff_create(
                actor=SYSTEM,
                username=username,
                password=DEMO_PASSWORD,
                full_name=full_name,
                unit=unit,
                roles=list(roles),
                position=position,
                email=f"{username}@example.gov.vn",
            )
        logins.append((username, board.short_name, ", ".join(Role(r).label for r in roles)))
    for username, short in SECONDMENTS:
        secondment_add(
            actor=SYSTEM, user=User.objects.select_related("unit__agency").get(username=username), agency=agencies[short]
        )
    return logins


def _procedures(agencies: dict[str, Agency]) -> int:
    records = _national_records({p[0] for p in PROCEDURES})
    created: dict[str, list] = {}
    for code, short, legal, committed, components, steps in PROCEDURES:
        record = records.get(code)
        if record is None or Procedure.objects.filter(code=code).exists():
            continue
        agency = agencies[short]
        category = (record.get("categories") or ["Khác"])[0].strip()
        field = catalog_services.field_get_or_create(actor=SYSTEM, code=field_code(category), name=category)
        version = catalog_services.procedure_create(
            actor=SYSTEM,
            code=code,
            data={
                "name": record["name"].strip(),
                "field": field,
                "agency": agency,
                "implementing_body": "; ".join(record.get("departments") or [])[:1000],
                "target": "; ".join(record.get("formalityTargetType") or [])[:1000],
                "government_level": "commune" if agency.level == AgencyLevel.COMMUNE else "province",
                "time_unit": "working_days",
                "legal_time": legal,
                "committed_time": committed,
                "online_level": 4,
                "online_class": "full",
                "channel_counter": True,
                "channel_online": True,
                "channel_postal": True,
                "result_by_post": True,
                "illustrative": ILLUSTRATIVE,
                "source": f"{national.SOURCE_PREFIX} {code} (tên, lĩnh vực); thời hạn, thành phần, quy trình: minh họa",
            },
            components=components,
            steps=[{"name": n, "unit": u, "agency": agencies[a] if a else None, "duration": d} for n, u, a, d in steps],
        )
        created.setdefault(short, []).append(version)
    for short, versions in created.items():
        agency = agencies[short]
        decision = catalog_services.decision_create(
            actor=SYSTEM,
            agency=agency,
            number=f"25/QĐ-UBND-{agency.short_name}",
            signed_on=date(2025, 7, 1),
            effective_on=date(2025, 7, 1),
            signer="Chủ tịch Ủy ban nhân dân tỉnh (minh họa)",
            title=f"Công bố danh mục thủ tục hành chính thuộc thẩm quyền của {agency.name} (minh họa)",
        )
        for version in versions:
            catalog_services.decision_item_add(
                actor=SYSTEM, decision=decision, action="new", procedure=version.procedure, version=version
            )
        catalog_services.decision_apply(actor=SYSTEM, decision=decision)
    return sum(len(v) for v in created.values())


APPLICANTS = [
    {
        "kind": "organisation",
        "full_name": "Công ty Cổ phần Thép Sao Mai",
        "tax_code": "3001234567",
        "representative": "Nguyễn Văn Bình",
        "phone": "0912000111",
        "email": "saomai@example.vn",
        "address": "Khu công nghiệp Vũng Áng",
    },
    {
        "kind": "organisation",
        "full_name": "Công ty TNHH Nông sản Hoàng Long",
        "tax_code": "3001234568",
        "representative": "Trần Thị Lan",
        "phone": "0912000222",
        "email": "hoanglong@example.vn",
        "address": "Xã Thạch Lạc",
    },
    {
        "kind": "organisation",
        "full_name": "Công ty TNHH Du lịch Biển Xanh",
        "tax_code": "3001234569",
        "representative": "Phạm Quốc Việt",
        "phone": "0912000333",
        "email": "bienxanh@example.vn",
        "address": "Xã Thạch Lạc",
    },
]


def _moment(day: date, hh: int, mm: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hh, mm)))


def _inter_agency_dossiers() -> int:
    """Three dossiers of the inter-agency procedure, received at the service centre for the Department
    of Finance: one decided (the commune's step on time), one at the commune's land step, one in appraisal."""
    if Dossier.objects.filter(procedure_version__procedure__code=INTER_AGENCY_CODE).exists():
        return 0
    if not Procedure.objects.filter(code=INTER_AGENCY_CODE).exists():
        return 0
    users = {
        u.username: u
        for u in User.objects.filter(username__in=["ttpv.tiepnhan1", "stc.dautu", "xa.diachinh", "stc.lanhdao"]).select_related(
            "unit__agency"
        )
    }
    cal = Calendar()
    today = timezone.localdate()
    start = today - timedelta(days=30)
    while not cal.is_working_day(start):
        start += timedelta(days=1)

    def day(n: int) -> date:
        return cal.add_working_days(start, n)

    count = 0
    for i, applicant in enumerate(APPLICANTS):
        received = day([0, 8, 14][i])
        if received > today:
            continue
        d = dossier_receive(
            actor=users["ttpv.tiepnhan1"],
            procedure_code=INTER_AGENCY_CODE,
            channel="counter",
            applicant=dict(applicant),
            received_at=_moment(received, 8, 30),
        )
        count += 1
        # (who forwards, working days after reception, hour): the centre hands the dossier to the
        # Department's appraisal; appraisal → the commune's land step; commune → summary; summary → approval.
        moves = [("ttpv.tiepnhan1", 0, 10), ("stc.dautu", 3, 15), ("xa.diachinh", 6, 9), ("stc.dautu", 7, 14)]
        moves = moves[: [4, 2, 1][i]]
        moments = [_moment(cal.add_working_days(received, offset) if offset else received, hour) for _, offset, hour in moves]
        for (username, _, _), at in zip(moves, moments, strict=True):
            if at > timezone.now():
                break
            dossier_forward(dossier=d, actor=users[username], at=at)
        decided = _moment(cal.add_working_days(received, 9), 10)
        if i == 0 and decided <= timezone.now():
            dossier_decide(dossier=d, actor=users["stc.lanhdao"], outcome="approved", at=decided)
    return count


def seed(*, agency: Agency, stdout=None) -> None:
    """`agency`: the seed's Board (seed_demo's agency)."""
    if Agency.objects.filter(short_name=PROVINCE["short_name"]).exists():
        if stdout:
            stdout.write("Tỉnh: đã có dữ liệu minh họa.")
        return
    with transaction.atomic():
        agencies = _agencies(agency)
        logins = _staff(agencies)
        procedures = _procedures(agencies)
    dossiers = _inter_agency_dossiers()
    if stdout:
        stdout.write(f"Tỉnh: {len(agencies)} cơ quan, {procedures} thủ tục từ danh mục quốc gia, {dossiers} hồ sơ liên thông.")
        stdout.write("Tài khoản của các cơ quan khác trong tỉnh (tên đăng nhập / mật khẩu / cơ quan / vai trò):")
        for username, short, roles in logins:
            stdout.write(f"  {username} / {DEMO_PASSWORD} / {short} / {roles}")
