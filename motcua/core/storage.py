"""Files in object storage (issue 21): the S3-compatible backend, downloads, and the orphan sweeper.

Every file of the application goes through Django's storage API (`FieldFile.open`, `storage.save`); nothing
reads a local path. With `AWS_STORAGE_BUCKET_NAME` set the default storage is `ObjectStorage` (django-storages'
S3 backend, `docs/operations.md` "Object storage"); otherwise the local disk under `MEDIA_ROOT` (`make run`).

- `ObjectStorage`: never overwrites an object (a second file under a taken name gets a suffix, as on disk), short
  timeouts, and a store that cannot be reached or answers 5xx becomes `StorageUnavailable` (503 with the
  project's error page or API body), raised before any row is committed, so nothing is half stored.
- `file_response`: a download after the caller's rights check — a stream (FileResponse over `storage.open`), or
  for an attachment stored in the object store and at least `MOTCUA_SIGNED_URL_MIN_BYTES` long, a redirect to
  a signed URL valid `MOTCUA_SIGNED_URL_SECONDS`.
- `discard_uncommitted`: at the end of a request, the objects written by transactions that rolled back are deleted.
- `sweep_orphans`: objects no row references (what the above missed: a process killed between the file and its row,
  the worker, local disk), older than a grace period, are deleted (`manage.py sweep_storage`)."""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError
from django.apps import apps
from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.core.signals import request_finished
from django.db import models, transaction
from django.http import FileResponse, HttpResponse, HttpResponseRedirect
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from storages.backends.s3 import S3Storage

from .errors import ApplicationError

logger = logging.getLogger(__name__)

# What a broken or misconfigured store answers (anything else, e.g. 404 on a missing key, keeps its meaning).
_FAULT_CODES = {"NoSuchBucket", "AccessDenied", "InvalidAccessKeyId", "SignatureDoesNotMatch", "SlowDown"}


class StorageUnavailable(ApplicationError):
    """The object store cannot be reached: 503, mapped like every application error (pages and API)."""

    status_code = 503
    default_message = "Kho lưu trữ tệp tạm thời không truy cập được. Xin vui lòng thử lại sau ít phút."
    code = "storage_unavailable"


def _is_fault(exc: Exception) -> bool:
    if isinstance(exc, ClientError):
        status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode") or 0
        return status >= 500 or exc.response.get("Error", {}).get("Code") in _FAULT_CODES
    return isinstance(exc, BotoCoreError)  # connection refused, timeouts, closed connections, no credentials


@contextmanager
def store_call(operation: str, name: str = "") -> Iterator[None]:
    """Turn a store fault inside the block into StorageUnavailable (logged with the operation and the object)."""
    try:
        yield
    except (BotoCoreError, ClientError) as exc:
        if not _is_fault(exc):
            raise
        logger.warning("object store %s %r failed: %s", operation, name, exc)
        raise StorageUnavailable(_("Kho lưu trữ tệp tạm thời không truy cập được. Xin vui lòng thử lại sau ít phút.")) from exc


class ObjectStorage(S3Storage):
    """django-storages' S3 backend with the project's rules (see the module's docstring)."""

    file_overwrite = False  # names are made free like on disk: a file never replaces another one's bytes

    def get_default_settings(self) -> dict:
        defaults = super().get_default_settings()
        if defaults.get("client_config") is None:
            timeout = settings.MOTCUA_STORAGE_TIMEOUT_SECONDS
            # Few quick retries: a store that is down answers 503 in seconds, not after botocore's minute of back-off.
            defaults["client_config"] = Config(
                connect_timeout=timeout,
                read_timeout=timeout,
                retries={"max_attempts": 2, "mode": "standard"},
                s3={"addressing_style": defaults.get("addressing_style") or "path"},
                signature_version=defaults.get("signature_version") or "s3v4",
            )
        return defaults

    def _open(self, name, mode="rb"):
        with store_call("open", name):
            return super()._open(name, mode)

    def _save(self, name, content):
        with store_call("save", name):
            saved = super()._save(name, content)
        _watch(self, saved)
        return saved

    def delete(self, name):
        with store_call("delete", name):
            return super().delete(name)

    def exists(self, name):
        with store_call("exists", name):
            return super().exists(name)

    def size(self, name):
        with store_call("size", name):
            return super().size(name)

    def listdir(self, name):
        with store_call("listdir", name):
            return super().listdir(name)

    def get_modified_time(self, name):
        with store_call("modified", name):
            return super().get_modified_time(name)

    def objects(self) -> Iterator[tuple[str, datetime]]:
        """(name, last modified) of every object under this storage's location."""
        prefix = self.location.strip("/") + "/" if self.location else ""
        with store_call("list", prefix):
            paginator = self.connection.meta.client.get_paginator("list_objects_v2")
            for page in paginator.paginate(Bucket=self.bucket_name, Prefix=prefix):
                for entry in page.get("Contents", ()):
                    yield entry["Key"][len(prefix) :], entry["LastModified"]


# ------------------------------------------------------------------------- files of rolled-back transactions

_pending = threading.local()


def _pending_names() -> dict:
    if not hasattr(_pending, "names"):
        _pending.names = {}
    return _pending.names


def _watch(storage, name: str) -> None:
    """A file written inside a transaction stays pending until that transaction commits (Django runs on_commit
    callbacks after a commit and drops them on a rollback: there is no on_rollback)."""
    if not transaction.get_connection().in_atomic_block:
        return
    _pending_names()[name] = storage
    transaction.on_commit(lambda: _pending_names().pop(name, None))


def discard_uncommitted(**_kwargs) -> list[str]:
    """At the end of a request, outside any transaction: the files still pending were written by transactions
    that rolled back; delete those no committed row references (a content-addressed name may have been taken up
    by another row). Whatever this misses (a killed process, a store down at this moment) the sweeper removes."""
    names = getattr(_pending, "names", None)
    if not names or transaction.get_connection().in_atomic_block:
        return []
    _pending.names = {}
    referenced = _referenced(list(names))
    deleted = []
    for name, storage in names.items():
        if name in referenced:
            continue
        try:
            storage.delete(name)
        except StorageUnavailable:
            continue
        deleted.append(name)
    if deleted:
        logger.info("deleted %s file(s) of rolled-back transactions: %s", len(deleted), deleted)
    return deleted


request_finished.connect(discard_uncommitted, dispatch_uid="motcua.core.storage.discard_uncommitted")


def file_response(field_file, *, filename: str, as_attachment: bool = True, content_type: str | None = None) -> HttpResponse:
    """Serve a stored file. Call it AFTER the rights check: a signed URL is as good as the file for its lifetime.

    Inline files (the dossier viewer's PDFs and images, slips) are always streamed by the application, which
    adds its own sandboxing headers; attachments of `MOTCUA_SIGNED_URL_MIN_BYTES` or more in the object store are
    a redirect to a URL signed for `MOTCUA_SIGNED_URL_SECONDS`, carrying the download name and type. The object
    is fetched before the response starts, so a store fault is a 503, never a truncated download."""
    storage = field_file.storage
    name = field_file.name
    handle = storage.open(name, "rb")
    if isinstance(storage, ObjectStorage):
        threshold = settings.MOTCUA_SIGNED_URL_MIN_BYTES
        if as_attachment and threshold and handle.size >= threshold:
            handle.close()
            params = {"ResponseContentDisposition": content_disposition_header(True, filename)}
            if content_type:
                params["ResponseContentType"] = content_type
            url = storage.url(name, parameters=params, expire=settings.MOTCUA_SIGNED_URL_SECONDS)
            response = HttpResponseRedirect(url)
            response["Cache-Control"] = "private, no-store"
            response["Referrer-Policy"] = "no-referrer"
            return response
        with store_call("read", name):
            handle.file  # noqa: B018 - downloads the object now (a spooled temporary file)
    return FileResponse(handle, as_attachment=as_attachment, filename=filename, content_type=content_type)


# ------------------------------------------------------------------------------------------ the sweeper


def file_fields() -> list[tuple[type[models.Model], str]]:
    """Every (model, FileField name): the only references to stored files. Fields of any storage count (a name
    kept by mistake is harmless; one missed would be deleted)."""
    return [
        (model, field.name)
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if isinstance(field, models.FileField)
    ]


def _local_objects(storage: FileSystemStorage) -> Iterator[tuple[str, datetime]]:
    root = os.fspath(storage.location)
    for folder, _dirs, names in os.walk(root):
        for n in names:
            path = os.path.join(folder, n)
            yield os.path.relpath(path, root).replace(os.sep, "/"), datetime.fromtimestamp(os.path.getmtime(path), tz=UTC)


def stored_objects(storage=None) -> Iterator[tuple[str, datetime]]:
    target = storage or storages["default"]
    if hasattr(target, "objects"):
        yield from target.objects()
    elif isinstance(target, FileSystemStorage):
        if os.path.isdir(target.location):
            yield from _local_objects(target)
    else:
        raise TypeError(f"The sweeper cannot list {type(target).__name__}.")


def _referenced(names: list[str]) -> set[str]:
    found: set[str] = set()
    for model, field in file_fields():
        found.update(model._base_manager.filter(**{f"{field}__in": names}).values_list(field, flat=True))
    return found


def sweep_orphans(*, older_than: timedelta, dry_run: bool = False, now: datetime | None = None, batch: int = 500) -> list[str]:
    """Delete the stored objects that no row references and that are older than `older_than` (a transaction
    still running may hold a file whose row is not committed yet: keep the grace period above the longest
    request). Returns the names (deleted, or that would be with `dry_run`)."""
    cutoff = (now or datetime.now(tz=UTC)) - older_than
    storage = storages["default"]
    swept: list[str] = []

    def flush(chunk: list[str]) -> None:
        referenced = _referenced(chunk)
        for name in chunk:
            if name not in referenced:
                if not dry_run:
                    storage.delete(name)
                swept.append(name)

    chunk: list[str] = []
    for name, modified in stored_objects(storage):
        if modified < cutoff:
            chunk.append(name)
        if len(chunk) >= batch:
            flush(chunk)
            chunk = []
    if chunk:
        flush(chunk)
    if swept and not dry_run:
        from .services import audit_record  # the services import the models: not at start-up of the settings' backend
        from .transitions import SYSTEM

        with transaction.atomic():
            audit_record(
                actor=SYSTEM,
                action="storage.sweep",
                object_type="storage",
                object_repr=_("Kho lưu trữ tệp"),
                changes={"deleted": len(swept), "names": swept[:100], "older_than_minutes": older_than.total_seconds() / 60},
            )
    logger.info("storage sweep: %s unreferenced object(s) %s", len(swept), "found" if dry_run else "deleted")
    return swept
