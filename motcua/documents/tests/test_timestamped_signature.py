"""With a timestamp server configured (MOTCUA_TSA_URL), signatures are PAdES B-T: the signature carries
an RFC 3161 timestamp token, and verification reports the timestamp's time. The TSA here is a local
HTTP server answering with pyHanko's DummyTimeStamper and a certificate of the throwaway test PKI."""

import asyncio
import re
import subprocess
import threading
from datetime import datetime
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from asn1crypto import tsp
from pyhanko.sign.timestamps import DummyTimeStamper

from motcua.documents import signing
from motcua.documents.samples import one_page_pdf

from .conftest import PASS_ENV_LEADER


@pytest.fixture
def tsa_url(pki):
    cert, key = pki.issue_tsa()
    fixed = datetime.fromisoformat("2021-09-23T08:30:00+07:00")
    stamper = DummyTimeStamper(tsa_cert=cert, tsa_key=key, fixed_dt=fixed)
    calls = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 - http.server API
            body = self.rfile.read(int(self.headers["Content-Length"]))
            calls.append(self.headers.get("Content-Type"))
            response = asyncio.run(stamper.async_request_tsa_response(tsp.TimeStampReq.load(body)))
            data = response.dump()
            self.send_response(200)
            self.send_header("Content-Type", "application/timestamp-reply")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/", calls, fixed
    server.shutdown()
    server.server_close()


def test_b_t_signature_when_tsa_configured(pki, tsa_url, monkeypatch, settings, tmp_path):
    url, calls, fixed = tsa_url
    settings.MOTCUA_TSA_URL = url
    monkeypatch.setenv(PASS_ENV_LEADER, "leader-pass")
    signer = signing.load_signer(pki.leader_p12, passphrase_env=PASS_ENV_LEADER)
    data = signing.sign_pdf_bytes(one_page_pdf(), signer=signer)
    assert calls and set(calls) == {"application/timestamp-query"}  # pyHanko also sizes the token with a first request
    [result] = signing.verify_pdf_bytes(data, trust_roots=signing.load_certificates([pki.ca_pem]))
    assert result.timestamped and result.intact and result.valid and result.trusted
    assert datetime.fromisoformat(result.signed_at) == fixed
    path = tmp_path / "bt.pdf"
    path.write_bytes(data)
    out = subprocess.run(["pdfsig", "-nocert", str(path)], capture_output=True, text=True, check=False).stdout
    assert re.findall(r"Signature Validation: (.+)", out) == ["Signature is Valid."]


def test_b_b_without_tsa(pki, monkeypatch, settings):
    settings.MOTCUA_TSA_URL = ""
    monkeypatch.setenv(PASS_ENV_LEADER, "leader-pass")
    signer = signing.load_signer(pki.leader_p12, passphrase_env=PASS_ENV_LEADER)
    [result] = signing.verify_pdf_bytes(signing.sign_pdf_bytes(one_page_pdf(), signer=signer))
    assert result.timestamped is False
