"""`manage.py ocr_pdf IN OUT [--sign AGENCY]`: the same pipeline for one file from the command line — a text layer,
no signature unless asked; with --sign, the agency seal's signature, valid in pdfsig and verify_pdf."""

import io
import json
import subprocess

import pytest
from django.core.management import CommandError, call_command

from motcua.core.testing import pdf_bytes
from motcua.core.text import normalize
from motcua.documents import signing

from .scans import as_pdf, blank_page, text_page

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def small_scan():
    return as_pdf([text_page(["GIẤY ỦY QUYỀN", "Bên ủy quyền: Lê Thị Thu Hằng, huyện Cẩm Xuyên"]), blank_page()])


def run(*args) -> dict:
    out = io.StringIO()
    call_command("ocr_pdf", *args, stdout=out)
    return json.loads(out.getvalue())


def test_text_layer_without_signature(small_scan, tmp_path):
    source, target = tmp_path / "in.pdf", tmp_path / "out.pdf"
    source.write_bytes(small_scan)
    report = run(str(source), str(target))
    assert report["flagged"] == [2] and report["pages"][1]["flag"] == "blank" and report["signed_by"] == ""
    text = subprocess.run(["pdftotext", str(target), "-"], capture_output=True, text=True, check=True).stdout
    assert "le thi thu hang" in normalize(text)
    assert signing.verify_pdf_bytes(target.read_bytes()) == []


def test_signed_with_the_agency_seal_when_asked(world, small_scan, tmp_path):
    source, target = tmp_path / "in.pdf", tmp_path / "out.pdf"
    source.write_bytes(small_scan)
    report = run(str(source), str(target), "--sign", world.agency.code)
    assert report["signed_by"] == world.agency.name
    pdfsig = subprocess.run(["pdfsig", str(target)], capture_output=True, text=True).stdout
    assert pdfsig.count("Signature is Valid.") == 1, pdfsig
    call_command("verify_pdf", str(target), stdout=io.StringIO())  # SystemExit(1) unless every signature is valid


def test_refuses_what_is_not_a_scan_and_an_unknown_agency(tmp_path):
    source = tmp_path / "in.pdf"
    source.write_bytes(b"<html>not a pdf</html>")
    with pytest.raises(CommandError):
        call_command("ocr_pdf", str(source), str(tmp_path / "out.pdf"))
    with pytest.raises(CommandError):
        call_command("ocr_pdf", str(tmp_path / "missing.pdf"), str(tmp_path / "out.pdf"))
    source.write_bytes(pdf_bytes(1))
    with pytest.raises(CommandError, match="Không có cơ quan"):
        call_command("ocr_pdf", str(source), str(tmp_path / "out.pdf"), "--sign", "KHONG-CO")
    assert not (tmp_path / "out.pdf").exists()
