"""A forged archive that adds a staff account (a superuser), its hashes recomputed, is refused by restore_archive and
nothing of it is put back: without the audit key its manifest's HMAC does not verify; even re-sealed by someone who
holds the key, restore puts back only dossiers and what depends on them."""

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
    with tarfile.open(path, "r:gz") as src:
        members = {m.name: src.extractfile(m).read() for m in src}
    manifest = json.loads(members.pop("manifest.json"))
    genuine_seal = members.pop("manifest.hmac")
    members["rows/zz-core.user.jsonl"] = row
    manifest["sha256"] = {name: hashlib.sha256(data).hexdigest() for name, data in members.items()}
    data = json.dumps(manifest).encode()

    def forge(seal: bytes):
        forged = tmp_path / f"forged-{len(seal)}-{seal[:4].hex()}.tar.gz"
        with tarfile.open(forged, "w:gz") as dst:
            for name, content in {"manifest.json": data, "manifest.hmac": seal, **members}.items():
                info = tarfile.TarInfo(name)
                info.size = len(content)
                dst.addfile(info, io.BytesIO(content))
        return forged

    dossiers = Dossier.objects.count()
    with pytest.raises(CommandError, match="không do hệ thống này lập"):
        call_command("restore_archive", str(forge(genuine_seal)))
    with pytest.raises(CommandError, match="không thuộc hồ sơ"):
        call_command("restore_archive", str(forge(archive._seal(data).encode())))
    assert not User.objects.filter(username="ke-gia-mao").exists() and Dossier.objects.count() == dossiers
    call_command("restore_archive", str(path))  # the genuine archive still comes back
    assert Dossier.objects.count() > dossiers
