"""System checks of the project's own rules (registered in CoreConfig.ready)."""

from collections.abc import Iterable

from django.apps import apps
from django.core import checks
from django.db.models import NOT_PROVIDED, GeneratedField, Model
from django.db.models.signals import post_save, pre_save

from .models import AppendOnlyModel
from .sql import PLAIN_INSERT_MODELS


def plain_insert_problems(models: Iterable[type[Model]]) -> list[checks.CheckMessage]:
    """What a plain INSERT (core.sql) would not store as `save()` does, for each model: a generated
    field (core.sql would send a value for it), a database default (sent as a Python value instead of
    the database's), an overridden `save()` (skipped), a pre_save or post_save receiver (not sent).
    AppendOnlyModel's save() is accepted: it only refuses updates, and a plain INSERT is never one."""
    errors = []
    for model in models:
        label = model._meta.label
        for field in model._meta.concrete_fields:
            if isinstance(field, GeneratedField):
                errors.append(
                    checks.Error(
                        f"{label}.{field.name} is a generated field, which the plain INSERT of core.sql would write as a value",
                        obj=model,
                        id="motcua.E001",
                    )
                )
            if field.db_default is not NOT_PROVIDED:
                errors.append(
                    checks.Error(
                        f"{label}.{field.name} has a database default, which the plain INSERT of core.sql would not apply",
                        obj=model,
                        id="motcua.E002",
                    )
                )
        save = model.save
        if save is not Model.save and save is not AppendOnlyModel.save:
            errors.append(
                checks.Error(f"{label} overrides save(), which the plain INSERT of core.sql skips", obj=model, id="motcua.E003")
            )
        for signal, name in ((pre_save, "pre_save"), (post_save, "post_save")):
            if signal.has_listeners(model):
                errors.append(
                    checks.Error(
                        f"{label} has {name} receivers, which the plain INSERT of core.sql does not call",
                        obj=model,
                        id="motcua.E004",
                    )
                )
    return errors


def plain_insert_models(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """The models declared in core.sql.PLAIN_INSERT_MODELS can be written faithfully by a plain INSERT."""
    models = [apps.get_model(label) for label in sorted(PLAIN_INSERT_MODELS)]
    if app_configs is not None:
        wanted = {config.label for config in app_configs}
        models = [m for m in models if m._meta.app_label in wanted]
    return plain_insert_problems(models)
