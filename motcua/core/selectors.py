"""Reads of the core app."""

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from .audit_hash import GENESIS_HASH, audit_entry_hash, audit_key, checkpoint_signature
from .models import Agency, AgencyLevel, AuditCheckpoint, AuditHead, AuditLog


@dataclass
class AuditProblem:
    entry_id: int | None
    message: str


@dataclass(frozen=True)
class CheckpointRecord:
    """A checkpoint as read from the table or the file (taken_at: the signed ISO text)."""

    taken_at: str
    count: int
    last_entry_id: int | None
    head_hash: str
    signature: str
    source: str

    @property
    def label(self) -> str:
        try:
            moment = timezone.localtime(datetime.fromisoformat(self.taken_at))
        except ValueError:
            return self.taken_at
        return f"{moment:%d/%m/%Y %H:%M:%S}"


def _ranges(ids: list[int]) -> list[tuple[int, int]]:
    """Consecutive runs of entries (consecutive in the log, whatever their ids)."""
    runs: list[list[int]] = []
    for entry_id, follows in ids:
        if runs and follows:
            runs[-1][1] = entry_id
        else:
            runs.append([entry_id, entry_id])
    return [(a, b) for a, b in runs]


def _span(first: int, last: int) -> str:
    return f"#{first}" if first == last else f"#{first}–#{last}"


def audit_checkpoints(*, file: Path | None = None) -> tuple[list[CheckpointRecord], list[AuditProblem]]:
    """Every checkpoint kept in the table and in the checkpoint file (or `file`), without duplicates,
    and the lines of the file that could not be read."""
    found: dict[tuple, CheckpointRecord] = {}
    problems: list[AuditProblem] = []
    for row in AuditCheckpoint.objects.order_by("id"):
        record = CheckpointRecord(_stamp(row.taken_at), row.count, row.last_entry_id, row.head_hash, row.signature, "bảng")
        found.setdefault(_identity(record), record)
    path = Path(file or settings.AUDIT_CHECKPOINT_FILE)
    if path.exists():
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            try:
                data = json.loads(line)
                record = CheckpointRecord(
                    str(data["taken_at"]),
                    int(data["count"]),
                    data["last_entry_id"],
                    str(data["head_hash"]),
                    str(data["signature"]),
                    "tệp",
                )
            except (ValueError, KeyError, TypeError):
                problems.append(AuditProblem(None, f"tệp điểm kiểm tra {path}, dòng {number}: không đọc được (bị sửa?)"))
                continue
            found.setdefault(_identity(record), record)
    return sorted(found.values(), key=lambda r: (r.count, r.taken_at)), problems


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def _identity(record: CheckpointRecord) -> tuple:
    return (record.taken_at, record.count, record.last_entry_id, record.head_hash, record.signature)


def audit_verify_chain(*, batch_size: int = 5000, checkpoint_file: Path | None = None) -> list[AuditProblem]:
    """Check the audit log (empty list when intact): every entry's HMAC with the audit key and its link to
    the previous entry, the head row, and every signed checkpoint (table and file) against the log —
    each problem names the entries missing or changed."""
    key = audit_key()
    problems: list[AuditProblem] = []
    checkpoints, file_problems = audit_checkpoints(file=checkpoint_file)
    problems += file_problems
    valid = []
    for cp in checkpoints:
        expected = checkpoint_signature(
            taken_at=cp.taken_at, count=cp.count, last_entry_id=cp.last_entry_id, head_hash=cp.head_hash, key=key
        )
        if expected != cp.signature:
            problems.append(
                AuditProblem(
                    None,
                    f"điểm kiểm tra lúc {cp.label} ({cp.source}): chữ ký không hợp lệ "
                    "(bị giả hoặc sửa, hoặc khóa AUDIT_HMAC_KEY khác)",
                )
            )
        elif cp.last_entry_id is not None:
            valid.append(cp)
    pending = sorted(valid, key=lambda c: c.last_entry_id)
    by_entry: dict[int, tuple[int, str]] = {}  # checkpoint's last entry id -> (entries up to it, its hash or "")
    last_seen: dict[int, int | None] = {}  # checkpoint's last entry id -> the last entry present up to it

    bad_links: list[tuple[int, bool]] = []
    bad_hashes: list[tuple[int, bool]] = []
    prev = GENESIS_HASH
    count = 0
    previous_id: int | None = None
    previous_bad_link = previous_bad_hash = False
    for entry in AuditLog.objects.order_by("id").iterator(chunk_size=batch_size):
        while pending and pending[0].last_entry_id < entry.id:
            cp = pending.pop(0)
            by_entry[cp.last_entry_id] = (count, "")
            last_seen[cp.last_entry_id] = previous_id
        count += 1
        link_ok = entry.prev_hash == prev
        if not link_ok:
            bad_links.append((entry.id, previous_bad_link))
        expected = audit_entry_hash(
            prev_hash=entry.prev_hash,
            key=key,
            at=entry.at,
            actor_id=entry.actor_id,
            actor_repr=entry.actor_repr,
            action=entry.action,
            object_type=entry.object_type,
            object_id=entry.object_id,
            object_repr=entry.object_repr,
            changes=entry.changes,
            request_id=entry.request_id,
            ip=entry.ip,
        )
        hash_ok = expected == entry.hash
        if not hash_ok:
            bad_hashes.append((entry.id, previous_bad_hash))
        previous_bad_link, previous_bad_hash = not link_ok, not hash_ok
        while pending and pending[0].last_entry_id == entry.id:
            cp = pending.pop(0)
            by_entry[cp.last_entry_id] = (count, entry.hash)
            last_seen[cp.last_entry_id] = entry.id
        prev = entry.hash
        previous_id = entry.id
    for cp in pending:
        by_entry[cp.last_entry_id] = (count, "")
        last_seen[cp.last_entry_id] = previous_id

    for first, last in _ranges(bad_links):
        problems.append(
            AuditProblem(first, f"mục {_span(first, last)}: liên kết tới mục trước bị đứt (mục trước nó đã bị xóa hoặc sửa)")
        )
    for first, last in _ranges(bad_hashes):
        if first == last:
            message = f"mục #{first}: nội dung đã bị thay đổi (HMAC không khớp)"
        else:
            message = (
                f"mục #{first}: nội dung đã bị thay đổi (HMAC không khớp); các mục sau nó đến #{last} cũng "
                "không khớp (hash được tính lại không có khóa)"
            )
        problems.append(AuditProblem(first, message))

    for cp in valid:
        present, found_hash = by_entry[cp.last_entry_id]
        missing = cp.count - present
        where = f"điểm kiểm tra lúc {cp.label} ({cp.count} mục, mục cuối #{cp.last_entry_id})"
        if not found_hash:
            seen = last_seen[cp.last_entry_id]
            start = (seen + 1) if seen is not None else 1
            problems.append(
                AuditProblem(
                    cp.last_entry_id, f"thiếu {missing} mục trong khoảng {_span(start, cp.last_entry_id)} so với {where}"
                )
            )
            continue
        if missing > 0:
            problems.append(AuditProblem(cp.last_entry_id, f"thiếu {missing} mục đến mục #{cp.last_entry_id} so với {where}"))
        elif missing < 0:
            problems.append(AuditProblem(cp.last_entry_id, f"thừa {-missing} mục đến mục #{cp.last_entry_id} so với {where}"))
        if found_hash != cp.head_hash:
            problems.append(AuditProblem(cp.last_entry_id, f"mục #{cp.last_entry_id} đã bị thay đổi so với {where}"))

    head = AuditHead.objects.filter(id=1).first()
    if head is None:
        if count:
            problems.append(AuditProblem(None, "dòng đầu chuỗi (AuditHead) đã bị xóa"))
    else:
        if head.last_hash != prev:
            problems.append(AuditProblem(None, "mục cuối cùng của nhật ký đã bị xóa hoặc sửa (không khớp dòng đầu chuỗi)"))
        if head.count != count:
            problems.append(AuditProblem(None, f"số mục nhật ký là {count}, dòng đầu chuỗi ghi {head.count}: có mục bị xóa"))
    return problems


def audit_latest_checkpoint() -> AuditCheckpoint | None:
    return AuditCheckpoint.objects.order_by("-id").first()


def audit_for_object(*, object_type: str, object_id: str):
    return AuditLog.objects.filter(object_type=object_type, object_id=str(object_id)).select_related("actor")


def agency_default() -> Agency | None:
    """The agency this installation serves first (the first one created)."""
    return Agency.objects.order_by("id").first()


def agency_descendant_ids(agency: Agency | int) -> set[int]:
    """The agency and every agency below it in the province's hierarchy (children, their children…),
    level by level: one query per level (a province has three), no recursion in SQL."""
    root = agency if isinstance(agency, int) else agency.pk
    found = {root}
    frontier = {root}
    while frontier:
        frontier = set(Agency.objects.filter(parent_id__in=frontier).exclude(pk__in=found).values_list("pk", flat=True))
        found |= frontier
    return found


def agency_tree() -> list[tuple[Agency, int]]:
    """Every agency with its depth, each under its parent (for choices and the public catalog)."""
    agencies = list(Agency.objects.order_by("name"))
    children: dict[int | None, list[Agency]] = {}
    for a in agencies:
        children.setdefault(a.parent_id, []).append(a)
    known = {a.pk for a in agencies}
    out: list[tuple[Agency, int]] = []

    def walk(parent_id, depth):
        for a in children.get(parent_id, []):
            out.append((a, depth))
            walk(a.pk, depth + 1)

    walk(None, 0)
    for a in agencies:  # a parent outside the list (never in practice): still listed
        if a.parent_id is not None and a.parent_id not in known:
            out.append((a, 0))
    return out


def province_office() -> Agency | None:
    """The agency at the top of the province (level province, no parent): it receives what is addressed
    to no agency in particular (PAKN routed by the province office). Without a hierarchy: the first agency."""
    top = Agency.objects.filter(parent__isnull=True, level=AgencyLevel.PROVINCE).order_by("id").first()
    return top or agency_default()


def filter_given(qs: QuerySet, **lookups) -> QuerySet:
    """`qs` filtered on the lookups that were given (value not None): the optional filters of a list page."""
    return qs.filter(**{k: v for k, v in lookups.items() if v is not None})
