"""The online receipt page is a printable receipt listing the files received; the forms a procedure
names can be downloaded from its public page (and the online form), attached by staff in the catalog
admin (checked by the upload policy); the demo attaches illustrative sample forms."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from motcua.catalog.admin import ComponentForm
from motcua.catalog.demo import attach_demo_forms, sample_form_docx
from motcua.catalog.models import Component
from motcua.core.testing import docx_text

from .conftest import APPLICANT_POST, ELF_BYTES, pdf_upload

pytestmark = pytest.mark.django_db


def _submit(client, world):
    data = {
        **APPLICANT_POST,
        "action": "submit",
        f"file_{world.c1.pk}": pdf_upload(),
        f"file_{world.c2.pk}": pdf_upload("bao-cao.pdf"),
    }
    response = client.post(reverse("portal:submit", args=[world.code]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return response["Location"]


def test_the_receipt_page_lists_the_files_received_and_prints(client, world, media, templates_ready):
    page = client.get(_submit(client, world)).content.decode()
    assert "Giấy biên nhận hồ sơ trực tuyến" in page and 'id="online-receipt"' in page
    for name, component in (("don-de-nghi.pdf", world.c1), ("bao-cao.pdf", world.c2)):
        assert name in page and component.name in page
    assert 'class="button js-print"' in page and "portal/receipt.css" in page
    assert "<style" not in page and "onclick" not in page  # CSP: no inline style or script


def test_a_submission_without_files_says_so(client, world, media, templates_ready):
    world.c1.mandatory = world.c2.mandatory = False
    world.c1.save()
    world.c2.save()
    response = client.post(reverse("portal:submit", args=[world.code]), {**APPLICANT_POST, "action": "submit"})
    assert response.status_code == 302
    assert "Không có tệp đính kèm." in client.get(response["Location"]).content.decode()


def _attach(component: Component) -> bytes:
    data = sample_form_docx(form_name="Mẫu A.I.1", procedure_name="Thủ tục", component_name=component.name)
    component.form_name = "Mẫu A.I.1"
    component.form_file.save("mau-a-i-1.docx", ContentFile(data), save=True)
    return data


def test_a_procedures_form_downloads_from_its_public_page_and_the_online_form(client, world, media):
    data = _attach(world.c1)
    url = reverse("catalog:public-form", args=[world.code, world.c1.pk])
    assert f'href="{url}"' in client.get(reverse("catalog:public-detail", args=[world.code])).content.decode()
    assert f'href="{url}"' in client.get(reverse("portal:submit", args=[world.code])).content.decode()
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert response["Content-Disposition"].startswith("attachment") and ".docx" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == data


def test_a_component_without_a_form_or_of_another_procedure_is_404(client, world, media):
    _attach(world.c1)
    assert client.get(reverse("catalog:public-form", args=[world.code, world.c2.pk])).status_code == 404
    assert client.get(reverse("catalog:public-form", args=["9.999999", world.c1.pk])).status_code == 404


def test_the_admin_accepts_a_docx_or_pdf_form_and_refuses_anything_else(world):
    docx = sample_form_docx(form_name="Mẫu A.I.1", procedure_name="Thủ tục", component_name="Văn bản đề nghị")
    base = {"order": 4, "name": "Văn bản đề nghị", "originals": 1, "copies": 0, "mandatory": "on", "form_name": "Mẫu A.I.1"}
    for name, content, ok in (
        ("mau.docx", docx, True),
        ("mau.pdf", pdf_upload().read(), True),
        ("mau.docx", ELF_BYTES, False),
        ("mau.docx", b"PK\x03\x04 not a zip", False),
    ):
        form = ComponentForm(
            data=base, files={"form_file": SimpleUploadedFile(name, content)}, instance=Component(version=world.version)
        )
        assert form.is_valid() is ok, (name, form.errors)
        if not ok:
            assert "form_file" in form.errors


def test_the_demo_attaches_illustrative_forms_once(world, media):
    world.c1.form_name = "Mẫu A.I.1"
    world.c1.save()
    assert attach_demo_forms(agency=world.agency) == 1
    world.c1.refresh_from_db()
    assert world.c1.form_file.name.endswith("-minh-hoa.docx")
    with world.c1.form_file.open("rb") as f:
        text = docx_text(f.read())
    assert "MẪU MINH HỌA" in text and "Mẫu A.I.1" in text
    assert attach_demo_forms(agency=world.agency) == 0  # idempotent
