"""Helpers for tests of every app."""

import functools
import io
import threading
import time
import zipfile

import pytest
from django.db import connection, connections
from docx import Document
from pypdf import PdfWriter

from .roles import Role
from .services import staff_create
from .transitions import SYSTEM


def requires_postgres(func):
    """Mark a test that needs PostgreSQL (row locks, real concurrency); it skips itself on SQLite."""
    func = pytest.mark.postgres(func)
    return pytest.mark.skipif(connection.vendor != "postgresql", reason="cần PostgreSQL")(func)


def make_staff(username: str, *roles: Role, unit=None, password: str = "pw-test-12345"):
    return staff_create(
        actor=SYSTEM, username=username, password=password, full_name=f"Cán bộ {username}", unit=unit, roles=list(roles)
    )


def docx_text(data: bytes) -> str:
    """All text of a DOCX (paragraphs, then table cells), for comparing rendered Vietnamese."""

    doc = Document(io.BytesIO(data))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            for cell in row.cells:
                parts.extend(p.text for p in cell.paragraphs)
    return "\n".join(parts)


def pdf_bytes(pages: int = 1, text: str = "") -> bytes:
    """A small real PDF (blank A4 pages) that the upload policy accepts; `text` goes in as metadata so
    two files can differ."""

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(595, 842)
    if text:
        writer.add_metadata({"/Title": text})
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


# Hostile uploads the upload policy (core.uploads) must refuse, shared by the tests of every channel.
HTML_AS_PDF = b"%PDF-1.7\n<html><body><script>alert(1)</script>Hoa don</body></html>\n%%EOF\n"
ELF_HEADER = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 8 + b"\x02\x00\x3e\x00\x01\x00\x00\x00" + b"\x00" * 200


def pdf_elf_polyglot() -> bytes:
    """A real PDF with an ELF executable appended after its %%EOF (readers still open it)."""
    return pdf_bytes(1) + ELF_HEADER


@functools.cache
def docx_bomb() -> bytes:
    """A .docx of about 1 MB whose media entry inflates to 1 GiB of zeros, built in memory in pieces
    (nothing of that size is ever written); remembered, as building it takes a few seconds."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("word/document.xml", "<w:document/>")
        chunk = bytes(16 * 1024 * 1024)
        with archive.open("word/media/image1.png", "w", force_zip64=True) as member:
            for _ in range(64):
                member.write(chunk)
    return buffer.getvalue()


_AUDIT_ROW_TRIGGERS = [
    ("core_auditlog", "core_auditlog_append_only"),
    ("core_auditcheckpoint", "core_auditcheckpoint_append_only"),
    ("core_audithead", "core_audithead_no_delete"),
]


class audit_triggers_off:  # noqa: N801 - used as a context manager, like a function
    """PostgreSQL: turn the audit tables' append-only triggers off for a test that tampers with the log
    as the tables' owner could (ALTER TABLE ... DISABLE TRIGGER), and back on afterwards. Nothing on SQLite."""

    def __enter__(self):
        self._toggle("DISABLE")
        return self

    def __exit__(self, *exc):
        self._toggle("ENABLE")
        return False

    @staticmethod
    def _toggle(verb: str) -> None:
        if connection.vendor != "postgresql":
            return
        with connection.cursor() as cursor:
            # ALTER TABLE waits for no deferred foreign-key check of the rows the test inserted.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            for table, trigger in _AUDIT_ROW_TRIGGERS:
                cursor.execute(f"ALTER TABLE {table} {verb} TRIGGER {trigger}")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def wait_until(condition, *, timeout: float, interval: float = 0.05, message="condition not met"):
    """Call `condition()` until it returns a true value, which is returned; after `timeout` seconds fail the test
    with `message` (a string, or a function giving one: e.g. the tail of a server's log). For a test that waits for
    another process or thread: poll with a deadline instead of sleeping a guessed time."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() >= deadline:
            raise AssertionError(f"{message() if callable(message) else message} (waited {timeout:g} s)")
        time.sleep(interval)


def run_at_once(n: int, call, *, timeout: float = 120) -> tuple[list[str], int]:
    """Run call(i) for i in 0..n-1 in n threads, each on its own database connection opened before a common
    start line, so the calls really race; returns the errors (repr) and how many distinct PostgreSQL backends
    served them. The caller closes its own connections first (connections.close_all())."""
    barrier = threading.Barrier(n)
    errors, backends = [], set()
    lock = threading.Lock()

    def worker(i):
        try:
            with connection.cursor() as cur:  # this thread's own connection, opened before the start line
                cur.execute("SELECT pg_backend_pid()")
                pid = cur.fetchone()[0]
            with lock:
                backends.add(pid)
            barrier.wait(timeout=60)
            call(i)
        except Exception as exc:  # noqa: BLE001 - returned to the test, which asserts there are none
            errors.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=timeout)
    return errors, len(backends)
