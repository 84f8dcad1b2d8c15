"""Demo data of the core app: the Economic Zone Management Board, its units and one user per role."""

import base64
import hashlib

from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import Agency, Unit, User
from .roles import Role
from .services import agency_create, staff_create, unit_create
from .transitions import SYSTEM

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
    # The province's inspection team: reads every agency (core.tenancy) and acts on the inspections it makes.
    ("kiemtra", "Lê Văn Miều", None, [Role.INSPECTOR, Role.PROVINCE_SUPERVISOR], "Phó Giám đốc Sở Nội vụ"),
    ("quantri", "Quản trị hệ thống", "VP", [Role.ADMINISTRATOR], "Quản trị"),
]


def seed() -> Agency:
    """Idempotent: rows that exist are left as they are."""
    with transaction.atomic():
        agency = Agency.objects.filter(short_name=AGENCY["short_name"]).first()
        if agency is None:
            agency = agency_create(actor=SYSTEM, **AGENCY)
        units = {}
        for name, short, desk in UNITS:
            unit = Unit.objects.filter(agency=agency, short_name=short).first()
            units[short] = unit or unit_create(actor=SYSTEM, agency=agency, name=name, short_name=short, is_one_stop_desk=desk)
        for username, full_name, unit_short, roles, position in USERS:
            if not User.objects.filter(username=username).exists():
                staff_create(
                    actor=SYSTEM,
                    username=username,
                    password=DEMO_PASSWORD,
                    full_name=full_name,
                    unit=units.get(unit_short),
                    roles=list(roles),
                    position=position,
                    email=f"{username}@example.gov.vn",
                )
        seed_two_factor()
    return agency


# Leaders and administrators must sign in with a second factor (MOTCUA_REQUIRE_2FA): the demo gives each of them
# an authenticator device with a key derived from the user name. The key is public (it is in this file), so these
# devices exist only in demo databases; `manage.py demo_totp USER` prints the current code (DEBUG only).
TWO_FACTOR_USERS = ("lanhdao", "quantri")
DEMO_DEVICE_NAME = "Thiết bị minh họa"


def demo_totp_key(username: str) -> str:
    return hashlib.sha1(f"motcua-demo-totp:{username}".encode()).hexdigest()  # noqa: S324 - a demo seed, not a hash


def seed_two_factor() -> None:
    for user in User.objects.filter(username__in=TWO_FACTOR_USERS):
        if not TOTPDevice.objects.filter(user=user).exists():
            TOTPDevice.objects.create(user=user, name=DEMO_DEVICE_NAME, key=demo_totp_key(user.username), confirmed=True)


def two_factor_secrets() -> list[tuple[str, str]]:
    """(user name, base32 secret to type into an authenticator app) of the demo's devices."""
    return [(u, base64.b32encode(bytes.fromhex(demo_totp_key(u))).decode("ascii")) for u in TWO_FACTOR_USERS]


def logins() -> list[tuple[str, str, str]]:
    return [(u, DEMO_PASSWORD, ", ".join(Role(r).label for r in roles)) for u, _, _, roles, _ in USERS]
