"""Staff who may see a dossier open its files from its page: PDFs and images inline with the content
type found at upload, nosniff and a CSP sandbox; anonymous → login, another agency's staff → 404;
every opening is in the access log."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.core.models import AuditLog

from .factories import World, receive
from .test_received_papers_kept_without_scans import PDF

pytestmark = pytest.mark.django_db


@pytest.fixture
def dossier_with_pdf(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    world = World()
    component = world.version.components.order_by("order").first()
    d = receive(world, files=[{"file": SimpleUploadedFile("don-de-nghi.pdf", PDF), "component": component.pk}])
    return world, d, d.files.get()


def _read(response) -> bytes:
    return b"".join(response.streaming_content)


def test_the_dossier_page_links_each_file_and_it_opens_inline(client, dossier_with_pdf):
    world, d, f = dossier_with_pdf
    client.force_login(world.specialist)
    url = f"/staff/dossiers/{d.code}/files/{f.pk}/"
    assert f'href="{url}"' in client.get(f"/staff/dossiers/{d.code}/").content.decode()
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline") and "don-de-nghi.pdf" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"].startswith("sandbox")
    assert "no-store" in response["Cache-Control"]
    assert _read(response) == PDF


def test_opening_a_file_is_logged(client, dossier_with_pdf):
    world, d, f = dossier_with_pdf
    client.force_login(world.officer)
    before = AuditLog.objects.filter(action="dossier.view_personal_data", object_id=str(d.pk)).count()
    _read(client.get(f"/staff/dossiers/{d.code}/files/{f.pk}/"))
    entries = AuditLog.objects.filter(action="dossier.view_personal_data", object_id=str(d.pk))
    assert entries.count() == before + 1
    entry = entries.order_by("-id").first()
    assert entry.actor_id == world.officer.pk and entry.changes["file"]["sha256"] == f.sha256


def test_anonymous_is_sent_to_login_and_another_agencys_staff_get_404(client, dossier_with_pdf):
    world, d, f = dossier_with_pdf
    url = f"/staff/dossiers/{d.code}/files/{f.pk}/"
    anonymous = client.get(url)
    assert anonymous.status_code == 302 and "/login/" in anonymous["Location"]
    other = World()
    for user in (other.officer, other.specialist, other.leader):
        client.force_login(user)
        assert client.get(url).status_code == 404
    assert not AuditLog.objects.filter(action="dossier.view_personal_data", object_id=str(d.pk)).exists()


def test_a_file_of_another_dossier_is_not_served_under_this_code(client, dossier_with_pdf):
    world, d, f = dossier_with_pdf
    second = receive(world)
    client.force_login(world.officer)
    assert client.get(f"/staff/dossiers/{second.code}/files/{f.pk}/").status_code == 404


def test_a_non_staff_role_gets_403(client, dossier_with_pdf):
    world, d, f = dossier_with_pdf
    client.force_login(world.clerk)
    assert client.get(f"/staff/dossiers/{d.code}/files/{f.pk}/").status_code == 403
