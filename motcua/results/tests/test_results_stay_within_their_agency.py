"""Tenancy and bad input: a second agency's leader cannot issue (404, nothing written) nor see the issue page
of the first agency's dossier; an officer without the leader's role is refused (403); the public page of one
result never shows another's data; a bad token, an uploaded non-PDF or no file answer in Vietnamese, never 500."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.core.errors import NotFoundError, PermissionDeniedError, TransitionNotAllowed
from motcua.core.models import AuditLog
from motcua.core.testing import ELF_HEADER, HTML_AS_PDF
from motcua.dossiers.tests.factories import World, receive
from motcua.results.models import ElectronicResult, ResultCounter
from motcua.results.services import result_issue

from .conftest import Upload, decided, decision_pdf, with_identities

pytestmark = pytest.mark.django_db


@pytest.fixture
def other(pki_env):
    return with_identities(World(), pki_env)


def pdf_upload(text="Quyết định"):
    return SimpleUploadedFile("qd.pdf", decision_pdf(text), "application/pdf")


def test_second_agency_leader_cannot_issue_for_the_first(world, dossier, other, client):
    with pytest.raises(NotFoundError):
        result_issue(actor=other.leader, dossier=dossier, source=Upload(decision_pdf()))
    client.force_login(other.leader)
    assert client.get(f"/staff/results/{dossier.code}/").status_code == 404
    assert client.post(f"/staff/results/{dossier.code}/", {"source": pdf_upload()}).status_code == 404
    assert not ElectronicResult.objects.exists()
    assert not ResultCounter.objects.filter(last_number__gt=0).exists()  # no number taken
    assert not AuditLog.objects.filter(action="electronic_result.issue").exists()


def test_own_leader_issues_through_the_page(world, dossier, client):
    client.force_login(world.leader)
    assert client.get(f"/staff/results/{dossier.code}/").status_code == 200
    response = client.post(f"/staff/results/{dossier.code}/", {"source": pdf_upload()})
    assert response.status_code == 302
    result = ElectronicResult.objects.get(dossier=dossier)
    page = client.get(f"/staff/results/{dossier.code}/").content.decode()
    assert result.label in page


def test_an_officer_is_not_a_signer(world, dossier, client):
    with pytest.raises(PermissionDeniedError):
        result_issue(actor=world.officer, dossier=dossier, source=Upload(decision_pdf()))
    client.force_login(world.officer)
    assert client.post(f"/staff/results/{dossier.code}/", {"source": pdf_upload()}).status_code == 403
    assert not ElectronicResult.objects.exists()


def test_an_undecided_dossier_has_no_result_yet(world, client):
    d = receive(world, channel="counter")
    with pytest.raises(TransitionNotAllowed):
        result_issue(actor=world.leader, dossier=d, source=Upload(decision_pdf()))
    client.force_login(world.leader)
    assert client.post(f"/staff/results/{d.code}/", {"source": pdf_upload()}).status_code == 409


def test_a_non_pdf_source_is_refused_with_400(world, dossier, client):
    client.force_login(world.leader)
    response = client.post(f"/staff/results/{dossier.code}/", {"source": SimpleUploadedFile("qd.pdf", HTML_AS_PDF)})
    assert response.status_code == 400
    assert not ElectronicResult.objects.exists()


def test_public_page_shows_only_its_own_result(world, dossier, other, client):
    first = result_issue(actor=world.leader, dossier=dossier, source=Upload(decision_pdf("một")))
    second = result_issue(actor=other.leader, dossier=decided(other), source=Upload(decision_pdf("hai")))
    page = client.get(f"/ket-qua/xac-minh/{first.token}/").content.decode()
    assert first.label in page and first.sha256 in page
    assert second.label not in page and second.sha256 not in page and other.agency.name not in page
    assert second.procedure_name not in page


@pytest.mark.parametrize("token", ["khong-co", "x" * 500, "%00", "';DROP TABLE--", "..."])
def test_a_bad_token_answers_404_in_vietnamese(client, db, token):
    response = client.get(f"/ket-qua/xac-minh/{token}/")
    assert response.status_code in (400, 404)
    if response.status_code == 404:
        assert "Không tìm thấy kết quả điện tử" in response.content.decode()


@pytest.mark.parametrize(
    "upload",
    [
        SimpleUploadedFile("kq.pdf", HTML_AS_PDF, "application/pdf"),
        SimpleUploadedFile("kq.pdf", ELF_HEADER, "application/pdf"),
        SimpleUploadedFile("kq.txt", "không phải PDF".encode(), "text/plain"),
        SimpleUploadedFile("kq.pdf", b"", "application/pdf"),
    ],
)
def test_an_uploaded_non_pdf_answers_400(client, db, upload):
    response = client.post("/ket-qua/xac-minh/", {"file": upload})
    assert response.status_code == 400
    assert 'data-valid="false"' in response.content.decode()


def test_an_upload_without_a_file_answers_400_and_the_form_opens(client, db):
    assert client.post("/ket-qua/xac-minh/", {}).status_code == 400
    assert client.get("/ket-qua/xac-minh/").status_code == 200


def test_an_unknown_pdf_is_not_a_result(client, db):
    response = client.post("/ket-qua/xac-minh/", {"file": pdf_upload("không do cơ quan phát hành")})
    assert response.status_code == 200
    assert 'data-valid="false"' in response.content.decode()


def test_uploads_to_verify_are_rate_limited(client, db, monkeypatch):
    from motcua.results import views

    monkeypatch.setattr(views, "UPLOAD_LIMIT", 2)
    codes = [client.post("/ket-qua/xac-minh/", {"file": pdf_upload()}).status_code for _ in range(3)]
    assert codes == [200, 200, 429]
