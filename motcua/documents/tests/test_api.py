"""API: counts by period (same selector as the dashboard) and verification of an uploaded PDF."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.documents import services, signing
from motcua.documents.samples import one_page_pdf

from .conftest import PASS_ENV_LEADER


@pytest.mark.django_db
def test_counts_endpoint(client, clerk, registers, types):
    services.incoming_register(
        actor=clerk,
        register=registers["in"],
        sender="UBND tỉnh",
        doc_type=types["CV"],
        summary="A",
        received_at=datetime(2021, 2, 1, 9, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")),
        is_electronic=False,
    )
    assert client.get("/api/v1/documents/counts/", {"start": "2021-01-01", "end": "2021-12-31"}).status_code in (401, 403)
    client.force_login(clerk)
    response = client.get("/api/v1/documents/counts/", {"start": "2021-01-01", "end": "2021-12-31"})
    assert response.json() == {"total": 1, "incoming": 1, "outgoing": 0, "fully_electronic": 0, "digitally_signed": 0}
    assert client.get("/api/v1/documents/counts/", {"start": "x", "end": "2021-12-31"}).status_code == 400


@pytest.mark.django_db
def test_verify_endpoint_uses_trust_list(client, clerk, pki_env):
    signer = signing.load_signer(pki_env.leader_p12, passphrase_env=PASS_ENV_LEADER)
    data = signing.sign_pdf_bytes(one_page_pdf(), signer=signer)
    client.force_login(clerk)
    response = client.post("/api/v1/documents/verify/", {"file": SimpleUploadedFile("a.pdf", data)})
    body = response.json()
    assert response.status_code == 200 and body["all_intact_and_valid"]
    assert body["signatures"][0]["trusted"] is True and body["signatures"][0]["signer"] == "Lê Quang Hưng"
