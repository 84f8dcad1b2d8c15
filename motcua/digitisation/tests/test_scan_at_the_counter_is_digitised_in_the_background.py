"""A paper scanned at the counter, end to end through the real pipeline: the desk's intake page stores it and returns
without OCR; the worker's pass queues and runs the job (progress page by page), flags the blank and the noise page,
stores a PDF/A certified with the receiving agency's seal that verifies in pdfsig and in verify_pdf, and its text
is found by the staff search typed without diacritics."""

import re
import subprocess

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from motcua.core.models import AuditLog
from motcua.digitisation import selectors, services
from motcua.digitisation.models import OcrJob
from motcua.documents import signing
from motcua.dossiers.models import Dossier, DossierFile

pytestmark = pytest.mark.django_db


def _intake_at_the_desk(client, world, scan) -> Dossier:
    client.force_login(world.officer)
    page = client.get(f"/staff/dossiers/new/?procedure={world.code}").content.decode()
    token = re.search(r'name="form_token" value="([0-9a-f]+)"', page).group(1)
    first, second = world.version.components.order_by("order")[:2]
    data = {
        "procedure": world.code,
        "channel": "counter",
        "kind": "individual",
        "full_name": "Nguyễn Văn Hưởng",
        "id_number": "001085012345",
        "phone": "0912345678",
        "address": "Thị trấn Thạch Hà",
        "result_delivery": "counter",
        "form_token": token,
        f"component_{first.pk}": "1",
        f"component_{second.pk}": "1",
        f"file_{first.pk}": SimpleUploadedFile("giay-chung-nhan.pdf", scan),
        f"digitised_{first.pk}": "1",
    }
    response = client.post(f"/staff/dossiers/new/?procedure={world.code}", data)
    assert response.status_code == 302, re.findall(r"(?s)error.{0,300}", response.content.decode())
    return Dossier.objects.get()


def test_scan_is_ocred_certified_and_found_by_the_worker_not_the_counter(world, scan, client, monkeypatch, tmp_path):
    import ocrmypdf

    ocr_calls = []
    real_ocr = ocrmypdf.ocr
    monkeypatch.setattr(ocrmypdf, "ocr", lambda *a, **k: ocr_calls.append(a))
    dossier = _intake_at_the_desk(client, world, scan)
    f = DossierFile.objects.get(dossier=dossier)
    assert f.digitised
    # The counter did not OCR, and queued nothing it would wait for.
    assert ocr_calls == [] and not OcrJob.objects.exists()
    page = client.get(f"/staff/dossiers/{dossier.code}/").content.decode()
    assert 'id="so-hoa"' in page and 'data-status="waiting"' in page
    monkeypatch.setattr(ocrmypdf, "ocr", real_ocr)

    # Progress as the worker reports it, read back from the database while the job runs.
    seen = []
    make_reporter = services._progress

    def recording(job_id, total):
        report = make_reporter(job_id, total)

        def wrapped(done):
            report(done)
            job = OcrJob.objects.get(pk=job_id)
            seen.append((job.status, job.pages_done, job.pages_total))

        return wrapped

    monkeypatch.setattr(services, "_progress", recording)
    assert services.ocr_run_due() == {"queued": 1, "done": 1, "retry": 0, "failed": 0}
    assert seen == [("running", n, 3) for n in (1, 2, 3)]

    job = OcrJob.objects.get(file=f)
    assert (job.status, job.attempts, job.pages_total, job.flagged_pages, job.certified) == ("done", 1, 3, 2, True)
    assert job.seal_agency_id == dossier.agency_id and job.certified_by == world.agency.name
    flags = dict(job.pages.values_list("number", "flag"))
    assert flags == {1: "", 2: "blank", 3: "unreadable"}

    # The dossier page shows it done, the flagged pages, and the copy.
    page = client.get(f"/staff/dossiers/{dossier.code}/").content.decode()
    assert 'data-status="done"' in page
    assert 'data-page="2" data-flag="blank"' in page and 'data-page="3" data-flag="unreadable"' in page
    assert f"/staff/so-hoa/{job.pk}/ban-so-hoa/" in page

    # The certified copy: served to the agency's staff (logged), signed by the seal, valid in pdfsig and verify_pdf.
    response = client.get(f"/staff/so-hoa/{job.pk}/ban-so-hoa/")
    copy = b"".join(response.streaming_content)
    assert response.status_code == 200 and response["X-Content-Type-Options"] == "nosniff"
    with job.output.open("rb") as handle:
        assert copy == handle.read()
    results = signing.verify_pdf_bytes(copy, trust_roots=signing.load_certificates(signing.default_trust_paths()))
    assert len(results) == 1 and results[0].intact and results[0].valid and results[0].trusted
    path = tmp_path / "ban-so-hoa.pdf"
    path.write_bytes(copy)
    pdfsig = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True).stdout
    assert pdfsig.count("Signature is Valid.") == 1, pdfsig
    call_command("verify_pdf", str(path), stdout=open(tmp_path / "report.json", "w"))  # exits 1 unless valid
    assert '"all_intact_and_valid": true' in (tmp_path / "report.json").read_text()

    # The text: found typed without diacritics, and given to other apps by the selectors.
    hits = selectors.dossier_text_search(user=world.officer, q="nguyen van huong thach ha")
    assert [(h.dossier_code, h.file_id, h.page) for h in hits] == [(dossier.code, f.pk, 1)]
    assert "Nguyễn Văn Hưởng" in hits[0].snippet
    page = client.get("/staff/so-hoa/tim-kiem/", {"q": "DANG KY DAU TU"}).content.decode()
    assert dossier.code in page and 'id="digitisation-hits"' in page
    assert "Vũng Áng" in selectors.ocr_text_of_file(f)
    assert selectors.certified_copy_of_file(f.pk) == job

    actions = list(
        AuditLog.objects.filter(object_id=str(job.pk), action__startswith="digitisation.").values_list("action", flat=True)
    )
    assert sorted(actions) == ["digitisation.done", "digitisation.queue"]
    assert AuditLog.objects.filter(action="dossier.view_personal_data", changes__file__id=f.pk).exists()
