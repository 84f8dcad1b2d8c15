"""Demo data of the core app: the Economic Zone Management Board, its units and one user per role."""

from django.db import transaction

from .models import Agency, Unit, User
from .roles import Role
from .services import agency_create, staff_create, unit_create

DEMO_PASSWORD = "motcua-demo-2021"

AGENCY = {
    "name": "Ban Quản lý Khu kinh tế tỉnh",
    "short_name": "BQL",
    "code": "H15.50",
    "parent_name": "Ủy ban nhân dân tỉnh",
    "address": "Trung tâm Phục vụ hành chính công tỉnh",
    "phone": "0200 3800 000",
    "email": "bqlkkt@example.gov.vn",
    "website": "https://bqlkkt.example.gov.vn",
    "province": "Tỉnh (dữ liệu minh họa)",
}

UNITS = [
    ("Văn phòng", "VP", False),
    ("Bộ phận Một cửa (tại Trung tâm Phục vụ hành chính công)", "MC", True),
    ("Phòng Quản lý đầu tư", "QLĐT", False),
    ("Phòng Quản lý doanh nghiệp và lao động", "QLDN", False),
    ("Phòng Quản lý quy hoạch, xây dựng và môi trường", "QHXD", False),
    ("Phòng Quản lý cửa khẩu", "QLCK", False),
]

USERS = [
    ("motcua", "Nguyễn Thị Hoa", "MC", [Role.ONE_STOP_OFFICER], "Cán bộ một cửa"),
    ("chuyenvien", "Trần Văn Minh", "QLĐT", [Role.SPECIALIST], "Chuyên viên"),
    ("lanhdao", "Lê Quang Hưng", "VP", [Role.LEADER], "Phó Trưởng ban"),
    ("vanthu", "Phạm Thị Lan", "VP", [Role.CLERK], "Văn thư"),
    ("kiemtra", "Lê Văn Miều", None, [Role.INSPECTOR], "Phó Giám đốc Sở Nội vụ"),
    ("quantri", "Quản trị hệ thống", "VP", [Role.ADMINISTRATOR], "Quản trị"),
]


def seed() -> Agency:
    """Idempotent: rows that exist are left as they are."""
    with transaction.atomic():
        agency = Agency.objects.filter(short_name=AGENCY["short_name"]).first()
        if agency is None:
            agency = agency_create(actor=None, **AGENCY)
        units = {}
        for name, short, desk in UNITS:
            unit = Unit.objects.filter(agency=agency, short_name=short).first()
            units[short] = unit or unit_create(actor=None, agency=agency, name=name, short_name=short, is_one_stop_desk=desk)
        for username, full_name, unit_short, roles, position in USERS:
            if not User.objects.filter(username=username).exists():
                staff_create(actor=None, username=username, password=DEMO_PASSWORD, full_name=full_name,
                             unit=units.get(unit_short), roles=list(roles), position=position,
                             email=f"{username}@example.gov.vn")
    return agency


def logins() -> list[tuple[str, str, str]]:
    return [(u, DEMO_PASSWORD, ", ".join(Role(r).label for r in roles)) for u, _, _, roles, _ in USERS]
