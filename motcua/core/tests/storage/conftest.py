"""An S3-compatible server for the object-storage tests: moto's standalone server (`moto_server`, from
moto[server] in requirements-dev.txt) started on a free loopback port, once per test session, by the fixture
itself (`.ci/run` needs nothing more). Each test gets a bucket of its own and the default storage pointed at it,
exactly as the settings do when AWS_STORAGE_BUCKET_NAME is set."""

from __future__ import annotations

import socket
import subprocess
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from motcua.core import storage as storage_module
from motcua.core.testing import wait_until
from motcua.documents.tests.conftest import (  # noqa: F401 - fixtures of the signed documents and results
    agency,
    clerk,
    identities,
    leader,
    other_agency,
    pki,
    pki_env,
    registers,
    specialist,
    types,
    units,
)

ACCESS_KEY = "motcua-test-access"
SECRET_KEY = "motcua-test-secret"  # noqa: S105 - moto accepts any pair; nothing real
REGION = "us-east-1"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _listening(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


def client(endpoint: str):
    import boto3

    return boto3.client(
        "s3", endpoint_url=endpoint, aws_access_key_id=ACCESS_KEY, aws_secret_access_key=SECRET_KEY, region_name=REGION
    )


@pytest.fixture(scope="session")
def moto_s3(tmp_path_factory):
    """The endpoint URL of a running moto S3 server (stopped at the end of the session)."""
    pytest.importorskip("moto.server", reason="moto[server] is not installed: the object-storage tests need its S3 server")
    port = free_port()
    log = tmp_path_factory.mktemp("moto") / "moto.log"
    executable = Path(sys.executable).with_name("moto_server")
    command = [str(executable)] if executable.exists() else [sys.executable, "-m", "moto.server"]
    proc = subprocess.Popen([*command, "-H", "127.0.0.1", "-p", str(port)], stdout=log.open("wb"), stderr=subprocess.STDOUT)
    try:
        wait_until(
            lambda: proc.poll() is None and _listening(port),
            timeout=60,
            interval=0.1,
            message=lambda: "moto_server did not start: " + log.read_text()[-2000:],
        )
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@dataclass
class Bucket:
    endpoint: str
    name: str

    def keys(self) -> set[str]:
        pages = client(self.endpoint).get_paginator("list_objects_v2").paginate(Bucket=self.name)
        return {entry["Key"] for page in pages for entry in page.get("Contents", ())}

    def read(self, key: str) -> bytes:
        return client(self.endpoint).get_object(Bucket=self.name, Key=key)["Body"].read()


def point_storage_at(settings, endpoint: str, bucket: str) -> None:
    """The settings block of motcua/settings.py with AWS_STORAGE_BUCKET_NAME set (Django resets its storages)."""
    settings.AWS_STORAGE_BUCKET_NAME = bucket
    settings.AWS_S3_ENDPOINT_URL = endpoint
    settings.AWS_ACCESS_KEY_ID = ACCESS_KEY
    settings.AWS_SECRET_ACCESS_KEY = SECRET_KEY
    settings.AWS_S3_REGION_NAME = REGION
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "motcua.core.storage.ObjectStorage"}}


@pytest.fixture
def object_storage(moto_s3, settings, tmp_path) -> Iterator[Bucket]:
    """A fresh bucket on the moto server, the default storage pointed at it; the local MEDIA_ROOT is an empty
    folder (a file that lands there instead of the store is seen by the tests)."""
    name = f"motcua-{uuid.uuid4().hex[:12]}"
    client(moto_s3).create_bucket(Bucket=name)
    settings.MEDIA_ROOT = tmp_path / "media"
    point_storage_at(settings, moto_s3, name)
    yield Bucket(moto_s3, name)
    # Files a test's own (rolled-back) transaction wrote stay pending in this thread: forget them, so no later
    # test's request spends queries on this bucket.
    storage_module._pending.names = {}


def local_files(settings) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []
