"""The PAKN form's list of procedures (thousands on a province portal) is prepared once per catalog version and
kept in the shared cache: the next form does not query it again, and a publication decision, of this agency or of
another one, is offered and accepted on the very next form."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from motcua.catalog import services
from motcua.catalog.models import ProcedureVersion
from motcua.core.models import Agency, AgencyLevel
from motcua.core.transitions import SYSTEM
from motcua.dossiers.tests.factories import make_units, make_version
from motcua.feedback.models import Feedback

from .test_public_pakn_pages import form_data

pytestmark = pytest.mark.django_db
URL = "/phan-anh-kien-nghi/"


@pytest.fixture
def province(agency):
    root = Agency.objects.create(
        name="Văn phòng Ủy ban nhân dân tỉnh", short_name="VPUBND", code="H15", level=AgencyLevel.PROVINCE
    )
    Agency.objects.filter(pk=agency.pk).update(parent=root)
    dept = Agency.objects.create(name="Sở Tài chính", short_name="STC", code="H15.12", parent=root)
    make_version(agency, code="1.009664", units=make_units(agency))
    return root, agency, dept


def _publish(agency: Agency, code: str, name: str) -> None:
    """A new procedure put in force by a publication decision (the catalog's services, as an editor does)."""
    field = services.field_get_or_create(actor=SYSTEM, code="TC", name="Tài chính")
    version = services.procedure_create(actor=SYSTEM, code=code, data={"name": name, "field": field, "agency": agency})
    decision = services.decision_create(
        actor=SYSTEM, agency=agency, number=f"{code}/QĐ", signed_on=date(2021, 1, 1), effective_on=date(2021, 1, 4)
    )
    services.decision_item_add(actor=SYSTEM, decision=decision, action="new", procedure=version.procedure, version=version)
    services.decision_apply(actor=SYSTEM, decision=decision)


def _queries_of_versions(client) -> tuple[str, int]:
    with CaptureQueriesContext(connection) as queries:
        body = client.get(URL).content.decode()
    return body, sum("catalog_procedureversion" in q["sql"] for q in queries.captured_queries)


def test_the_next_form_does_not_query_the_procedures_again(client, province):
    body, first = _queries_of_versions(client)
    assert '<option value="1.009664">1.009664 — Thủ tục thử 1.009664</option>' in body and first == 1
    body, second = _queries_of_versions(client)
    assert '<option value="1.009664">1.009664 — Thủ tục thử 1.009664</option>' in body and second == 0


def test_a_procedure_written_without_the_catalog_services_is_not_seen_until_the_catalog_changes(client, province):
    """The list comes from the cache (so the test below can fail): a row written behind the services' back is
    not offered; the next decision, which replaces the catalog version, brings it in."""
    client.get(URL)
    ProcedureVersion.objects.filter(procedure__code="1.009664").update(name="Tên sửa thẳng trong cơ sở dữ liệu")
    assert "Tên sửa thẳng trong cơ sở dữ liệu" not in client.get(URL).content.decode()
    _publish(province[2], "2.001583", "Thẩm định giá đất cụ thể")
    assert "Tên sửa thẳng trong cơ sở dữ liệu" in client.get(URL).content.decode()


@pytest.mark.parametrize("whose", [1, 2], ids=["this-agency", "another-agency"])
def test_a_procedure_published_by_a_decision_is_offered_and_accepted_at_once(
    client, province, whose, django_capture_on_commit_callbacks
):
    assert "2.001583" not in client.get(URL).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        _publish(province[whose], "2.001583", "Thẩm định giá đất cụ thể")
    assert '<option value="2.001583">2.001583 — Thẩm định giá đất cụ thể</option>' in client.get(URL).content.decode()
    response = client.post(URL, form_data(procedure="2.001583"))
    assert response.status_code == 302
    feedback = Feedback.objects.get()
    assert feedback.procedure.code == "2.001583" and feedback.agency == province[whose]


def test_an_unknown_procedure_is_refused_with_the_field_error_and_the_choice_is_kept(client, province):
    client.get(URL)
    response = client.post(URL, form_data(procedure="9.999999"))
    assert response.status_code == 400
    assert "Thủ tục không có trong danh mục." in response.content.decode()
    assert not Feedback.objects.exists()
    kept = client.post(URL, form_data(procedure="1.009664", consent="")).content.decode()
    procedure_select = kept.split('<select name="procedure"', 1)[1].split("</select>", 1)[0]
    assert '<option value="1.009664" selected>' in procedure_select  # the sender's choice stays selected
    assert procedure_select.count(" selected") == 1  # and only it


def test_a_second_agency_s_procedure_is_offered_once_published(client, agency):
    make_version(agency, code="1.009664", units=make_units(agency))
    other = Agency.objects.create(name="Sở Tài chính", short_name="STC", code="H15.12")
    body = client.get(URL).content.decode()
    assert "1.009664" in body
    _publish(other, "2.001583", "Thẩm định giá đất cụ thể")
    assert "2.001583" in client.get(URL).content.decode()  # two agencies now: the province's whole catalogue
