"""When the object store cannot be reached, a request that stores or reads a file answers 503 with the
project's error page (Vietnamese) or API body, and nothing is half stored: no dossier, no file row, no changed
state. A store that fails in the middle of a request (the second of two files) leaves no row either, and the
object already written is deleted when the request ends (or by the sweeper: test_orphan_files_are_swept.py)."""

from __future__ import annotations

import re

import pytest
from botocore.exceptions import EndpointConnectionError
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.authtoken.models import Token
from storages.backends.s3 import S3Storage

from motcua.core.testing import pdf_bytes
from motcua.dossiers.models import Dossier, DossierFile
from motcua.dossiers.tests.factories import World, receive
from motcua.dossiers.transitions import dossier_forward

from .conftest import free_port, point_storage_at

pytestmark = pytest.mark.django_db

MESSAGE = "Kho lưu trữ tệp tạm thời không truy cập được"


@pytest.fixture
def store_down(settings, tmp_path):
    """The settings of a bucket on a store nobody answers at (a free port: connection refused)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    point_storage_at(settings, f"http://127.0.0.1:{free_port()}", "motcua-khong-truy-cap-duoc")


def _intake_form(client, world, files: dict) -> dict:
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
    }
    for i, (name, content) in enumerate(files.items()):
        data[f"file_{components[i].pk}"] = SimpleUploadedFile(name, content)
    return data


def test_intake_with_the_store_down_answers_a_vietnamese_503_page_and_stores_nothing(client, store_down):
    world = World()
    client.force_login(world.officer)
    data = _intake_form(client, world, {"don.pdf": pdf_bytes(1, "Đơn")})
    response = client.post(f"/staff/dossiers/new/?procedure={world.code}", data)
    assert response.status_code == 503
    assert MESSAGE in response.content.decode()
    assert not Dossier.objects.exists() and not DossierFile.objects.exists()


def test_a_result_file_sent_to_the_api_with_the_store_down_is_a_503_body_and_the_dossier_stays(client, store_down):
    world = World()
    d = dossier_forward(dossier=receive(world), actor=world.boss)
    token = Token.objects.create(user=world.boss)
    response = client.post(
        f"/api/v1/dossiers/{d.code}/actions/decide/",
        {"outcome": "approved", "result_file": SimpleUploadedFile("ket-qua.pdf", pdf_bytes(1, "Quyết định"))},
        HTTP_AUTHORIZATION=f"Token {token.key}",
    )
    assert response.status_code == 503
    body = response.json()
    assert body["code"] == "storage_unavailable" and MESSAGE in body["detail"]
    d.refresh_from_db()
    assert d.status != "decided"
    assert not d.result_file


def test_a_stored_file_cannot_be_opened_with_the_store_down_503(client, object_storage, settings):
    world = World()
    component = world.version.components.order_by("order").first()
    d = receive(world, files=[{"file": SimpleUploadedFile("don.pdf", pdf_bytes(1)), "component": component.pk}])
    f = d.files.get()
    point_storage_at(settings, f"http://127.0.0.1:{free_port()}", object_storage.name)  # the store goes away
    client.force_login(world.specialist)
    response = client.get(f"/staff/dossiers/{d.code}/files/{f.pk}/")
    assert response.status_code == 503
    assert MESSAGE in response.content.decode()


def test_a_store_failing_on_the_second_file_leaves_no_row(client, object_storage, monkeypatch):
    world = World()
    client.force_login(world.officer)
    saved = []
    real_save = S3Storage._save

    def second_save_fails(self, name, content):
        if saved:
            raise EndpointConnectionError(endpoint_url=object_storage.endpoint)
        saved.append(real_save(self, name, content))
        return saved[-1]

    monkeypatch.setattr(S3Storage, "_save", second_save_fails)  # under ObjectStorage, as a real fault is
    data = _intake_form(client, world, {"don.pdf": pdf_bytes(1, "Đơn"), "giay-phep.pdf": pdf_bytes(1, "Giấy phép")})
    response = client.post(f"/staff/dossiers/new/?procedure={world.code}", data)
    assert response.status_code == 503
    assert not Dossier.objects.exists() and not DossierFile.objects.exists()
    # Written before the fault; inside this test's own transaction nothing has committed or rolled back yet, so
    # it is left to the sweeper here (the next test shows the deletion at the end of a real request).
    assert len(saved) == 1 and saved[0] in object_storage.keys()


@pytest.mark.django_db(transaction=True)
def test_the_file_a_failed_request_wrote_is_deleted_when_the_request_ends(client, object_storage, monkeypatch):
    """Outside a test's own transaction, as in production: the rolled-back request's first file goes at once
    (the sweeper is only the safety net), the committed request's file stays."""
    world = World()
    client.force_login(world.officer)
    data = _intake_form(client, world, {"don.pdf": pdf_bytes(1, "Hồ sơ nhận đủ")})
    assert client.post(f"/staff/dossiers/new/?procedure={world.code}", data).status_code == 302
    kept = DossierFile.objects.get().file.name

    saved = []
    real_save = S3Storage._save

    def second_save_fails(self, name, content):
        if saved:
            raise EndpointConnectionError(endpoint_url=object_storage.endpoint)
        saved.append(real_save(self, name, content))
        return saved[-1]

    monkeypatch.setattr(S3Storage, "_save", second_save_fails)
    data = _intake_form(client, world, {"don-2.pdf": pdf_bytes(1, "Đơn 2"), "giay-phep-2.pdf": pdf_bytes(1, "Giấy phép 2")})
    assert client.post(f"/staff/dossiers/new/?procedure={world.code}", data).status_code == 503
    assert Dossier.objects.count() == 1 and DossierFile.objects.count() == 1
    assert len(saved) == 1
    assert object_storage.keys() == {kept}
