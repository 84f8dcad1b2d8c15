"""Uploaded files: type checked by content (not by name), SHA-256 stored, size limited, digitised flag."""

import hashlib
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from PIL import Image

from motcua.core.errors import ValidationFailed
from motcua.core.testing import pdf_bytes
from motcua.dossiers.models import Dossier, DossierFile

from .factories import World, receive

pytestmark = pytest.mark.django_db

PDF = pdf_bytes(1)  # a real one-page PDF: the upload policy parses what it accepts


def png_bytes() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (4, 4), (200, 0, 0)).save(buf, format="PNG")
    return buf.getvalue()


def test_a_pdf_is_stored_with_its_hash_and_detected_type(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    world = World()
    component = world.version.components.first()
    upload = SimpleUploadedFile("don-de-nghi.bin", PDF, content_type="application/octet-stream")
    d = receive(world, files=[{"file": upload, "component": component, "digitised": True}])
    f = DossierFile.objects.get(dossier=d)
    assert f.sha256 == hashlib.sha256(PDF).hexdigest()
    assert f.content_type == "application/pdf" and f.extension == ".pdf"
    assert f.digitised and f.component == component and f.size == len(PDF)
    assert f.file.read() == PDF


def test_a_png_named_pdf_is_stored_as_png(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    world = World()
    d = receive(world, files=[{"file": SimpleUploadedFile("scan.pdf", png_bytes(), content_type="application/pdf")}])
    assert DossierFile.objects.get(dossier=d).content_type == "image/png"


def test_an_executable_named_pdf_is_refused_and_no_dossier_is_created(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    world = World()
    fake = SimpleUploadedFile("hop-dong.pdf", b"MZ\x90\x00\x03" + b"\x00" * 200, content_type="application/pdf")
    with pytest.raises(ValidationFailed) as exc:
        receive(world, files=[{"file": fake}])
    assert "files.0" in exc.value.fields
    assert not Dossier.objects.exists()
    text = SimpleUploadedFile("ghi-chu.pdf", "chỉ là chữ".encode(), content_type="application/pdf")
    with pytest.raises(ValidationFailed):
        receive(world, files=[{"file": text}])


def test_size_limit(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    world = World()
    big = SimpleUploadedFile("lon.pdf", PDF + b"0" * 2048, content_type="application/pdf")
    with override_settings(MOTCUA_MAX_UPLOAD_BYTES=1024):
        with pytest.raises(ValidationFailed):
            receive(world, files=[{"file": big}])


def test_mandatory_components_are_checked_when_the_officer_ticks_them():
    world = World()
    mandatory = list(world.version.components.filter(mandatory=True).values_list("pk", flat=True))
    with pytest.raises(ValidationFailed) as exc:
        receive(world, components=mandatory[:1])
    assert "components" in exc.value.fields
    assert receive(world, components=mandatory).status == "accepted"


def test_components_of_another_procedure_are_refused():
    world = World()
    other = World()
    foreign = other.version.components.first().pk
    with pytest.raises(ValidationFailed) as exc:
        receive(world, components=[foreign])
    assert "components" in exc.value.fields
