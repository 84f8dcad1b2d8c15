"""demo.seed is idempotent and leaves published answers for the public list."""

import io

import pytest

from motcua.core import demo as core_demo
from motcua.feedback import demo
from motcua.feedback.models import Feedback, Status

pytestmark = pytest.mark.django_db


def test_seed_twice_gives_the_same_items(client):
    agency = core_demo.seed()
    demo.seed(agency=agency, stdout=io.StringIO())
    first = Feedback.objects.count()
    demo.seed(agency=agency, stdout=io.StringIO())
    assert Feedback.objects.count() == first == len(demo.ITEMS)
    assert Feedback.objects.filter(status=Status.PUBLISHED).count() == 2
    assert {s for s in Feedback.objects.values_list("status", flat=True)} == {
        "published",
        "answered",
        "in_progress",
        "received",
        "more_info_requested",
        "refused",
    }
    body = client.get("/phan-anh-kien-nghi/da-tra-loi/").content.decode()
    assert "Nguyễn V** A*" in body and "0912345678" not in body
