"""Staff pages: counter intake (components of the version in force, files), the dossier page with
the actions the role allows, action forms posting to the services, list and worklist."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.core.testing import pdf_bytes
from motcua.dossiers.models import Dossier, DossierFile

from .factories import World, receive

pytestmark = pytest.mark.django_db

PDF = pdf_bytes(1)  # a real one-page PDF: the upload policy parses what it accepts


def test_intake_form_shows_the_components_of_the_version_in_force(client):
    world = World()
    client.force_login(world.officer)
    page = client.get(f"/staff/dossiers/new/?procedure={world.code}")
    assert page.status_code == 200
    html = page.content.decode()
    for component in world.version.components.all():
        assert component.name in html
    assert 'accesskey="s"' in html and "<script src=" in html and "style=" not in html


def test_counter_intake_through_the_form(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    world = World()
    client.force_login(world.officer)
    token = re.search(
        r'name="form_token" value="([0-9a-f]+)"', client.get(f"/staff/dossiers/new/?procedure={world.code}").content.decode()
    ).group(1)
    components = list(world.version.components.order_by("order"))
    data = {
        "procedure": world.code,
        "channel": "counter",
        "kind": "individual",
        "full_name": "Lê Thị Cúc",
        "id_number": "001190012345",
        "birth_date": "1990-04-02",
        "phone": "0912345678",
        "email": "cuc@example.vn",
        "address": "Số 5 Lê Lợi",
        "result_delivery": "counter",
        "form_token": token,
        f"component_{components[0].pk}": "1",
        f"component_{components[1].pk}": "1",
        f"file_{components[0].pk}": SimpleUploadedFile("don.pdf", PDF),
        f"digitised_{components[0].pk}": "1",
    }
    response = client.post(f"/staff/dossiers/new/?procedure={world.code}", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    dossier = Dossier.objects.get()
    assert response["Location"] == f"/staff/dossiers/{dossier.code}/"
    assert dossier.status == "accepted" and dossier.applicant_name == "Lê Thị Cúc"
    f = DossierFile.objects.get(dossier=dossier)
    assert f.digitised and f.component == components[0] and f.content_type == "application/pdf"
    # A double submit of the same form returns the same dossier.
    data[f"file_{components[0].pk}"] = SimpleUploadedFile("don.pdf", PDF)
    again = client.post(f"/staff/dossiers/new/?procedure={world.code}", data)
    assert again["Location"] == f"/staff/dossiers/{dossier.code}/"
    assert Dossier.objects.count() == 1


def test_intake_form_reports_missing_components_and_bad_id(client):
    world = World()
    client.force_login(world.officer)
    data = {
        "procedure": world.code,
        "channel": "counter",
        "kind": "individual",
        "full_name": "A",
        "id_number": "123",
        "result_delivery": "counter",
    }
    response = client.post("/staff/dossiers/new/", data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "12 chữ số" in html
    assert not Dossier.objects.exists()
    data["id_number"] = "001090012345"
    html = client.post("/staff/dossiers/new/", data).content.decode()
    assert "Thiếu" in html and not Dossier.objects.exists()


def test_dossier_page_offers_only_the_actions_of_the_role(client):
    world = World()
    d = receive(world)
    client.force_login(world.officer)
    html = client.get(f"/staff/dossiers/{d.code}/").content.decode()
    assert "/actions/forward/" in html and "/actions/decide/" not in html
    client.force_login(world.leader)
    html = client.get(f"/staff/dossiers/{d.code}/").content.decode()
    assert "/actions/decide/" in html and "/actions/receive_supplement/" not in html
    assert "Tiếp nhận hồ sơ" in html  # the first step of the handover log


def test_action_form_posts_to_the_service(client):
    world = World()
    d = receive(world)
    client.force_login(world.officer)
    response = client.post(f"/staff/dossiers/{d.code}/actions/request_supplement/", {"items": "Bản sao hợp đồng\nBản vẽ"})
    assert response.status_code == 302
    d.refresh_from_db()
    assert d.status == "supplement_requested"
    assert d.supplement_requests.get().items == ["Bản sao hợp đồng", "Bản vẽ"]
    # A transition that is no longer allowed shows a message and changes nothing.
    response = client.post(f"/staff/dossiers/{d.code}/actions/forward/", {}, follow=True)
    assert "Không thể" in response.content.decode()
    d.refresh_from_db()
    assert d.status == "supplement_requested"


def test_list_and_worklist(client):
    world = World()
    d = receive(world)
    receive(world, channel="online")
    client.force_login(world.officer)
    html = client.get("/staff/dossiers/?channel=counter").content.decode()
    assert d.code in html
    assert "2 hồ sơ" in client.get("/staff/dossiers/").content.decode()
    response = client.get("/staff/dossiers/worklist/", follow=True)
    assert response.redirect_chain[0][0] == "/mot-cua/viec/"
    assert d.code in response.content.decode()  # the officer holds the reception step


def test_pages_need_a_role(client):
    world = World()
    d = receive(world)
    client.force_login(world.clerk)
    assert client.get("/staff/dossiers/").status_code == 403
    assert client.get(f"/staff/dossiers/{d.code}/").status_code == 403
    client.force_login(world.specialist)
    assert client.get("/staff/dossiers/new/").status_code == 403


def test_opening_a_dossier_page_is_logged_and_links_to_its_slips(client):
    from motcua.core.models import AuditLog

    world = World()
    d = receive(world)
    client.force_login(world.officer)
    html = client.get(f"/staff/dossiers/{d.code}/").content.decode()
    assert f"/mot-cua/ho-so/{d.code}/phieu/" in html
    entry = AuditLog.objects.filter(action="dossier.view_personal_data", object_id=str(d.pk)).get()
    assert entry.actor_id == world.officer.pk
