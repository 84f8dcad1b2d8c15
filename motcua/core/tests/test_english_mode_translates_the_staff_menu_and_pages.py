"""English mode: the staff menu and the main staff pages read in English (the project catalogue in
motcua/locale for the apps without their own); Vietnamese stays the default."""

import pytest
from django.conf import settings

from motcua.core.models import Agency, Unit
from motcua.core.roles import Role
from motcua.core.testing import make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def leader():
    agency = Agency.objects.create(name="Ban Quản lý Khu kinh tế tỉnh", short_name="BQL", code="H15.50")
    return make_staff("lanhdao-en", Role.LEADER, unit=Unit.objects.create(agency=agency, name="Văn phòng", short_name="VP"))


def test_english_mode_translates_the_staff_menu_and_pages(client, leader):
    client.force_login(leader)
    home = client.get("/staff/").content.decode()
    assert "Cải cách hành chính" in home and "Administrative reform" not in home

    client.post("/i18n/setlang/", {"language": "en", "next": "/staff/"})
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    home = client.get("/staff/").content.decode()
    for label in ("Administrative reform", "Reform report", "Incoming documents", "Outgoing documents", "Work to do"):
        assert label in home, label
    assert "Cải cách hành chính" not in home
    tasks = client.get("/cchc/nhiem-vu/").content.decode()
    assert "Add a task" in tasks and "Results by area" in tasks and "— Choose —" in tasks
    documents = client.get("/staff/van-ban/").content.decode()
    assert "Registers" in documents
