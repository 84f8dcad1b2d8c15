"""A document signed by the application verifies as valid in poppler's pdfsig (an independent
implementation) and as intact/valid/trusted in verify_pdf with the test CA; one changed byte makes both
report it broken."""

import json
import re
import subprocess
from io import StringIO

import pytest
from django.core.management import call_command

from motcua.documents import signing
from motcua.documents.samples import one_page_pdf

from .conftest import PASS_ENV_LEADER

PDFSIG = "pdfsig"  # poppler-utils, installed by scripts/system-packages


def pdfsig_validations(path) -> list[str]:
    out = subprocess.run([PDFSIG, "-nocert", str(path)], capture_output=True, text=True, check=False)
    return re.findall(r"Signature Validation: (.+)", out.stdout + out.stderr)


def run_verify(path, *trust):
    args = [str(path)]
    for t in trust:
        args += ["--trust", str(t)]
    stdout = StringIO()
    code = 0
    try:
        call_command("verify_pdf", *args, stdout=stdout)
    except SystemExit as exc:
        code = exc.code
    return code, json.loads(stdout.getvalue())


def tamper(data: bytes) -> bytes:
    """Change one byte inside the signed range without breaking the PDF structure: a digit of the
    document's creation date (first revision, covered by every signature)."""
    match = re.search(rb"/CreationDate \(D:(\d)", data)
    assert match, "test PDF has a creation date"
    pos = match.start(1)
    digit = data[pos : pos + 1]
    return data[:pos] + (b"1" if digit != b"1" else b"2") + data[pos + 1 :]


@pytest.fixture
def signed_pdf(pki, tmp_path, monkeypatch):
    monkeypatch.setenv(PASS_ENV_LEADER, "leader-pass")
    signer = signing.load_signer(pki.leader_p12, passphrase_env=PASS_ENV_LEADER)
    data = signing.sign_pdf_bytes(
        one_page_pdf(),
        signer=signer,
        options=signing.SignOptions(agency_name="Ban Quản lý Khu kinh tế tỉnh", title="Phó Trưởng ban", reason="Ký ban hành"),
    )
    path = tmp_path / "signed.pdf"
    path.write_bytes(data)
    return path


def test_pdfsig_reports_application_signature_valid(signed_pdf):
    assert pdfsig_validations(signed_pdf) == ["Signature is Valid."]


def test_verify_pdf_reports_intact_valid_trusted_with_test_ca(signed_pdf, pki):
    code, report = run_verify(signed_pdf, pki.ca_pem)
    assert code == 0
    [sig] = report["signatures"]
    assert sig["signer"] == "Lê Quang Hưng"
    assert sig["intact"] and sig["valid"] and sig["trusted"]
    assert sig["coverage"] == "ENTIRE_FILE"
    assert sig["signed_at"]


def test_verify_pdf_without_trust_list_is_valid_but_untrusted(signed_pdf):
    code, report = run_verify(signed_pdf)
    assert code == 0  # intact and valid; trust is reported separately
    assert report["signatures"][0]["trusted"] is False


def test_changed_byte_breaks_both(signed_pdf, pki, tmp_path):
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(tamper(signed_pdf.read_bytes()))
    validations = pdfsig_validations(broken)
    assert len(validations) == 1 and validations[0] != "Signature is Valid."
    code, report = run_verify(broken, pki.ca_pem)
    assert code != 0
    assert report["signatures"][0]["intact"] is False


def test_unsigned_pdf_fails_verification(tmp_path, pki):
    path = tmp_path / "plain.pdf"
    path.write_bytes(one_page_pdf())
    code, report = run_verify(path, pki.ca_pem)
    assert code != 0 and report["signatures"] == []


def test_sign_pdf_command_signs_like_the_application(pki, tmp_path, monkeypatch):
    monkeypatch.setenv("P12_PASS", "seal-pass")
    src = tmp_path / "in.pdf"
    src.write_bytes(one_page_pdf())
    out = tmp_path / "out.pdf"
    call_command(
        "sign_pdf",
        str(src),
        str(out),
        "--pkcs12",
        str(pki.seal_p12),
        "--passphrase-env",
        "P12_PASS",
        "--reason",
        "Phát hành",
        "--kind",
        "seal",
        "--agency",
        "Ban Quản lý Khu kinh tế tỉnh",
    )
    assert pdfsig_validations(out) == ["Signature is Valid."]
    code, report = run_verify(out, pki.ca_pem)
    assert code == 0 and report["signatures"][0]["signer"] == "Ban Quản lý Khu kinh tế tỉnh"


def test_second_signature_keeps_first_valid(signed_pdf, pki, tmp_path, monkeypatch):
    monkeypatch.setenv("SEAL_PASS", "seal-pass")
    seal = signing.load_signer(pki.seal_p12, passphrase_env="SEAL_PASS")
    data = signing.sign_pdf_bytes(
        signed_pdf.read_bytes(),
        signer=seal,
        options=signing.SignOptions(kind="seal", agency_name="Ban Quản lý Khu kinh tế tỉnh", extra_line="Số: 05/QĐ-BQL"),
    )
    path = tmp_path / "two.pdf"
    path.write_bytes(data)
    assert pdfsig_validations(path) == ["Signature is Valid.", "Signature is Valid."]
    code, report = run_verify(path, pki.ca_pem)
    assert code == 0
    assert [s["coverage"] for s in report["signatures"]] == ["ENTIRE_REVISION", "ENTIRE_FILE"]
