"""The internal process steps must fit in the committed time."""

from decimal import Decimal

import pytest

from motcua.catalog import services
from motcua.catalog.models import ProcedureVersion
from motcua.core.errors import ValidationFailed
from motcua.core.transitions import SYSTEM


@pytest.mark.django_db
def test_steps_longer_than_committed_time_are_refused_with_a_vietnamese_field_error(agency, field):
    steps = [
        {"name": "Tiếp nhận", "unit": "MC", "duration": "0.5"},
        {"name": "Thẩm định", "unit": "QLĐT", "duration": 8},
        {"name": "Phê duyệt", "unit": "VP", "duration": 2},
    ]
    with pytest.raises(ValidationFailed) as exc:
        services.procedure_create(
            actor=SYSTEM,
            code="1.009647",
            steps=steps,
            data={
                "name": "Thủ tục điều chỉnh Giấy chứng nhận đăng ký đầu tư",
                "field": field,
                "agency": agency,
                "legal_time": 10,
                "committed_time": 8,
            },
        )
    message = exc.value.fields["steps"][0]
    assert "10,5 ngày làm việc" in message and "vượt quá thời hạn cam kết (8 ngày làm việc)" in message
    assert not ProcedureVersion.objects.exists()


@pytest.mark.django_db
def test_steps_that_fit_are_saved_and_an_update_cannot_shrink_the_time_below_them(agency, field):
    steps = [
        {"name": "Tiếp nhận", "unit": "MC", "duration": "0.5"},
        {"name": "Thẩm định", "unit": "QLĐT", "duration": 6},
        {"name": "Phê duyệt", "unit": "VP", "duration": "1.5"},
    ]
    version = services.procedure_create(
        actor=SYSTEM,
        code="1.009647",
        steps=steps,
        data={
            "name": "Thủ tục điều chỉnh Giấy chứng nhận đăng ký đầu tư",
            "field": field,
            "agency": agency,
            "legal_time": 10,
            "committed_time": 8,
        },
    )
    assert sum(s.duration for s in version.steps.all()) == Decimal("8")
    assert [s.unit.short_name for s in version.steps.order_by("order")] == ["MC", "QLĐT", "VP"]
    with pytest.raises(ValidationFailed) as exc:
        services.procedure_version_update(actor=SYSTEM, version=version, data={"committed_time": 7})
    assert "steps" in exc.value.fields
    version.refresh_from_db()
    assert version.committed_time == 8


@pytest.mark.django_db
def test_committed_time_cannot_exceed_the_legal_time(agency, field):
    with pytest.raises(ValidationFailed) as exc:
        services.procedure_create(
            actor=SYSTEM, code="1.009648", data={"name": "Thủ tục thử", "field": field, "legal_time": 5, "committed_time": 6}
        )
    assert "committed_time" in exc.value.fields
