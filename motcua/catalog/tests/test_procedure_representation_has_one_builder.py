"""The API list answers from plain rows (selectors.procedure_search_page) without a serializer per row; the
list and detail serializers answer from versions. Both go through one builder (api.list_item), so they give
the same bytes."""

from datetime import date
from decimal import Decimal

import pytest
from rest_framework.renderers import JSONRenderer
from rest_framework.test import APIClient

from motcua.catalog import selectors
from motcua.catalog.api import ProcedureDetailSerializer, ProcedureListSerializer, list_item

ON = date(2021, 9, 23)


@pytest.fixture
def catalog(make_procedure):
    make_procedure(code="1.009661", name="Thủ tục đầu tư số 1", committed_time=None, channel_postal=True)
    make_procedure(
        code="1.009662", name="Thủ tục đầu tư số 2", legal_time=Decimal("13.5"), committed_time=Decimal("12.5"), online_level=None
    )
    make_procedure(code="1.009663", name="Thủ tục đầu tư số 3", four_on_spot=True, one_stop=False, channel_counter=False)


@pytest.mark.django_db
def test_the_api_list_is_the_list_serializer_over_the_same_versions_byte_for_byte(catalog):
    response = APIClient().get("/api/v1/procedures/", {"search": "dau tu", "on": ON.isoformat()})
    assert response.status_code == 200
    versions = list(selectors.procedure_search(query="dau tu", on=ON))
    assert [v.procedure.code for v in versions] == ["1.009661", "1.009662", "1.009663"]
    expected = {"count": 3, "next": None, "previous": None, "results": ProcedureListSerializer(versions, many=True).data}
    assert response.content == JSONRenderer().render(expected)


@pytest.mark.django_db
def test_a_row_and_its_version_give_the_same_item(catalog):
    page = selectors.procedure_search_page(query="dau tu", on=ON)
    versions = {v.procedure.code: v for v in selectors.procedure_search(query="dau tu", on=ON)}
    assert len(page.rows) == 3
    for row in page.rows:
        version = versions[row["procedure__code"]]
        assert dict(selectors.VersionRow(version)) == {key: row[key] for key in selectors.ROW_VALUES}
        assert JSONRenderer().render(list_item(row)) == JSONRenderer().render(ProcedureListSerializer(version).data)


@pytest.mark.django_db
def test_the_detail_begins_with_the_list_item_and_adds_its_own_fields(catalog):
    body = APIClient().get("/api/v1/procedures/1.009662/").json()
    item = APIClient().get("/api/v1/procedures/", {"search": "1.009662"}).json()["results"][0]
    assert list(body)[: len(item)] == list(item) and {k: body[k] for k in item} == item
    assert list(body) == ProcedureDetailSerializer.Meta.fields
    assert (item["legal_days"], item["committed_days"], item["cut_percent"], item["online_level"]) == (13.5, 12.5, 7.4, None)
    assert body["agency"] == "Ban Quản lý Khu kinh tế tỉnh" and [s["unit"] for s in body["steps"]] == ["MC", "QLĐT", "VP", "MC"]


def test_the_list_item_holds_the_fields_the_schema_describes():
    row = dict.fromkeys(selectors.ROW_VALUES)
    assert list(list_item(row)) == ProcedureListSerializer.Meta.fields
