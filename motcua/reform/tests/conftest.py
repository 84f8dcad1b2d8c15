from datetime import date

import pytest

from motcua.core.services import agency_create, unit_create
from motcua.core.transitions import SYSTEM
from motcua.portal.tests.conftest import chromium_browser, page  # noqa: F401 (browser-test fixtures)
from motcua.reform import services
from motcua.reform.models import InspectionMember, Recommendation, ReformPlan


@pytest.fixture
def agency(db):
    return agency_create(
        actor=SYSTEM, name="Ban Quản lý Khu kinh tế tỉnh", short_name="BQL", code="H15.50", parent_name="Ủy ban nhân dân tỉnh"
    )


@pytest.fixture
def office(agency):
    return unit_create(actor=SYSTEM, agency=agency, name="Văn phòng", short_name="VP")


@pytest.fixture
def investment(agency):
    return unit_create(actor=SYSTEM, agency=agency, name="Phòng Quản lý đầu tư", short_name="QLĐT")


@pytest.fixture
def inspection(agency):
    return services.inspection_create(
        actor=SYSTEM,
        agency=agency,
        inspected_on=date(2021, 9, 20),
        place="Trụ sở Ban QLKKT tỉnh",
        decision_number="1234/QĐ-SNV",
        decision_issuer="Sở Nội vụ",
        members=[
            {"full_name": "Lê Văn Miều", "title": "Phó Giám đốc Sở Nội vụ", "role": InspectionMember.Role.LEADER},
            {"full_name": "Nguyễn Thị Thu", "title": "Trưởng phòng CCHC, Sở Nội vụ", "role": InspectionMember.Role.MEMBER},
        ],
    )


@pytest.fixture
def make_recommendation(inspection, office):
    def make(
        content="Xây dựng kế hoạch đào tạo, bồi dưỡng cán bộ",
        *,
        deadline=date(2021, 10, 29),
        escalated=False,
        area="civil_service",
    ):
        if escalated:
            return services.recommendation_create(
                actor=SYSTEM, inspection=inspection, area=area, content=content, addressee=Recommendation.Addressee.PROVINCE
            )
        return services.recommendation_create(
            actor=SYSTEM, inspection=inspection, area=area, content=content, owner_unit=office, deadline=deadline
        )

    return make


@pytest.fixture
def agency_plan(agency):
    """The agency's CCHC plan for 2021."""
    return services.plan_create(
        actor=SYSTEM,
        kind=ReformPlan.Kind.AGENCY,
        year=2021,
        number="15/KH-BQL",
        issued_on=date(2021, 1, 15),
        issuer="Ban Quản lý Khu kinh tế tỉnh",
        title="Kế hoạch CCHC 2021",
        agency=agency,
    )


@pytest.fixture
def make_task(agency_plan, office):
    """A task of the 2021 plan, owned by the office unless said otherwise."""

    def make(title="Rà soát TTHC", *, owner_unit=None, area="procedure", start_on=date(2021, 2, 1), **dates):
        return services.task_create(
            actor=SYSTEM,
            plan=agency_plan,
            area=area,
            title=title,
            owner_unit=owner_unit or office,
            start_on=start_on,
            **dates,
        )

    return make
