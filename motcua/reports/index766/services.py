"""Writes of the index's weights (the Django admin calls these): one transaction, the audit entry last."""

from django.db import models, transaction

from motcua.core.services import audit_record
from motcua.core.transitions import Actor


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
