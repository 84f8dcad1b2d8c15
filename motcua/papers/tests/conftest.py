"""Fixtures of the store of papers: two agencies with staff, an applicant whose first dossier brought a
digitised paper, files written under a temporary MEDIA_ROOT."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.core.testing import pdf_bytes
from motcua.dossiers.intake import dossier_receive
from motcua.dossiers.models import DossierFile
from motcua.dossiers.tests.factories import APPLICANT, World
from motcua.papers.services import paper_store_dossier_file

OTHER_APPLICANT = {**APPLICANT, "full_name": "Trần Thị Bình", "id_number": "001190054321"}


def scan(text: str = "Giấy chứng nhận") -> SimpleUploadedFile:
    return SimpleUploadedFile("giay-to.pdf", pdf_bytes(1, text), "application/pdf")


def receive_with_scan(world: World, *, text: str = "Giấy chứng nhận", applicant: dict | None = None, **kwargs):
    """A counter dossier whose second component (the legal paper) came as a digitised scan."""
    component = world.version.components.get(order=2)
    files = [{"file": scan(text), "component": component, "digitised": True}]
    return receive_for(world, applicant=applicant, files=files, **kwargs)


def receive_for(world: World, *, applicant: dict | None = None, channel: str = "counter", **kwargs):
    """A dossier of `applicant` (the factories' one by default) received by the world's officer."""
    return dossier_receive(
        actor=kwargs.pop("actor", world.officer),
        procedure_code=kwargs.pop("procedure_code", world.code),
        channel=channel,
        applicant=dict(applicant or APPLICANT),
        **kwargs,
    )


def scanned_file(dossier) -> DossierFile:
    return DossierFile.objects.get(dossier=dossier, digitised=True)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def world(db):
    return World()


@pytest.fixture
def other(db):
    return World()


@pytest.fixture
def stored(world):
    """The applicant's first dossier, its digitised paper kept in the store by the officer (valid until 2099)."""
    first = receive_with_scan(world)
    paper = paper_store_dossier_file(
        actor=world.officer, file=scanned_file(first), issuer="Công an tỉnh", valid_until=date(2099, 12, 31)
    )
    return first, paper
