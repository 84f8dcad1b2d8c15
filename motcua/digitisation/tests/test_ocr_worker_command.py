"""`manage.py run_ocr_worker --once`: one pass of the worker — the new scan is queued and digitised; `--backfill`
queues scans older than the newest job's lookback window too."""

import io

import pytest
from django.core.management import call_command

from motcua.core.testing import pdf_bytes
from motcua.digitisation import services
from motcua.digitisation.models import OcrJob

from .conftest import canned_run, received_with_scan

pytestmark = pytest.mark.django_db


def test_one_pass_queues_and_digitises_the_new_scan(world, monkeypatch):
    received_with_scan(world, pdf_bytes(1, "scan"))
    monkeypatch.setattr(services, "run_ocr", canned_run())
    out = io.StringIO()
    call_command("run_ocr_worker", "--once", stdout=out)
    assert OcrJob.objects.get().status == "done"
    assert "xếp hàng 1, xong 1" in out.getvalue()


def test_backfill_queues_scans_behind_the_lookback(world, monkeypatch):
    old = received_with_scan(world, pdf_bytes(1, "old scan"))
    newer = received_with_scan(world, pdf_bytes(1, "new scan"))
    monkeypatch.setattr(services, "LOOKBACK_IDS", 0)  # the old file is behind the window of the newest job
    OcrJob.objects.create(
        file=newer.files.get(), dossier=newer, agency=world.agency, seal_agency=world.agency,
        next_attempt_at=newer.received_at, created_at=newer.received_at,
    )  # fmt: skip
    assert services.ocr_jobs_discover() == 0
    monkeypatch.setattr(services, "run_ocr", canned_run())
    call_command("run_ocr_worker", "--once", "--backfill", stdout=io.StringIO())
    assert OcrJob.objects.filter(dossier=old).exists()
