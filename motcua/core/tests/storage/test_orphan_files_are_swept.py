"""A file whose row never committed (a rolled-back transaction, a store failing on the next file) is an orphan:
`manage.py sweep_storage` deletes the stored objects no row references once they are older than the grace
period, in the object store and on local disk, keeps every referenced one, and records the sweep in the audit log."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import transaction

from motcua.core.models import AuditLog
from motcua.core.storage import stored_objects, sweep_orphans
from motcua.core.testing import pdf_bytes
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import World, receive

pytestmark = pytest.mark.django_db


def _receive_with_file(world, text: str):
    component = world.version.components.order_by("order").first()
    return receive(world, files=[{"file": SimpleUploadedFile("don.pdf", pdf_bytes(1, text)), "component": component.pk}])


def _rolled_back_upload(world, text: str) -> str:
    """Receive a dossier with a file inside a transaction that then fails; the file's name."""
    names = []
    with pytest.raises(RuntimeError), transaction.atomic():
        d = _receive_with_file(world, text)
        names.append(d.files.get().file.name)
        raise RuntimeError("something after the file failed")
    assert not Dossier.objects.filter(code=d.code).exists()
    return names[0]


def _names() -> set[str]:
    return {name for name, _modified in stored_objects()}


def test_a_rolled_back_upload_in_the_bucket_is_swept_and_a_committed_one_kept(object_storage):
    world = World()
    kept = _receive_with_file(world, "Hồ sơ được tiếp nhận").files.get().file.name
    orphan = _rolled_back_upload(world, "Hồ sơ bị hủy")
    assert {kept, orphan} <= object_storage.keys()

    out = StringIO()
    call_command("sweep_storage", stdout=out)  # the default grace period: a fresh orphan may still be committing
    assert {kept, orphan} <= object_storage.keys()

    call_command("sweep_storage", "--older-than-minutes", "0", "--dry-run", stdout=out)
    assert orphan in out.getvalue() and orphan in object_storage.keys()

    call_command("sweep_storage", "--older-than-minutes", "0", stdout=out)
    assert kept in object_storage.keys()
    assert orphan not in object_storage.keys()
    entry = AuditLog.objects.filter(action="storage.sweep").latest("id")
    assert entry.actor_id is None and entry.actor_repr == "system"
    assert entry.changes["deleted"] == 1 and entry.changes["names"] == [orphan]


def test_the_grace_period_is_counted_from_the_objects_age(object_storage):
    world = World()
    orphan = _rolled_back_upload(world, "Hồ sơ bị hủy")
    assert sweep_orphans(older_than=timedelta(minutes=60)) == []
    later = datetime.now(tz=UTC) + timedelta(minutes=61)
    assert sweep_orphans(older_than=timedelta(minutes=60), now=later) == [orphan]
    assert orphan not in object_storage.keys()


def test_on_local_disk_the_same_sweep_keeps_what_rows_reference(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    world = World()
    kept = _receive_with_file(world, "Hồ sơ được tiếp nhận").files.get().file.name
    orphan = _rolled_back_upload(world, "Hồ sơ bị hủy")
    assert {kept, orphan} <= _names()
    assert sweep_orphans(older_than=timedelta(0)) == [orphan]
    assert kept in _names() and orphan not in _names()
