from datetime import datetime

import pytest
from django.core.cache import cache
from django.utils import timezone

from motcua.core.models import Agency
from motcua.core.roles import Role
from motcua.core.testing import make_staff
from motcua.core.transitions import Applicant
from motcua.feedback.services import feedback_submit


def vn(*args) -> datetime:
    """An aware moment in Vietnam time (settings.TIME_ZONE)."""
    return timezone.make_aware(datetime(*args))


@pytest.fixture
def agency(db):
    return Agency.objects.create(
        name="Ban Quản lý Khu kinh tế tỉnh",
        short_name="BQL",
        code="H15.50",
        address="Số 1 Đường Trung tâm, tỉnh minh họa",
        phone="0200 3800 000",
        email="bqlkkt@example.gov.vn",
    )


@pytest.fixture
def officer(db):
    return make_staff("motcua", Role.ONE_STOP_OFFICER)


@pytest.fixture
def specialist(db):
    return make_staff("chuyenvien", Role.SPECIALIST)


@pytest.fixture
def leader(db):
    return make_staff("lanhdao", Role.LEADER)


@pytest.fixture
def make_feedback(agency):
    def _make(**kwargs):
        data = {
            "kind": "phan_anh",
            "category": "procedure",
            "content": "Thời gian giải quyết quá lâu.",
            "submitter_name": "Nguyễn Văn An",
            "submitter_phone": "0912345678",
            "submitter_email": "an@example.vn",
            "submitter_address": "12 Lê Lợi",
            "agency": agency,
            "actor": Applicant(via="unverified"),
        }
        data.update(kwargs)
        return feedback_submit(**data)

    return _make


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()  # rate-limit counters
