"""Two people closing the same recommendation at once: the row lock lets exactly one succeed."""

import threading
from datetime import date

import pytest
from django.db import connection

from motcua.core.errors import TransitionNotAllowed
from motcua.core.models import AuditLog
from motcua.core.services import agency_create, unit_create
from motcua.core.testing import requires_postgres
from motcua.core.transitions import SYSTEM
from motcua.reform import services
from motcua.reform.models import InspectionMember, Recommendation


@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_only_one_concurrent_close_wins():
    agency = agency_create(actor=SYSTEM, name="Ban Quản lý Khu kinh tế tỉnh", short_name="BQL", code="H15.50")
    office = unit_create(actor=SYSTEM, agency=agency, name="Văn phòng", short_name="VP")
    inspection = services.inspection_create(
        actor=SYSTEM,
        agency=agency,
        inspected_on=date(2021, 9, 20),
        members=[{"full_name": "Lê Văn Miều", "title": "Phó Giám đốc Sở Nội vụ", "role": InspectionMember.Role.LEADER}],
    )
    rec = services.recommendation_create(
        actor=SYSTEM,
        inspection=inspection,
        area="civil_service",
        content="Xây dựng kế hoạch đào tạo, bồi dưỡng cán bộ",
        owner_unit=office,
        deadline=date(2021, 10, 29),
    )
    services.recommendation_add_evidence(actor=SYSTEM, recommendation=rec, description="Kế hoạch", reference="56/KH-BQL")

    barrier = threading.Barrier(2)
    results = []

    def close(note):
        try:
            barrier.wait()
            services.recommendation_close(actor=SYSTEM, recommendation=rec, note=note)
            results.append("ok")
        except TransitionNotAllowed:
            results.append("409")
        finally:
            connection.close()

    threads = [threading.Thread(target=close, args=(f"Đã xong {i}",)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == ["409", "ok"]
    assert Recommendation.objects.get(pk=rec.pk).status == "closed"
    assert AuditLog.objects.filter(action="reform.recommendation.close").count() == 1
