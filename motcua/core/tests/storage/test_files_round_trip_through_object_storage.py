"""With AWS_STORAGE_BUCKET_NAME set, every file the application keeps lives in the S3-compatible store (moto's
server here) and comes back byte for byte through the views that check the reader's rights: a dossier's uploaded
file (staff of another agency: 404), a desk slip, a signed outgoing document (another agency's staff: 404) and
the signed electronic result (an applicant who has not verified the dossier: 404). Nothing lands on local disk.
A large attachment is a redirect to a short-lived signed URL of the store, only after the rights check."""

from __future__ import annotations

import urllib.error
import urllib.request
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from motcua.core.models import Unit
from motcua.core.roles import Role
from motcua.core.testing import make_staff, pdf_bytes
from motcua.documents import services as doc_services
from motcua.documents import signing
from motcua.documents.models import DocumentFile
from motcua.documents.samples import one_page_pdf
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import APPLICANT, World, receive
from motcua.results.services import result_issue
from motcua.results.tests.conftest import Upload, decided, decision_pdf, with_identities

from .conftest import local_files

pytestmark = pytest.mark.django_db


def _body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_a_dossier_file_is_stored_in_the_bucket_and_served_to_its_agency_only(object_storage, settings, client):
    world = World()
    data = pdf_bytes(2, "Đơn đề nghị")
    component = world.version.components.order_by("order").first()
    d = receive(world, files=[{"file": SimpleUploadedFile("don-de-nghi.pdf", data), "component": component.pk}])
    f = d.files.get()
    assert f.file.name in object_storage.keys()
    assert object_storage.read(f.file.name) == data
    assert local_files(settings) == []

    url = reverse("dossiers:file", args=[d.code, f.pk])
    client.force_login(world.specialist)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Security-Policy"].startswith("sandbox")  # inline: streamed by the application
    assert _body(response) == data

    other = World()
    client.force_login(other.specialist)
    assert client.get(url).status_code == 404


def test_a_slip_is_stored_in_the_bucket_and_printed_from_it(object_storage, settings, client):
    world = World()
    d = receive(world)
    client.force_login(world.officer)
    response = client.get(reverse("desk:slip-pdf", args=[d.code, "bm01"]))
    assert response.status_code == 200
    body = _body(response)
    assert body.startswith(b"%PDF")
    slip = d.slips.get(kind="bm01")
    keys = object_storage.keys()
    stored = [k for k in keys if k.startswith("desk/slips/")]
    assert len(stored) == 1 and object_storage.read(stored[0]) == body
    assert slip.file.name == stored[0]
    assert local_files(settings) == []
    client.force_login(World().officer)
    assert client.get(reverse("desk:slip-pdf", args=[d.code, "bm01"])).status_code in (403, 404)


def test_a_signed_outgoing_document_round_trips_and_stays_within_its_agency(
    object_storage,
    settings,
    client,
    specialist,
    leader,
    clerk,
    registers,
    types,
    units,
    other_agency,
    identities,
):
    draft = doc_services.outgoing_create_draft(
        actor=specialist,
        register=registers["out"],
        doc_type=types["CV"],
        summary="V/v lưu tệp trên kho đối tượng",
        drafting_unit=units["QLĐT"],
        recipients=[{"name": "Công ty TNHH A"}],
        files=[("cong-van.pdf", one_page_pdf())],
    )
    doc_services.outgoing_submit(actor=specialist, document=draft)
    doc = doc_services.outgoing_approve(actor=leader, document=draft)  # the leader's signature, stored again
    main = doc.files.get(kind=DocumentFile.Kind.MAIN)
    stored = object_storage.read(main.file.name)
    assert [s.signer for s in signing.verify_pdf_bytes(stored)] == ["Lê Quang Hưng"]
    assert local_files(settings) == []

    url = reverse("documents:file_download", args=[main.pk])
    client.force_login(leader)
    response = client.get(url)
    assert response.status_code == 200
    assert _body(response) == stored

    outsider = make_staff(
        "vanthu-khac", Role.CLERK, unit=Unit.objects.create(agency=other_agency, name="Văn phòng", short_name="VP")
    )
    client.force_login(outsider)
    assert client.get(url).status_code == 404


@pytest.fixture
def issued_result(object_storage, pki_env, settings):
    settings.SITE_URL = "https://dvc.example.gov.vn"
    world = with_identities(World(), pki_env)
    dossier = decided(world)
    result = result_issue(actor=world.leader, dossier=dossier, source=Upload(decision_pdf()))
    return world, dossier, result


def _verify_lookup(client, dossier):
    response = client.post(reverse("portal:lookup"), {"ma": dossier.code, "xac_minh": APPLICANT["id_number"]})
    assert response.status_code == 302


def test_the_signed_result_is_downloaded_from_the_bucket_by_the_verified_applicant_only(
    issued_result, object_storage, client, settings
):
    world, dossier, result = issued_result
    assert result.file.name in object_storage.keys()
    stored = object_storage.read(result.file.name)
    assert len(signing.verify_pdf_bytes(stored)) == 2  # the leader and the agency seal
    assert local_files(settings) == []
    url = reverse("portal:result-download", kwargs={"code": dossier.code})
    assert client.get(url).status_code == 404  # not verified: the explanation page, not the file
    _verify_lookup(client, dossier)
    response = client.get(url)
    assert response.status_code == 200
    assert _body(response) == stored


def test_a_large_result_is_a_redirect_to_a_short_lived_signed_url_after_the_rights_check(
    issued_result, object_storage, client, settings
):
    world, dossier, result = issued_result
    stored = object_storage.read(result.file.name)
    settings.MOTCUA_SIGNED_URL_MIN_BYTES = len(stored)  # this file counts as large
    settings.MOTCUA_SIGNED_URL_SECONDS = 45
    url = reverse("portal:result-download", kwargs={"code": dossier.code})
    assert client.get(url).status_code == 404  # no signed URL before the rights check
    _verify_lookup(client, dossier)
    response = client.get(url)
    assert response.status_code == 302
    location = response["Location"]
    assert location.startswith(object_storage.endpoint + "/" + object_storage.name + "/")
    query = parse_qs(urlsplit(location).query)
    assert query["X-Amz-Expires"] == ["45"]
    assert "attachment" in query["response-content-disposition"][0]
    assert query["X-Amz-Signature"][0]  # signed (moto serves it without checking; S3 and MinIO check it)
    with urllib.request.urlopen(location, timeout=10) as fetched:  # noqa: S310 - the local moto server
        assert fetched.read() == stored
        assert f"{dossier.code}-ket-qua-dien-tu.pdf" in fetched.headers["Content-Disposition"]


def test_an_online_submission_moves_its_draft_files_to_the_dossier_in_the_bucket(
    object_storage, settings, client, django_capture_on_commit_callbacks
):
    from motcua.notifications.defaults import ensure_default_templates
    from motcua.portal.tests.conftest import APPLICANT_POST, pdf_upload
    from motcua.portal.tests.conftest import World as PortalWorld

    ensure_default_templates()
    world = PortalWorld()
    data = {
        **APPLICANT_POST,
        "action": "submit",
        f"file_{world.c1.pk}": pdf_upload(),
        f"file_{world.c2.pk}": pdf_upload("bao-cao.pdf"),
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("portal:submit", args=[world.code]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    files = list(Dossier.objects.get().files.all())
    assert len(files) == 2
    # The draft's objects were read back from the bucket into the dossier, then deleted once it committed.
    assert object_storage.keys() == {f.file.name for f in files}
    assert all(object_storage.read(f.file.name).startswith(b"%PDF") for f in files)
    assert local_files(settings) == []
