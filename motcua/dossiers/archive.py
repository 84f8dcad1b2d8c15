"""Archiving a closed year: its dossiers, every row that depends on them and their files, moved out of the live
tables into one archive file for cheaper storage, and back again (docs/operations.md "Archiving a closed year").

The archive is a tar file (gzip) holding `manifest.json` (year, agency, row counts, the schema it was made with,
the SHA-256 of every member), one JSON-lines member per model (Django's serialisation, parents before
children) and the stored files under `files/`. It is written and read back in full before anything is purged;
restoring checks every hash and the schema first.

What goes with a dossier is found from the models, not listed by hand: every row that refers to an archived row
through a CASCADE, PROTECT or RESTRICT relation, followed down (steps, events, pauses, files, slips, ratings,
payments, results, postal orders, …). A row found that way which also refers to a dossier staying behind (a paper
of the store reused by a later dossier, say) stops the archive: it would take a live record with it.
The audit log is never purged (append-only by law and by trigger); the purge and the restore are audited.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import json
import tarfile
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, time
from graphlib import TopologicalSorter
from pathlib import Path

from django.core import serializers
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection, models, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core.audit_hash import audit_key
from motcua.core.errors import ConflictError, ValidationFailed
from motcua.core.models import Agency
from motcua.core.services import audit_record
from motcua.core.transitions import Actor

from . import summaries
from .models import Dossier, Status

FORMAT = "motcua-archive/1"
CLOSED_STATUSES = (Status.REFUSED, Status.WITHDRAWN, Status.STOPPED, Status.DECIDED, Status.RETURNED)
_FOLLOWED = (models.CASCADE, models.PROTECT, models.RESTRICT)
_CHUNK = 500


@dataclass
class Collected:
    rows: dict[type[models.Model], set] = field(default_factory=lambda: defaultdict(set))  # model -> primary keys

    def counts(self) -> dict[str, int]:
        return {m._meta.label_lower: len(pks) for m, pks in sorted(self.rows.items(), key=lambda i: i[0]._meta.label_lower)}


def year_dossiers(*, year: int, agency: Agency | None = None) -> models.QuerySet:
    tz = timezone.get_current_timezone()
    start = timezone.make_aware(datetime.combine(datetime(year, 1, 1).date(), time.min), tz)
    end = timezone.make_aware(datetime.combine(datetime(year + 1, 1, 1).date(), time.min), tz)
    qs = Dossier.objects.filter(received_at__gte=start, received_at__lt=end)
    return qs.filter(agency=agency) if agency is not None else qs


def _dependents(model: type[models.Model]):
    """Reverse relations whose rows cannot outlive the row they refer to (CASCADE, PROTECT, RESTRICT)."""
    # include_hidden: relations named "+" (no reverse accessor) hold rows just the same.
    for rel in model._meta.get_fields(include_hidden=True):
        if not rel.auto_created or rel.concrete or rel.many_to_many or getattr(rel, "on_delete", None) not in _FOLLOWED:
            continue
        yield rel.related_model, rel.field


def collect(dossier_ids: set) -> Collected:
    found = Collected()
    found.rows[Dossier] = set(dossier_ids)
    queue = [(Dossier, set(dossier_ids))]
    while queue:
        model, pks = queue.pop()
        for child, fk in _dependents(model):
            new = set()
            ids = list(pks)
            for i in range(0, len(ids), _CHUNK):
                new.update(child._base_manager.filter(**{f"{fk.name}__in": ids[i : i + _CHUNK]}).values_list("pk", flat=True))
            new -= found.rows[child]
            if new:
                found.rows[child] |= new
                queue.append((child, new))
    return found


def _staying_behind(found: Collected) -> list[str]:
    """Collected rows that also point at a dossier not archived."""
    archived = found.rows[Dossier]
    problems = []
    for model, pks in found.rows.items():
        for f in model._meta.concrete_fields:
            if f.is_relation and f.related_model is Dossier and model is not Dossier:
                ids = list(pks)
                for i in range(0, len(ids), _CHUNK):
                    refs = set(model._base_manager.filter(pk__in=ids[i : i + _CHUNK]).values_list(f.attname, flat=True))
                    outside = {r for r in refs if r is not None} - archived
                    if outside:
                        problems.append(
                            _("%(rows)s gắn với %(n)s hồ sơ không lưu trữ")
                            % {"rows": f"{model._meta.label_lower}.{f.name}", "n": len(outside)}
                        )
                        break
    return problems


def _order(models_: list[type[models.Model]]) -> list[type[models.Model]]:
    """Parents before children (a model after every model its foreign keys point to, among those archived)."""
    present = set(models_)
    graph = {
        m: {
            f.related_model
            for f in m._meta.concrete_fields
            if f.is_relation and f.related_model in present and f.related_model is not m
        }
        for m in models_
    }
    return list(TopologicalSorter(graph).static_order())


def _schema() -> dict[str, str]:
    latest: dict[str, str] = {}
    for app, name in MigrationRecorder(connection).applied_migrations():
        if name > latest.get(app, ""):
            latest[app] = name
    return dict(sorted(latest.items()))


def _file_names(model: type[models.Model], pks: set) -> list[str]:
    file_fields = [f for f in model._meta.concrete_fields if isinstance(f, models.FileField)]
    names: list[str] = []
    ids = list(pks)
    for f in file_fields:
        for i in range(0, len(ids), _CHUNK):
            names += [n for n in model._base_manager.filter(pk__in=ids[i : i + _CHUNK]).values_list(f.attname, flat=True) if n]
    return names


def _still_referenced(names: set[str]) -> set[str]:
    from django.apps import apps

    found: set[str] = set()
    wanted = list(names)
    for model in apps.get_models():
        for f in model._meta.concrete_fields:
            if isinstance(f, models.FileField):
                for i in range(0, len(wanted), _CHUNK):
                    found.update(
                        model._base_manager.filter(**{f"{f.attname}__in": wanted[i : i + _CHUNK]}).values_list(
                            f.attname, flat=True
                        )
                    )
    return found


def _add(tar: tarfile.TarFile, name: str, data: bytes, hashes: dict[str, str]) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(timezone.now().timestamp())
    tar.addfile(info, io.BytesIO(data))
    hashes[name] = hashlib.sha256(data).hexdigest()


def plan(*, year: int, agency: Agency | None = None) -> tuple[Collected, list[str]]:
    """What an archive of the year would hold, and why it cannot be made (empty when it can)."""
    if year >= timezone.localdate().year:
        return Collected(), [_("Năm %(year)s chưa kết thúc.") % {"year": year}]
    dossiers = year_dossiers(year=year, agency=agency)
    still_open = dossiers.exclude(status__in=CLOSED_STATUSES).count()
    if still_open:
        return Collected(), [_("Năm %(year)s còn %(n)s hồ sơ chưa kết thúc.") % {"year": year, "n": still_open}]
    found = collect(set(dossiers.values_list("pk", flat=True)))
    return found, _staying_behind(found)


def write_archive(*, year: int, to: Path, agency: Agency | None = None) -> dict:
    """Writes the archive of a closed year to `to` (a file path) and returns its manifest. Changes nothing."""
    found, problems = plan(year=year, agency=agency)
    if problems:
        raise ConflictError("; ".join(problems))
    if not found.rows[Dossier]:
        raise ValidationFailed(fields={"year": [_("Năm %(year)s không có hồ sơ nào để lưu trữ.") % {"year": year}]})
    order = _order(list(found.rows))
    hashes: dict[str, str] = {}
    files: list[str] = []
    to.parent.mkdir(parents=True, exist_ok=True)
    partial = to.with_name(to.name + ".partial")
    with tarfile.open(partial, "w:gz") as tar:
        for n, model in enumerate(order):
            pks = sorted(found.rows[model])
            buf = io.StringIO()
            for i in range(0, len(pks), _CHUNK):
                chunk = model._base_manager.filter(pk__in=pks[i : i + _CHUNK]).order_by("pk")
                buf.write(serializers.serialize("jsonl", chunk))
            _add(tar, f"rows/{n:03d}-{model._meta.label_lower}.jsonl", buf.getvalue().encode(), hashes)
            files += _file_names(model, found.rows[model])
        for name in sorted(set(files)):
            with default_storage.open(name, "rb") as fh:
                _add(tar, f"files/{name}", fh.read(), hashes)
        manifest = {
            "format": FORMAT,
            "year": year,
            "agency": agency.code if agency else None,
            "created_at": timezone.now().isoformat(),
            "counts": found.counts(),
            "order": [m._meta.label_lower for m in order],
            "files": len(set(files)),
            "schema": _schema(),
            "sha256": hashes,
        }
        data = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
        _add(tar, "manifest.json", data, {})
        # Hashes prove the file whole; the HMAC with the audit key proves this installation wrote it.
        _add(tar, "manifest.hmac", _seal(data).encode(), {})
    partial.replace(to)  # a killed run leaves a .partial file, never a truncated archive under the final name
    return manifest


def _seal(manifest: bytes) -> str:
    return hmac.new(audit_key(), b"motcua-archive\n" + manifest, hashlib.sha256).hexdigest()


def read_manifest(path: Path) -> dict:
    """The archive's manifest, after checking its HMAC (made with this installation's audit key) and every member
    against its hash (ConflictError when one differs)."""
    try:
        with tarfile.open(path, "r:gz") as tar:
            raw = tar.extractfile("manifest.json").read()
            if not hmac.compare_digest(tar.extractfile("manifest.hmac").read().decode(), _seal(raw)):
                raise ConflictError(_("Tệp lưu trữ không do hệ thống này lập (sai mã xác thực AUDIT_HMAC_KEY)."))
            manifest = json.loads(raw)
            seen = set()
            for member in tar:
                if member.name in ("manifest.json", "manifest.hmac"):
                    continue
                if not member.isfile() or member.name.startswith("/") or ".." in member.name.split("/"):
                    raise ConflictError(_("Tệp lưu trữ có phần không hợp lệ: %(name)s") % {"name": member.name})
                data = tar.extractfile(member).read()
                if manifest["sha256"].get(member.name) != hashlib.sha256(data).hexdigest():
                    raise ConflictError(_("Tệp lưu trữ bị thay đổi: %(name)s") % {"name": member.name})
                seen.add(member.name)
    except (tarfile.TarError, KeyError, OSError, EOFError, json.JSONDecodeError) as exc:
        raise ConflictError(_("Không đọc được tệp lưu trữ: %(error)s") % {"error": exc}) from exc
    if seen != set(manifest["sha256"]) or manifest.get("format") != FORMAT:
        raise ConflictError(_("Tệp lưu trữ thiếu phần hoặc không đúng định dạng."))
    return manifest


@transaction.atomic
def purge(*, archive: Path, actor: Actor) -> dict:
    """Deletes from the live tables what a verified archive holds (one transaction), then its files once committed."""
    manifest = read_manifest(archive)
    agency = Agency.objects.get(code=manifest["agency"]) if manifest["agency"] else None
    dossiers = year_dossiers(year=manifest["year"], agency=agency).select_for_update()
    found = collect(set(dossiers.values_list("pk", flat=True)))
    if found.counts() != manifest["counts"]:
        raise ConflictError(_("Dữ liệu đã thay đổi sau khi lập tệp lưu trữ; hãy lập lại tệp."))
    files = set()
    for model in reversed(_order(list(found.rows))):
        files.update(_file_names(model, found.rows[model]))
        pks = list(found.rows[model])
        for i in range(0, len(pks), _CHUNK):
            model._base_manager.filter(pk__in=pks[i : i + _CHUNK]).delete()
    summaries.forget()  # deleted dossiers leave no updated_at behind: the monthly summaries are recomputed
    audit_record(
        actor=actor,
        action="dossiers.archive_purge",
        object_type="dossiers.archive",
        object_id=str(manifest["year"]),
        object_repr=f"Lưu trữ năm {manifest['year']}",
        changes={"counts": manifest["counts"], "manifest_sha256": _manifest_hash(archive), "files": len(files)},
    )
    # Stored files may be shared (content-addressed names): delete only those no remaining row refers to.
    orphans = sorted(files - _still_referenced(files))
    transaction.on_commit(lambda: [default_storage.delete(name) for name in orphans])
    return manifest


def _archivable() -> set[type[models.Model]]:
    """The models an archive may hold: dossiers and what depends on them (what `collect` follows)."""
    found, queue = {Dossier}, [Dossier]
    while queue:
        for child, _fk in _dependents(queue.pop()):
            if child not in found:
                found.add(child)
                queue.append(child)
    return found


@transaction.atomic
def restore(*, archive: Path, actor: Actor) -> dict:
    """Puts an archive back into the live tables (one transaction) with its files."""
    manifest = read_manifest(archive)
    if manifest["schema"] != _schema():
        raise ConflictError(
            _("Tệp lưu trữ được lập với cấu trúc dữ liệu khác phiên bản hiện tại; hãy khôi phục bằng phiên bản đã lập.")
        )
    with tarfile.open(archive, "r:gz") as tar:
        members = sorted(m.name for m in tar if m.name.startswith("rows/"))
        for name in members:
            objects = list(serializers.deserialize("jsonl", tar.extractfile(name).read().decode()))
            if not objects:
                continue
            model = type(objects[0].object)
            # The manifest's hashes prove the file whole, not who wrote it: rows of other tables (an account,
            # a role) are never put back from an archive.
            strays = {type(o.object)._meta.label_lower for o in objects if type(o.object) is not model} | (
                set() if model in _archivable() else {model._meta.label_lower}
            )
            if strays:
                raise ConflictError(
                    _("Tệp lưu trữ chứa dữ liệu không thuộc hồ sơ (%(models)s).") % {"models": ", ".join(sorted(strays))}
                )
            if model._base_manager.filter(pk__in=[o.object.pk for o in objects]).exists():
                raise ConflictError(
                    _("Dữ liệu của tệp lưu trữ đã có trong hệ thống (%(model)s).") % {"model": model._meta.label_lower}
                )
            for o in objects:
                # A raw save keeps every stored value (bulk_create would stamp auto_now fields with today).
                o.save(force_insert=True)
        for member in tar:
            if member.name.startswith("files/"):
                name = member.name.removeprefix("files/")
                if not default_storage.exists(name):
                    stored = default_storage.save(name, ContentFile(tar.extractfile(member).read()))
                    if stored != name:
                        raise ConflictError(_("Không đặt lại được tệp %(name)s.") % {"name": name})
    summaries.forget()  # restored dossiers keep their old updated_at: the monthly summaries are recomputed
    audit_record(
        actor=actor,
        action="dossiers.archive_restore",
        object_type="dossiers.archive",
        object_id=str(manifest["year"]),
        object_repr=f"Lưu trữ năm {manifest['year']}",
        changes={"counts": manifest["counts"], "manifest_sha256": _manifest_hash(archive)},
    )
    return manifest


def _manifest_hash(path: Path) -> str:
    with tarfile.open(path, "r:gz") as tar:
        return hashlib.sha256(tar.extractfile("manifest.json").read()).hexdigest()
