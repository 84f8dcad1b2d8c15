"""Helpers for tests of every app."""

import pytest
from django.db import connection

from .roles import Role
from .services import staff_create


def requires_postgres(func):
    """Mark a test that needs PostgreSQL (row locks, real concurrency); it skips itself on SQLite."""
    func = pytest.mark.postgres(func)
    return pytest.mark.skipif(connection.vendor != "postgresql", reason="cần PostgreSQL")(func)


def make_staff(username: str, *roles: Role, unit=None, password: str = "pw-test-12345"):
    return staff_create(actor=None, username=username, password=password, full_name=f"Cán bộ {username}",
                        unit=unit, roles=list(roles))


def docx_text(data: bytes) -> str:
    """All text of a DOCX (paragraphs, then table cells), for comparing rendered Vietnamese."""
    from io import BytesIO

    from docx import Document

    doc = Document(BytesIO(data))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            for cell in row.cells:
                parts.extend(p.text for p in cell.paragraphs)
    return "\n".join(parts)


def pdf_bytes(pages: int = 1, text: str = "") -> bytes:
    """A small real PDF (blank A4 pages) that the upload policy accepts; `text` goes in as metadata so
    two files can differ."""
    from io import BytesIO

    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(595, 842)
    if text:
        writer.add_metadata({"/Title": text})
    buffer = BytesIO()
    writer.write(buffer)
    return buffer.getvalue()
