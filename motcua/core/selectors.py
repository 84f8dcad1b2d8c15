"""Reads of the core app."""

from dataclasses import dataclass

from .models import Agency, AuditHead, AuditLog
from .services import GENESIS_HASH, audit_entry_hash


@dataclass
class AuditProblem:
    entry_id: int | None
    message: str


def audit_verify_chain(*, batch_size: int = 5000) -> list[AuditProblem]:
    """Recompute the hash chain; return the problems found (empty when the log is intact)."""
    problems: list[AuditProblem] = []
    prev = GENESIS_HASH
    count = 0
    for entry in AuditLog.objects.order_by("id").iterator(chunk_size=batch_size):
        count += 1
        if entry.prev_hash != prev:
            problems.append(AuditProblem(entry.id, f"mục #{entry.id}: liên kết tới mục trước bị đứt (một mục trước nó đã bị xóa hoặc sửa)"))
        expected = audit_entry_hash(
            prev_hash=entry.prev_hash, at=entry.at, actor_id=entry.actor_id, actor_repr=entry.actor_repr,
            action=entry.action, object_type=entry.object_type, object_id=entry.object_id,
            object_repr=entry.object_repr, changes=entry.changes, request_id=entry.request_id, ip=entry.ip,
        )
        if expected != entry.hash:
            problems.append(AuditProblem(entry.id, f"mục #{entry.id}: nội dung đã bị thay đổi (hash không khớp)"))
        prev = entry.hash
    head = AuditHead.objects.filter(id=1).first()
    if head is not None:
        if head.last_hash != prev:
            problems.append(AuditProblem(None, "mục cuối cùng của nhật ký đã bị xóa hoặc sửa"))
        if head.count != count:
            problems.append(AuditProblem(None, f"số mục nhật ký là {count}, đã ghi {head.count}: có mục bị xóa"))
    return problems


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
    from .models import AgencyLevel

    top = Agency.objects.filter(parent__isnull=True, level=AgencyLevel.PROVINCE).order_by("id").first()
    return top or agency_default()
