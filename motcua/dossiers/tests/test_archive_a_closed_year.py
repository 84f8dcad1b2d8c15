"""Archiving a closed year (dossiers/archive.py, manage.py archive_year / restore_archive): everything of the year
leaves the live tables into one verified file and comes back identical; the other years are untouched; nothing is
purged from a year still open, from a changed or tampered archive, or when a row would take a live record along."""

import hashlib
import io
import json
import tarfile
from datetime import timedelta

import pytest
from django.core import serializers
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command

from motcua.core.models import AuditLog
from motcua.dossiers import archive
from motcua.dossiers.generate import generate_dossiers
from motcua.dossiers.models import Dossier, DossierEvent, DossierFile, DossierStep, Status
from motcua.feedback.models import SatisfactionRating

from .factories import World, aware, make_version

pytestmark = pytest.mark.django_db


def _snapshot(dossier_ids) -> dict:
    """Every row that depends on these dossiers, serialised, per model (what must come back identical)."""
    found = archive.collect(set(dossier_ids))
    return {
        m._meta.label_lower: serializers.serialize("json", m._base_manager.filter(pk__in=pks).order_by("pk"))
        for m, pks in found.rows.items()
    }


def _close_all(qs) -> None:
    """The generator leaves a few dossiers open near its `now`; a closed year has none."""
    for d in qs.exclude(status__in=archive.CLOSED_STATUSES):
        d.status = Status.STOPPED
        d.finished_at = d.received_at + timedelta(days=30)
        d.save(update_fields=["status", "finished_at"])


def _rate(d: Dossier) -> None:
    SatisfactionRating.objects.create(
        dossier=d,
        agency=d.agency,
        overall="hai_long",
        submitted_at=d.received_at + timedelta(days=40),
        **dict.fromkeys(
            [
                "total_time",
                "time_per_agency",
                "contacts",
                "agencies_contacted",
                "reception_return",
                "procedure_publicity",
                "staff_attitude",
                "feedback_handling",
                "online_quality",
            ],
            2,
        ),
    )


def _attach(d: Dossier, content: bytes) -> DossierFile:
    f = DossierFile(
        dossier=d,
        original_name="don.pdf",
        sha256=hashlib.sha256(content).hexdigest(),
        content_type="application/pdf",
        size=len(content),
    )
    f.file.save("don.pdf", ContentFile(content), save=False)
    f.save()
    return f


@pytest.fixture
def two_years(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    world = World(committed="10")
    make_version(world.agency, units=world.units, committed="3", legal="5")
    generate_dossiers(agency=world.agency, count=120, years=[2021, 2022], now=aware(2023, 3, 1, 10, 0), seed=11, batch=60)
    y2021 = archive.year_dossiers(year=2021)
    _close_all(y2021)
    first = y2021.order_by("pk").first()
    _rate(first)
    stored = _attach(first, b"%PDF-1.4 don de nghi 2021")
    later = archive.year_dossiers(year=2022).order_by("pk").first()
    _attach(later, b"%PDF-1.4 don de nghi 2022")
    return world, stored


def test_a_closed_year_goes_to_the_archive_and_comes_back_identical(two_years, tmp_path, django_capture_on_commit_callbacks):
    world, stored = two_years
    ids_2021 = set(archive.year_dossiers(year=2021).values_list("pk", flat=True))
    ids_2022 = set(archive.year_dossiers(year=2022).values_list("pk", flat=True))
    before_2021, before_2022 = _snapshot(ids_2021), _snapshot(ids_2022)
    content = stored.file.read()
    name = stored.file.name
    path = tmp_path / "luu-tru-2021.tar.gz"

    with django_capture_on_commit_callbacks(execute=True):
        call_command("archive_year", "--year", "2021", "--to", str(path), "--purge")

    assert not Dossier.objects.filter(pk__in=ids_2021).exists()
    assert not DossierEvent.objects.filter(dossier_id__in=ids_2021).exists()
    assert not DossierStep.objects.filter(dossier_id__in=ids_2021).exists()
    assert not SatisfactionRating.objects.filter(dossier_id__in=ids_2021).exists()
    assert not default_storage.exists(name)
    assert _snapshot(ids_2022) == before_2022  # the next year is untouched
    manifest = archive.read_manifest(path)
    assert manifest["counts"]["dossiers.dossier"] == len(ids_2021)
    assert manifest["counts"]["feedback.satisfactionrating"] == 1
    assert AuditLog.objects.filter(action="dossiers.archive_purge", object_id="2021").count() == 1

    call_command("restore_archive", str(path))

    assert _snapshot(ids_2021) == before_2021
    assert default_storage.open(name, "rb").read() == content
    assert AuditLog.objects.filter(action="dossiers.archive_restore", object_id="2021").count() == 1


def test_a_file_another_year_still_uses_is_kept(two_years, tmp_path, django_capture_on_commit_callbacks):
    world, stored = two_years
    later = archive.year_dossiers(year=2022).order_by("pk").last()
    # A later row referring to the same stored object (as the store of papers refers to a dossier's file).
    shared = DossierFile.objects.create(
        dossier=later,
        file=stored.file.name,
        original_name="don.pdf",
        sha256=stored.sha256,
        content_type="application/pdf",
        size=1,
    )
    with django_capture_on_commit_callbacks(execute=True):
        call_command("archive_year", "--year", "2021", "--to", str(tmp_path / "a.tar.gz"), "--purge")
    assert default_storage.exists(shared.file.name)


def test_a_paper_of_the_year_reused_by_a_later_dossier_stops_the_archive(two_years, tmp_path):
    from motcua.papers.models import Consent, Paper, PaperReuse

    world, stored = two_years
    first, later = stored.dossier, archive.year_dossiers(year=2022).order_by("pk").last()
    paper = Paper.objects.create(
        holder_kind="person",
        holder_number="001090000001",
        name="Giấy chứng nhận",
        source="dossier_file",
        file=stored.file.name,
        original_name="don.pdf",
        sha256=stored.sha256,
        content_type="application/pdf",
        size=stored.size,
        agency=first.agency,
        valid_from=first.received_at.date(),
        dossier=first,
        dossier_file=stored,
        created_at=first.received_at,
    )
    consent = Consent.objects.create(
        dossier=later, holder_number="001090000001", via="online", applicant_repr="Công dân", given_at=later.received_at
    )
    reused_file = DossierFile.objects.create(
        dossier=later,
        file=stored.file.name,
        original_name="don.pdf",
        sha256=stored.sha256,
        content_type="application/pdf",
        size=1,
    )
    PaperReuse.objects.create(
        paper=paper, dossier=later, consent=consent, dossier_file=reused_file, via="online", reused_at=later.received_at
    )
    count = Dossier.objects.count()

    with pytest.raises(CommandError, match="papers.paperreuse.dossier"):
        call_command("archive_year", "--year", "2021", "--to", str(tmp_path / "a.tar.gz"), "--purge")
    assert Dossier.objects.count() == count
    assert not (tmp_path / "a.tar.gz").exists()


def test_writing_an_archive_alone_changes_nothing(two_years, tmp_path):
    ids = set(Dossier.objects.values_list("pk", flat=True))
    before = _snapshot(ids)
    call_command("archive_year", "--year", "2021", "--to", str(tmp_path / "a.tar.gz"))
    assert _snapshot(ids) == before
    assert not (tmp_path / "a.tar.gz.partial").exists()


def test_a_year_with_an_open_dossier_is_not_archived(two_years, tmp_path):
    d = archive.year_dossiers(year=2021).order_by("pk").last()
    d.status = Status.PROCESSING
    d.save(update_fields=["status"])
    with pytest.raises(CommandError, match="1 hồ sơ chưa kết thúc"):
        call_command("archive_year", "--year", "2021", "--to", str(tmp_path / "a.tar.gz"), "--purge")
    assert not (tmp_path / "a.tar.gz").exists()
    assert Dossier.objects.filter(pk=d.pk).exists()


def test_the_current_year_cannot_be_archived(two_years, tmp_path):
    from django.utils import timezone

    with pytest.raises(CommandError, match="chưa kết thúc"):
        call_command("archive_year", "--year", str(timezone.localdate().year), "--to", str(tmp_path / "a.tar.gz"))


def test_a_tampered_archive_is_neither_purged_nor_restored(two_years, tmp_path):
    path = tmp_path / "a.tar.gz"
    archive.write_archive(year=2021, to=path)
    forged = tmp_path / "forged.tar.gz"
    with tarfile.open(path, "r:gz") as src, tarfile.open(forged, "w:gz") as dst:
        for member in src:
            data = src.extractfile(member).read()
            if member.name.endswith("dossiers.dossier.jsonl"):
                data = data.replace(b'"status": "returned"', b'"status": "refused"', 1)
            member.size = len(data)
            dst.addfile(member, io.BytesIO(data))
    count = Dossier.objects.count()
    with pytest.raises(archive.ConflictError, match="bị thay đổi"):
        archive.purge(archive=forged, actor=_system())
    with pytest.raises(CommandError, match="bị thay đổi"):
        call_command("restore_archive", str(forged), "--check")
    assert Dossier.objects.count() == count


def test_an_archive_made_with_another_audit_key_is_refused(two_years, tmp_path, settings):
    path = tmp_path / "a.tar.gz"
    archive.write_archive(year=2021, to=path)
    settings.AUDIT_HMAC_KEY = "khoa-cua-mot-he-thong-khac"
    with pytest.raises(CommandError, match="không do hệ thống này lập"):
        call_command("restore_archive", str(path), "--check")


def test_a_member_outside_the_archive_is_refused(two_years, tmp_path):
    path = tmp_path / "a.tar.gz"
    archive.write_archive(year=2021, to=path)
    with tarfile.open(path, "r:gz") as src:
        members = [(m, src.extractfile(m).read()) for m in src]
    escaping = tmp_path / "escaping.tar.gz"
    with tarfile.open(escaping, "w:gz") as dst:
        for member, data in members:
            dst.addfile(member, io.BytesIO(data))
        info = tarfile.TarInfo("files/../../etc/motcua")
        info.size = 1
        dst.addfile(info, io.BytesIO(b"x"))
    with pytest.raises(CommandError, match="phần không hợp lệ"):
        call_command("restore_archive", str(escaping))


def test_an_archive_older_than_the_data_is_not_purged(two_years, tmp_path):
    path = tmp_path / "a.tar.gz"
    archive.write_archive(year=2021, to=path)
    d = archive.year_dossiers(year=2021).order_by("pk").first()
    DossierEvent.objects.create(dossier=d, action="note", at=d.received_at, note="thêm sau khi lập tệp")
    with pytest.raises(archive.ConflictError, match="đã thay đổi"):
        archive.purge(archive=path, actor=_system())
    assert Dossier.objects.filter(pk=d.pk).exists()


def test_restoring_twice_is_refused_and_changes_nothing(two_years, tmp_path):
    path = tmp_path / "a.tar.gz"
    archive.write_archive(year=2021, to=path)
    count = Dossier.objects.count()
    with pytest.raises(CommandError, match="đã có trong hệ thống"):
        call_command("restore_archive", str(path))
    assert Dossier.objects.count() == count


def test_the_dry_run_lists_what_would_go(two_years, capsys):
    call_command("archive_year", "--year", "2021", "--dry-run")
    out = json.loads(capsys.readouterr().out)
    assert out["problems"] == []
    assert out["counts"]["dossiers.dossier"] == archive.year_dossiers(year=2021).count()
    events = DossierEvent.objects.filter(dossier__in=archive.year_dossiers(year=2021))
    assert out["counts"]["dossiers.dossierevent"] == events.count()


def _system():
    from motcua.core.transitions import SYSTEM

    return SYSTEM
