"""A procedure's public page is reused for anonymous visitors (catalog.public_cache), never for a logged-in user,
and a correction or a publication decision shows on the very next visit."""

from datetime import date

import pytest
from django.test import Client

from motcua.catalog import services
from motcua.catalog.models import ProcedureVersion
from motcua.core.models import Agency, Unit
from motcua.core.roles import Role
from motcua.core.testing import make_staff
from motcua.core.transitions import SYSTEM

URL = "/thu-tuc/1.009664/"


@pytest.fixture
def procedure(make_procedure):
    return make_procedure(code="1.009664", name="Thủ tục cấp Giấy chứng nhận đăng ký đầu tư")


def _rename_without_telling_the_cache(name: str) -> None:
    ProcedureVersion.objects.filter(procedure__code="1.009664").update(name=name)


@pytest.mark.django_db
def test_second_anonymous_visit_is_answered_without_database_queries(client, procedure, django_assert_num_queries):
    assert "Thủ tục cấp Giấy chứng nhận đăng ký đầu tư" in client.get(URL).content.decode()
    with django_assert_num_queries(0):
        second = Client().get(URL)
    body = second.content.decode()
    assert second.status_code == 200 and "Thủ tục cấp Giấy chứng nhận đăng ký đầu tư" in body
    assert "Thẩm định" in body and "Văn bản đề nghị" in body  # steps and components come with it


@pytest.mark.django_db
def test_correction_of_the_version_in_force_shows_on_the_next_visit(client, procedure):
    client.get(URL)
    _rename_without_telling_the_cache("Tên chưa báo bộ nhớ đệm")
    assert "Tên chưa báo bộ nhớ đệm" not in client.get(URL).content.decode()  # the stored page: the cache is on
    services.procedure_version_update(actor=SYSTEM, version=procedure, data={"name": "Cấp Giấy chứng nhận (đã đính chính)"})
    assert "Cấp Giấy chứng nhận (đã đính chính)" in client.get(URL).content.decode()


@pytest.mark.django_db
def test_new_version_published_by_a_decision_shows_on_the_next_visit(
    client, agency, procedure, django_capture_on_commit_callbacks
):
    client.get(URL)
    with django_capture_on_commit_callbacks(execute=True):
        draft = services.procedure_version_create(
            actor=SYSTEM, procedure=procedure.procedure, data={"name": "Cấp Giấy chứng nhận đăng ký đầu tư (phiên bản 2)"}
        )
        decision = services.decision_create(
            actor=SYSTEM, agency=agency, number="2/QĐ-UBND", signed_on=date(2021, 1, 1), effective_on=date(2021, 1, 4)
        )
        services.decision_item_add(
            actor=SYSTEM, decision=decision, action="amended", procedure=procedure.procedure, version=draft
        )
        services.decision_apply(actor=SYSTEM, decision=decision)
    assert "(phiên bản 2)" in client.get(URL).content.decode()


@pytest.mark.django_db
def test_logged_in_staff_of_another_agency_get_the_page_as_it_is_now(client, procedure):
    other = Agency.objects.create(name="Sở Xây dựng", short_name="SXD", code="H15.20")
    client.get(URL)
    _rename_without_telling_the_cache("Tên mới nhất")
    staff = Client()
    staff.force_login(
        make_staff("cv-sxd", Role.SPECIALIST, unit=Unit.objects.create(agency=other, name="Phòng QLXD", short_name="QLXD"))
    )
    assert "Tên mới nhất" in staff.get(URL).content.decode()
