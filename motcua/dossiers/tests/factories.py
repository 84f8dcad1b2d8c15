"""Test data: an agency with units and staff, a procedure version in force with components and an
internal process, built directly with the ORM (the catalog's own services are not needed here)."""

from datetime import date, datetime
from decimal import Decimal
from itertools import count

from django.utils import timezone

from motcua.catalog.models import Component, Field, Procedure, ProcedureVersion, ProcessStep, TimeUnit
from motcua.core.models import Agency, Unit
from motcua.core.roles import Role
from motcua.core.testing import make_staff
from motcua.dossiers.intake import dossier_receive

_n = count(1)


def aware(y, m, d, hh=9, mm=0) -> datetime:
    return timezone.make_aware(datetime(y, m, d, hh, mm))


def make_agency(code: str | None = None) -> Agency:
    n = next(_n)
    return Agency.objects.create(name=f"Ban Quản lý Khu kinh tế {n}", short_name=f"BQL{n}", code=code or f"H15.{n:02d}")


def make_units(agency: Agency) -> dict[str, Unit]:
    return {
        "MC": Unit.objects.create(agency=agency, name="Bộ phận Một cửa", short_name="MC", is_one_stop_desk=True),
        "QLDT": Unit.objects.create(agency=agency, name="Phòng Quản lý đầu tư", short_name="QLDT"),
        "VP": Unit.objects.create(agency=agency, name="Văn phòng", short_name="VP"),
    }


def make_version(
    agency: Agency,
    *,
    code: str | None = None,
    committed: str | None = "10",
    legal: str = "15",
    unit: str = TimeUnit.WORKING_DAYS,
    steps: list[tuple[str, str, str]] | None = None,
    units: dict[str, Unit] | None = None,
    valid_from: date = date(2020, 1, 1),
    cutoff=None,
    online: bool = True,
    postal: bool = True,
) -> ProcedureVersion:
    code = code or f"1.{next(_n):06d}"
    field, _ = Field.objects.get_or_create(code="DT", defaults={"name": "Đầu tư tại Việt Nam"})
    procedure = Procedure.objects.create(code=code)
    version = ProcedureVersion.objects.create(
        procedure=procedure,
        number=1,
        status=ProcedureVersion.Status.IN_FORCE,
        valid_from=valid_from,
        name=f"Thủ tục thử {code}",
        field=field,
        agency=agency,
        time_unit=unit,
        legal_time=Decimal(legal),
        committed_time=Decimal(committed) if committed is not None else None,
        channel_counter=True,
        channel_online=online,
        channel_postal=postal,
        result_by_post=True,
        reception_cutoff=cutoff,
    )
    Component.objects.create(version=version, order=1, name="Văn bản đề nghị", mandatory=True)
    Component.objects.create(version=version, order=2, name="Bản sao giấy tờ pháp lý", mandatory=True, originals=0, copies=1)
    Component.objects.create(version=version, order=3, name="Tài liệu khác (nếu có)", mandatory=False)
    if steps is None:
        steps = [
            ("Tiếp nhận hồ sơ", "MC", "0.5"),
            ("Thẩm định hồ sơ", "QLDT", "7"),
            ("Phê duyệt", "VP", "2"),
            ("Trả kết quả", "MC", "0.5"),
        ]
    for order, (name, unit_short, duration) in enumerate(steps, start=1):
        ProcessStep.objects.create(
            version=version, order=order, name=name, duration=Decimal(duration), unit=(units or {}).get(unit_short)
        )
    return version


class World:
    """One agency with units, staff of every role and one procedure in force."""

    def __init__(self, **version_kwargs):
        self.agency = make_agency()
        self.units = make_units(self.agency)
        n = next(_n)
        self.officer = make_staff(f"motcua{n}", Role.ONE_STOP_OFFICER, unit=self.units["MC"])
        self.specialist = make_staff(f"chuyenvien{n}", Role.SPECIALIST, unit=self.units["QLDT"])
        self.leader = make_staff(f"lanhdao{n}", Role.LEADER, unit=self.units["VP"])
        self.clerk = make_staff(f"vanthu{n}", Role.CLERK, unit=self.units["VP"])
        # The agency's administrator (core.tenancy: staff act for their own agency; no unit, no agency).
        self.boss = make_staff(f"quantri{n}", Role.ADMINISTRATOR, unit=self.units["VP"])
        self.version = make_version(self.agency, units=self.units, **version_kwargs)

    @property
    def code(self) -> str:
        return self.version.procedure.code


APPLICANT = {
    "kind": "individual",
    "full_name": "Nguyễn Văn An",
    "id_number": "001090012345",
    "phone": "0912345678",
    "email": "an@example.vn",
    "address": "Số 1 đường Trần Phú",
}


def receive(world: World, *, channel: str = "counter", at: datetime | None = None, **kwargs):
    extra = {"postal_tracking": "EMS123456789VN"} if channel == "postal" else {}
    extra.update(kwargs)
    actor = extra.pop("actor", world.officer)
    return dossier_receive(
        actor=actor, procedure_code=world.code, channel=channel, applicant=dict(APPLICANT), received_at=at, **extra
    )
