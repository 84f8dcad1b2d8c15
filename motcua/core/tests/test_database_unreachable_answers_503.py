"""With the database unreachable, the production server (gunicorn, DEBUG off) answers API clients 503 in
JSON with a Vietnamese message and people a Vietnamese page — never Django's English HTML 500.

The server runs in its own process with a DATABASE_URL pointing at a closed port, as a database that went
away does."""

import json
import os
import socket
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from motcua.core.testing import wait_until

ROOT = Path(__file__).resolve().parents[3]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server():
    port, closed = _free_port(), _free_port()
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": "test-database-unreachable",
        "AUDIT_HMAC_KEY": "test-database-unreachable",
        "DJANGO_SETTINGS_MODULE": "motcua.settings",
        "DATABASE_URL": f"postgres://motcua@127.0.0.1:{closed}/motcua",
        "MOTCUA_VAR_DIR": tempfile.mkdtemp(),
        "DB_CONN_MAX_AGE": "0",
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "motcua.wsgi", "-b", f"127.0.0.1:{port}", "-w", "1"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"

    def answering() -> bool:
        """Any HTTP answer: the worker has loaded the application (gunicorn's master binds the port before its
        worker has imported Django, so a port that accepts connections is not yet a server that answers)."""
        assert proc.poll() is None, proc.stderr.read().decode()
        try:
            _get(base + "/healthz")
        except OSError:  # refused, reset or timed out: not up yet
            return False
        return True

    try:
        wait_until(answering, timeout=120, interval=0.2, message="gunicorn did not answer")
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def _get(url: str, **headers) -> tuple[int, dict, str]:
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=20) as response:  # noqa: S310 - local test server
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()


@pytest.mark.parametrize(
    ("path", "headers"),
    [
        ("/api/v1/procedures/", {}),
        ("/api/v1/dossiers/", {"Authorization": "Token 0123456789abcdef0123456789abcdef01234567"}),
        ("/api/v1/dossiers/", {"Cookie": "sessionid=" + "a1" * 16}),
        ("/open311/v2/services.json", {}),
    ],
)
def test_api_answers_503_in_json(server, path, headers):
    status, response_headers, body = _get(server + path, **headers)
    assert status == 503, body[:300]
    assert response_headers["Content-Type"].startswith("application/json")
    assert response_headers["Retry-After"] == "30"
    data = json.loads(body)
    assert data["code"] == "service_unavailable"
    assert "không kết nối được cơ sở dữ liệu" in data["detail"]


@pytest.mark.parametrize(
    ("path", "headers"),
    [
        ("/thu-tuc/", {}),
        ("/staff/", {"Cookie": "sessionid=" + "a1" * 16}),
        ("/tra-cuu/", {}),
    ],
)
def test_pages_answer_a_vietnamese_page(server, path, headers):
    status, response_headers, body = _get(server + path, **headers)
    assert status == 503, body[:300]
    assert response_headers["Content-Type"].startswith("text/html")
    assert "không kết nối được cơ sở dữ liệu" in body
    assert "Server Error" not in body
