"""Writes of the index's weights (the Django admin calls these): one transaction, the audit entry last."""

from django.db import models, transaction

from motcua.core.services import audit_record
from motcua.core.transitions import Actor

from .models import IndexGroup, IndexIndicator, IndexVersion


def _changes(obj: models.Model) -> dict:
    return {
        f.name: str(getattr(obj, f.attname))
        for f in obj._meta.concrete_fields
        if f.name not in ("id",) and getattr(obj, f.attname) is not None
    }


def weights_save(*, actor: Actor, obj: models.Model) -> models.Model:
    """Save a version, group or indicator of the index's weights and audit it."""
    with transaction.atomic():
        created = obj.pk is None
        obj.save()
        audit_record(actor=actor, action="index766.weights_" + ("add" if created else "change"), obj=obj, changes=_changes(obj))
    return obj


def weights_delete(*, actor: Actor, obj: models.Model) -> None:
    with transaction.atomic():
        changes = _changes(obj)
        repr_ = str(obj)
        object_id = str(obj.pk)
        object_type = obj._meta.label_lower
        obj.delete()
        audit_record(
            actor=actor,
            action="index766.weights_delete",
            object_type=object_type,
            object_id=object_id,
            object_repr=repr_,
            changes=changes,
        )


def weights_copy(*, actor: Actor, version, valid_from, name: str = "") -> models.Model:
    """A new version with the groups and indicators of `version`, from `valid_from` (what an administrator
    starts from when a decision amends the weights): one transaction, audited last."""
    with transaction.atomic():
        new = IndexVersion.objects.create(
            name=name or version.name, decision=version.decision, valid_from=valid_from, note=version.note
        )
        for group in version.groups.order_by("order"):
            g = IndexGroup.objects.create(version=new, code=group.code, order=group.order, max_points=group.max_points)
            IndexIndicator.objects.bulk_create(
                IndexIndicator(
                    group=g, code=i.code, order=i.order, max_points=i.max_points, threshold_percent=i.threshold_percent
                )
                for i in group.indicators.order_by("order")
            )
        audit_record(
            actor=actor,
            action="index766.weights_copy",
            obj=new,
            changes={"from_version": version.pk, "valid_from": valid_from.isoformat()},
        )
    return new
