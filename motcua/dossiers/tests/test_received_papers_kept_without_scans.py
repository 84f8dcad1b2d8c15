"""A paper received on paper is a received paper: every ticked component is kept with its numbers of
originals and copies, scanned or not, and the receipt (BM.01) lists every one."""

import re
import subprocess
import unicodedata

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.catalog.models import Component
from motcua.desk.selectors.slips import dossier_for_slips
from motcua.desk.slips import render_bm01
from motcua.dossiers.models import Dossier, DossierFile, ReceivedPaper

from .factories import World, receive

pytestmark = pytest.mark.django_db


def _pdf() -> bytes:
    from io import BytesIO

    from reportlab.pdfgen import canvas

    buffer = BytesIO()
    c = canvas.Canvas(buffer)
    c.drawString(72, 720, "Don de nghi")
    c.save()
    return buffer.getvalue()


PDF = _pdf()


def _pdf_text(data: bytes, tmp_path) -> str:
    path = tmp_path / "bm01.pdf"
    path.write_bytes(data)
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True).stdout
    return " ".join(unicodedata.normalize("NFC", out.decode()).split())


def _four_mandatory(world: World) -> list[Component]:
    Component.objects.create(
        version=world.version, order=4, name="Giấy chứng nhận quyền sử dụng đất", mandatory=True, originals=0, copies=2
    )
    Component.objects.create(version=world.version, order=5, name="Báo cáo năng lực tài chính", mandatory=True)
    return list(world.version.components.filter(mandatory=True).order_by("order"))


def test_four_papers_ticked_one_scanned_keeps_four_and_the_receipt_lists_four(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    world = World()
    papers = _four_mandatory(world)
    assert len(papers) == 4
    client.force_login(world.officer)
    token = re.search(
        r'name="form_token" value="([0-9a-f]+)"', client.get(f"/staff/dossiers/new/?procedure={world.code}").content.decode()
    ).group(1)
    data = {
        "procedure": world.code,
        "channel": "counter",
        "kind": "individual",
        "full_name": "Trần Thị Bình",
        "id_number": "001190012345",
        "phone": "0912345678",
        "address": "Số 5 Lê Lợi",
        "result_delivery": "counter",
        "form_token": token,
        f"file_{papers[0].pk}": SimpleUploadedFile("don.pdf", PDF),
        f"originals_{papers[3].pk}": "2",
        f"copies_{papers[3].pk}": "1",
    }
    for c in papers:
        data[f"component_{c.pk}"] = "1"
    response = client.post(f"/staff/dossiers/new/?procedure={world.code}", data)
    assert response.status_code == 302, re.findall(r"(?s)error.{0,300}", response.content.decode())
    dossier = Dossier.objects.get()
    assert DossierFile.objects.filter(dossier=dossier).count() == 1
    kept = list(ReceivedPaper.objects.filter(dossier=dossier).order_by("order").values_list("name", "originals", "copies"))
    assert kept == [
        ("Văn bản đề nghị", 1, 0),
        ("Bản sao giấy tờ pháp lý", 0, 1),
        ("Giấy chứng nhận quyền sử dụng đất", 0, 2),
        ("Báo cáo năng lực tài chính", 2, 1),
    ]
    # The dossier page lists them; the receipt lists every one with its numbers.
    page = client.get(f"/staff/dossiers/{dossier.code}/").content.decode()
    assert "Giấy tờ đã nhận" in page and "Báo cáo năng lực tài chính" in page
    text = _pdf_text(render_bm01(dossier_for_slips(code=dossier.code)), tmp_path)
    for i, (name, originals, copies) in enumerate(kept, start=1):
        assert f"{i} {name} {originals} {copies}" in text, text


def test_service_keeps_ticked_papers_without_files_and_counts_given():
    world = World()
    c1, c2, c3 = world.version.components.order_by("order")
    d = receive(world, components=[c1.pk, {"component": c2.pk, "originals": 1, "copies": 3}])
    assert list(d.papers.order_by("order").values_list("component_id", "originals", "copies")) == [
        (c1.pk, c1.originals, c1.copies),
        (c2.pk, 1, 3),
    ]
    assert not d.files.exists()
    assert c3.pk not in d.papers.values_list("component_id", flat=True)


def test_bad_counts_are_400_and_nothing_is_received():
    from motcua.core.errors import ValidationFailed

    world = World()
    c1, c2, _ = world.version.components.order_by("order")
    for bad in (
        {"component": c2.pk, "originals": "hai"},
        {"component": c2.pk, "originals": -1, "copies": 0},
        {"component": c2.pk, "originals": 0, "copies": 0},
    ):
        with pytest.raises(ValidationFailed) as err:
            receive(world, components=[c1.pk, bad])
        assert "components.1" in err.value.fields
    assert not Dossier.objects.exists() and not ReceivedPaper.objects.exists()


def test_api_intake_keeps_the_ticked_papers(client):
    world = World()
    c1, c2, _ = world.version.components.order_by("order")
    client.force_login(world.officer)
    body = {
        "procedure": world.code,
        "channel": "counter",
        "components": [c1.pk, c2.pk],
        "applicant": {"full_name": "Nguyễn Văn An", "id_number": "001090012345"},
    }
    response = client.post("/api/v1/dossiers/", body, content_type="application/json")
    assert response.status_code == 201, response.content
    d = Dossier.objects.get(code=response.json()["code"])
    assert sorted(d.papers.values_list("component_id", flat=True)) == sorted([c1.pk, c2.pk])
