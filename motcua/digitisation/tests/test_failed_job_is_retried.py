"""A job whose OCR fails is queued again with back-off and done on a later pass; it fails for good after
DIGITISATION_MAX_ATTEMPTS or at once for a file no attempt will fix; staff of the agency try a failed job again
(another agency's: 404); a job left running by a dead worker is taken again after the lease."""

from datetime import timedelta

import pytest
from django.utils import timezone

from motcua.core.errors import NotFoundError, TransitionNotAllowed
from motcua.core.models import AuditLog
from motcua.core.testing import pdf_bytes
from motcua.digitisation import services
from motcua.digitisation.models import OcrJob
from motcua.digitisation.ocr import OcrError
from motcua.dossiers.tests.factories import World

from .conftest import canned_run, received_with_scan

pytestmark = pytest.mark.django_db


def failing(message="tesseract: killed", *, permanent=False):
    def run(*args, **kwargs):
        raise OcrError(message, permanent=permanent)

    return run


def _due_now(job):
    OcrJob.objects.filter(pk=job.pk).update(next_attempt_at=timezone.now() - timedelta(seconds=1))


def test_a_failed_attempt_is_retried_later_and_then_done(world, monkeypatch, settings):
    settings.DIGITISATION_BACKOFF_SECONDS = 60
    received_with_scan(world, pdf_bytes(1, "scan"))
    monkeypatch.setattr(services, "run_ocr", failing())
    before = timezone.now()
    assert services.ocr_run_due() == {"queued": 1, "done": 0, "retry": 1, "failed": 0}
    job = OcrJob.objects.get()
    assert (job.status, job.attempts, job.error) == ("queued", 1, "tesseract: killed")
    assert job.next_attempt_at >= before + timedelta(seconds=settings.DIGITISATION_BACKOFF_SECONDS)
    # not due yet: the next pass leaves it alone
    monkeypatch.setattr(services, "run_ocr", canned_run())
    assert services.ocr_run_due()["done"] == 0
    _due_now(job)
    assert services.ocr_run_due() == {"queued": 0, "done": 1, "retry": 0, "failed": 0}
    job.refresh_from_db()
    assert (job.status, job.attempts, job.error, job.certified) == ("done", 2, "", True)
    actions = list(
        AuditLog.objects.filter(object_id=str(job.pk), action__startswith="digitisation.")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["digitisation.queue", "digitisation.retry_later", "digitisation.done"]


def test_the_back_off_doubles_per_attempt(settings):
    settings.DIGITISATION_BACKOFF_SECONDS = 30
    assert [services._backoff(n).total_seconds() for n in (1, 2, 3)] == [30, 60, 120]


def test_the_last_attempt_fails_for_good(world, monkeypatch, settings):
    settings.DIGITISATION_MAX_ATTEMPTS = 2
    received_with_scan(world, pdf_bytes(1, "scan"))
    monkeypatch.setattr(services, "run_ocr", failing())
    services.ocr_run_due()
    job = OcrJob.objects.get()
    _due_now(job)
    assert services.ocr_run_due()["failed"] == 1
    job.refresh_from_db()
    assert (job.status, job.attempts) == ("failed", 2)
    _due_now(job)
    assert services.ocr_run_due()["failed"] == 0  # a failed job is not taken again on its own


def test_a_file_no_attempt_will_fix_fails_at_once(world, monkeypatch):
    received_with_scan(world, pdf_bytes(1, "scan"))
    monkeypatch.setattr(services, "run_ocr", failing("encrypted", permanent=True))
    assert services.ocr_run_due()["failed"] == 1
    assert OcrJob.objects.get().attempts == 1


def test_staff_of_the_agency_try_a_failed_job_again_others_cannot(world, monkeypatch):
    received_with_scan(world, pdf_bytes(1, "scan"))
    monkeypatch.setattr(services, "run_ocr", failing("encrypted", permanent=True))
    services.ocr_run_due()
    job = OcrJob.objects.get()
    other = World()
    with pytest.raises(NotFoundError):
        services.ocr_job_requeue(actor=other.officer, job=job)
    job = services.ocr_job_requeue(actor=world.officer, job=job)
    assert (job.status, job.attempts) == ("queued", 0)
    with pytest.raises(TransitionNotAllowed):
        services.ocr_job_requeue(actor=world.officer, job=job)  # not failed (any more)
    monkeypatch.setattr(services, "run_ocr", canned_run())
    assert services.ocr_run_due()["done"] == 1
    assert AuditLog.objects.filter(action="digitisation.requeue", object_id=str(job.pk)).count() == 1


def test_the_requeue_button_answers_404_to_another_agency(world, monkeypatch, client):
    received_with_scan(world, pdf_bytes(1, "scan"))
    monkeypatch.setattr(services, "run_ocr", failing("encrypted", permanent=True))
    services.ocr_run_due()
    job = OcrJob.objects.get()
    client.force_login(World().officer)
    assert client.post(f"/staff/so-hoa/{job.pk}/so-hoa-lai/").status_code == 404
    client.force_login(world.officer)
    assert client.post(f"/staff/so-hoa/{job.pk}/so-hoa-lai/").status_code == 302
    assert OcrJob.objects.get().status == "queued"


def test_a_job_left_running_by_a_dead_worker_is_taken_again_after_the_lease(world, monkeypatch, settings):
    settings.DIGITISATION_LEASE_SECONDS = 600
    received_with_scan(world, pdf_bytes(1, "scan"))
    services.ocr_jobs_discover()
    job = services._claim()  # the worker took it, then died
    assert job.status == "running" and services._claim() is None
    OcrJob.objects.filter(pk=job.pk).update(started_at=timezone.now() - timedelta(seconds=601))
    monkeypatch.setattr(services, "run_ocr", canned_run())
    assert services.ocr_run_due()["done"] == 1
    job.refresh_from_db()
    assert (job.status, job.attempts) == ("done", 2)


def test_a_seal_missing_leaves_the_copy_uncertified_but_searchable(db, monkeypatch):
    world = World()  # no seal configured
    received_with_scan(world, pdf_bytes(1, "scan"))
    monkeypatch.setattr(services, "run_ocr", canned_run())
    services.ocr_run_due()
    job = OcrJob.objects.get()
    assert (job.status, job.certified) == ("done", False) and "chưa được chứng thực" in job.note


def test_only_scans_of_received_papers_are_queued(world, monkeypatch):
    received_with_scan(world, pdf_bytes(1, "not a scan"), digitised=False)
    assert services.ocr_jobs_discover() == 0
    received_with_scan(world, pdf_bytes(1, "scan"))
    assert services.ocr_jobs_discover() == 1 and services.ocr_jobs_discover() == 0
