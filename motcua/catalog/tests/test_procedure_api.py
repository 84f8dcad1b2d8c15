"""The procedure API: public reads, administrator writes."""

import pytest
from rest_framework.test import APIClient

from motcua.catalog.models import ProcedureVersion
from motcua.core.roles import Role
from motcua.core.testing import make_staff


@pytest.mark.django_db
def test_public_list_and_detail_without_login(make_procedure):
    make_procedure(code="1.009664", name="Thủ tục cấp Giấy chứng nhận đăng ký đầu tư")
    make_procedure(code="2.001955", name="Đăng ký nội quy lao động của doanh nghiệp", channel_online=False, online_level=2)
    api = APIClient()
    data = api.get("/api/v1/procedures/", {"search": "ĐẦU TƯ"}).json()
    assert data["count"] == 1
    item = data["results"][0]
    assert item["code"] == "1.009664" and item["legal_days"] == 15 and item["committed_days"] == 12
    assert item["field"] == {"code": "DT", "name": "Đầu tư tại Việt Nam"}
    assert item["online_level"] == 4 and item["channels"] == ["counter", "online"]
    assert api.get("/api/v1/procedures/", {"field": "DT"}).json()["count"] == 2
    assert api.get("/api/v1/procedures/", {"channel": "online"}).json()["count"] == 1
    detail = api.get("/api/v1/procedures/1.009664/").json()
    assert [s["unit"] for s in detail["steps"]] == ["MC", "QLĐT", "VP", "MC"]
    assert detail["components"][0]["name"] == "Văn bản đề nghị" and detail["history"][0]["version"] == 1
    assert api.get("/api/v1/procedures/9.999/").status_code == 404


@pytest.mark.django_db
def test_writes_need_an_administrator_and_validate_step_times(agency, field, make_procedure):
    make_procedure(code="1.009664")
    api = APIClient()
    body = {
        "code": "1.009665",
        "name": "Thủ tục cấp lại Giấy chứng nhận đăng ký đầu tư",
        "field": "DT",
        "legal_time": "5",
        "committed_time": "3",
        "steps": [
            {"name": "Tiếp nhận", "unit_short_name": "MC", "duration": "1"},
            {"name": "Thẩm định", "unit_short_name": "QLĐT", "duration": "3"},
        ],
    }
    assert api.post("/api/v1/procedures/", body, format="json").status_code in (401, 403)
    api.force_authenticate(make_staff("cv", Role.SPECIALIST))
    assert api.post("/api/v1/procedures/", body, format="json").status_code == 403
    admin = make_staff("qt", Role.ADMINISTRATOR, unit=agency.units.first())
    api.force_authenticate(admin)
    response = api.post("/api/v1/procedures/", body, format="json")
    assert response.status_code == 400 and "vượt quá thời hạn cam kết" in response.json()["fields"]["steps"][0]
    body["committed_time"] = "4"
    response = api.post("/api/v1/procedures/", body, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["status"] == "draft"
    response = api.post("/api/v1/procedures/1.009664/versions/", {"legal_time": "14"}, format="json")
    assert response.status_code == 201 and response.json()["version"] == 2
    response = api.patch("/api/v1/procedures/1.009664/versions/2/", {"time_note": "Sửa đổi"}, format="json")
    assert response.status_code == 200
    assert ProcedureVersion.objects.get(procedure__code="1.009664", number=2).time_note == "Sửa đổi"

    leader = make_staff("ld", Role.LEADER, unit=agency.units.first())
    api.force_authenticate(leader)
    d = api.post(
        "/api/v1/catalog/decisions/",
        {"number": "5/QĐ-UBND", "signed_on": "2021-04-01", "effective_on": "2021-04-02"},
        format="json",
    ).json()
    assert (
        api.post(
            f"/api/v1/catalog/decisions/{d['id']}/items/", {"action": "amended", "code": "1.009664", "version": 2}, format="json"
        ).status_code
        == 201
    )
    assert api.post(f"/api/v1/catalog/decisions/{d['id']}/apply/").status_code == 200
    assert api.post(f"/api/v1/catalog/decisions/{d['id']}/apply/").status_code == 409
    assert APIClient().get("/api/v1/procedures/1.009664/", {"on": "2021-04-02"}).json()["legal_days"] == 14
    assert APIClient().get("/api/v1/procedures/1.009664/", {"on": "2021-04-01"}).json()["legal_days"] == 15
