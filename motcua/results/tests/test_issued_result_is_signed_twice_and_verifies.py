"""An issued electronic result carries two signatures (the leader's, then the agency seal's) that verify in
verify_pdf (test CA trusted) and in poppler's pdfsig; its QR code decodes (zbarimg) to the public verification
URL, and that page says it is valid; one changed byte in the stored PDF makes the page say invalid."""

import re
import subprocess
from urllib.parse import urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.core.models import AuditLog
from motcua.documents import signing
from motcua.results.models import ElectronicResult
from motcua.results.services import result_issue

from .conftest import SITE, Upload, decision_pdf

pytestmark = pytest.mark.django_db


def pdfsig_validations(path) -> list[str]:
    out = subprocess.run(["pdfsig", "-nocert", str(path)], capture_output=True, text=True, check=False)
    return re.findall(r"Signature Validation: (.+)", out.stdout + out.stderr)


def qr_of(path, tmp_path) -> str:
    prefix = tmp_path / "page"
    subprocess.run(["pdftoppm", "-png", "-r", "150", "-f", "1", "-l", "1", str(path), str(prefix)], check=True)
    png = sorted(tmp_path.glob("page*.png"))[0]
    out = subprocess.run(["zbarimg", "--raw", "-q", str(png)], capture_output=True, check=True).stdout
    return out.decode().strip()


def tamper(data: bytes) -> bytes:
    """One byte changed inside the first revision (covered by both signatures): a digit of the creation date."""
    match = re.search(rb"/CreationDate \(D:(\d)", data)
    if match is None:  # pypdf may write the date as a hex or plain string; change the first page's content instead
        match = re.search(rb"/Title \((.)", data)
    assert match, "the result PDF has a byte to change in its first revision"
    pos = match.start(1)
    old = data[pos : pos + 1]
    return data[:pos] + (b"1" if old != b"1" else b"2") + data[pos + 1 :]


@pytest.fixture
def issued(world, dossier):
    return result_issue(actor=world.leader, dossier=dossier, source=Upload(decision_pdf("Quyết định cấp phép")))


def test_result_has_two_valid_trusted_signatures(issued, pki, tmp_path):
    data = issued.file.read()
    results = signing.verify_pdf_bytes(data, trust_roots=signing.load_certificates([pki.ca_pem]))
    assert [r.signer for r in results] == ["Lê Quang Hưng", "Ban Quản lý Khu kinh tế tỉnh"]
    assert all(r.intact and r.valid and r.trusted for r in results)
    assert results[-1].coverage == "ENTIRE_FILE"
    path = tmp_path / "kq.pdf"
    path.write_bytes(data)
    assert pdfsig_validations(path) == ["Signature is Valid.", "Signature is Valid."]


def test_number_label_and_audit(issued, world):
    assert issued.number == 1
    assert issued.label == f"01/{issued.year}/KQ-{world.agency.short_name}"
    entry = AuditLog.objects.filter(action="electronic_result.issue").get()
    assert entry.object_id == str(issued.pk)


def test_qr_opens_the_verification_page_that_says_valid(issued, client, tmp_path):
    path = tmp_path / "kq.pdf"
    path.write_bytes(issued.file.read())
    url = qr_of(path, tmp_path)
    assert url == f"{SITE}/ket-qua/xac-minh/{issued.token}/"
    page = client.get(urlsplit(url).path)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-valid="true"' in html and "HỢP LỆ" in html
    assert issued.label in html and issued.sha256 in html and issued.procedure_name in html
    assert "Lê Quang Hưng" in html
    assert "Nguyễn Văn An" not in html and "Nguyễn V** A*" in html  # the applicant's name masked


def test_a_changed_byte_in_the_stored_pdf_shows_invalid(issued, client, pki, tmp_path):
    broken = tamper(issued.file.read())
    with open(issued.file.path, "wb") as handle:
        handle.write(broken)
    results = signing.verify_pdf_bytes(broken, trust_roots=signing.load_certificates([pki.ca_pem]))
    assert not signing.all_intact_and_valid(results)
    path = tmp_path / "broken.pdf"
    path.write_bytes(broken)
    assert "Signature is Valid." not in pdfsig_validations(path)
    page = client.get(f"/ket-qua/xac-minh/{issued.token}/")
    assert page.status_code == 200
    assert 'data-valid="false"' in page.content.decode()


def test_uploaded_copy_matches_or_not(issued, client):
    data = issued.file.read()
    page = client.post("/ket-qua/xac-minh/", {"file": SimpleUploadedFile("kq.pdf", data, "application/pdf")})
    assert page.status_code == 200 and 'data-valid="true"' in page.content.decode()
    assert issued.label in page.content.decode()
    changed = client.post("/ket-qua/xac-minh/", {"file": SimpleUploadedFile("kq.pdf", tamper(data), "application/pdf")})
    assert changed.status_code == 200 and 'data-valid="false"' in changed.content.decode()
    assert issued.label not in changed.content.decode()


def test_one_result_per_dossier(issued, world, dossier):
    from motcua.core.errors import ConflictError

    with pytest.raises(ConflictError):
        result_issue(actor=world.leader, dossier=dossier, source=Upload(decision_pdf()))
    assert ElectronicResult.objects.count() == 1
