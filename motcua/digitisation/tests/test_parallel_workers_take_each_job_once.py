"""Several OCR workers at once (each thread on its own PostgreSQL connection, as separate `run_ocr_worker`
processes would be): every scan gets one job, and every job is run exactly once — claimed with SKIP LOCKED and
committed "running" before the OCR. PostgreSQL only: SQLite has no row locks and refuses concurrent writers."""

import pytest
from django.db import connections

from motcua.core.testing import pdf_bytes, requires_postgres, run_at_once
from motcua.digitisation import services
from motcua.digitisation.models import OcrJob
from motcua.dossiers.tests.factories import World

from .conftest import canned_run, received_with_scan

N = 4


@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_four_workers_run_four_scans_once_each(monkeypatch):
    world = World()
    dossiers = [received_with_scan(world, pdf_bytes(1, f"scan {i}")) for i in range(N)]
    runs = []
    canned = canned_run()

    def counted(data, **kwargs):
        runs.append(data)
        return canned(data, **kwargs)

    monkeypatch.setattr(services, "run_ocr", counted)
    connections.close_all()
    errors, backends = run_at_once(N, lambda i: services.ocr_run_due(limit=N), timeout=300)
    assert errors == [] and backends == N
    jobs = list(OcrJob.objects.order_by("dossier_id").values_list("dossier_id", "status", "attempts"))
    assert jobs == [(d.pk, "done", 1) for d in sorted(dossiers, key=lambda d: d.pk)]
    assert len(runs) == N  # no scan OCR'd twice
