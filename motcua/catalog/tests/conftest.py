from datetime import date
from decimal import Decimal

import pytest
from django.core.cache import cache

from motcua.catalog import services
from motcua.core.models import Agency, Unit
from motcua.core.transitions import SYSTEM


@pytest.fixture
def agency(db):
    agency = Agency.objects.create(name="Ban Quản lý Khu kinh tế tỉnh", short_name="BQL", code="H15.50")
    for short in ("MC", "QLĐT", "VP"):
        Unit.objects.create(agency=agency, name=f"Đơn vị {short}", short_name=short)
    return agency


@pytest.fixture
def field(db):
    return services.field_get_or_create(actor=SYSTEM, code="DT", name="Đầu tư tại Việt Nam")


@pytest.fixture
def make_procedure(agency, field):
    """Create a procedure and put its first version in force from `valid_from` (through a decision)."""
    counter = {"n": 0}

    def make(code="1.009664", name="Thủ tục cấp Giấy chứng nhận đăng ký đầu tư", valid_from=date(2020, 1, 1), **data):
        counter["n"] += 1
        values = {
            "name": name,
            "field": field,
            "agency": agency,
            "legal_time": Decimal("15"),
            "committed_time": Decimal("12"),
            "online_level": 4,
            "channel_online": True,
            **data,
        }
        steps = [
            {"name": "Tiếp nhận", "unit": "MC", "duration": 1},
            {"name": "Thẩm định", "unit": "QLĐT", "duration": 9},
            {"name": "Phê duyệt", "unit": "VP", "duration": 1},
            {"name": "Trả kết quả", "unit": "MC", "duration": 1},
        ]
        version = services.procedure_create(
            actor=SYSTEM,
            code=code,
            data=values,
            steps=steps,
            components=[{"name": "Văn bản đề nghị", "form_name": "Mẫu A.I.1"}],
            fees=[{"name": "Lệ phí", "amount_vnd": 0}],
        )
        if valid_from is not None:
            decision = services.decision_create(
                actor=SYSTEM,
                agency=agency,
                number=f"{counter['n']}/QĐ-TEST-{code}",
                signed_on=valid_from,
                effective_on=valid_from,
            )
            services.decision_item_add(
                actor=SYSTEM, decision=decision, action="new", procedure=version.procedure, version=version
            )
            services.decision_apply(actor=SYSTEM, decision=decision)
            version.refresh_from_db()
        return version

    return make


@pytest.fixture(autouse=True)
def _empty_cache():
    """The public search keeps answers in the process's cache: no test sees another's (their catalogs differ
    but their URLs may not)."""
    cache.clear()
    yield
    cache.clear()
