"""An archive's manifest proves it whole, not who wrote it: a forged archive whose hashes were recomputed and that
adds a staff account (a superuser) is refused by restore_archive, and nothing of it is put back."""

import hashlib
import io
import json
import tarfile

import pytest
from django.core import serializers
from django.core.management import CommandError, call_command

from motcua.core.models import User
from motcua.dossiers import archive
from motcua.dossiers.models import Dossier

from .test_archive_a_closed_year import _system, two_years  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db


def test_a_self_consistent_forged_archive_adding_an_account_is_not_restored(two_years, tmp_path):  # noqa: F811
    path = tmp_path / "a.tar.gz"
    archive.write_archive(year=2021, to=path)
    archive.purge(archive=path, actor=_system())
    intruder = User(username="ke-gia-mao", is_superuser=True, is_staff=True, password="!")
    intruder.pk = 987654
    row = serializers.serialize("jsonl", [intruder]).encode()
    forged = tmp_path / "forged.tar.gz"
    with tarfile.open(path, "r:gz") as src:
        members = {m.name: src.extractfile(m).read() for m in src}
    manifest = json.loads(members.pop("manifest.json"))
    members["rows/zz-core.user.jsonl"] = row
    manifest["sha256"] = {name: hashlib.sha256(data).hexdigest() for name, data in members.items()}
    with tarfile.open(forged, "w:gz") as dst:
        for name, data in {"manifest.json": json.dumps(manifest).encode(), **members}.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            dst.addfile(info, io.BytesIO(data))
    dossiers = Dossier.objects.count()
    with pytest.raises(CommandError, match="không thuộc hồ sơ"):
        call_command("restore_archive", str(forged))
    assert not User.objects.filter(username="ke-gia-mao").exists() and Dossier.objects.count() == dossiers
    call_command("restore_archive", str(path))  # the genuine archive still comes back
    assert Dossier.objects.count() > dossiers
