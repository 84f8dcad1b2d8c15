"""Plain INSERTs for the hottest write path (the one-stop intake).

`Model.save()` and `bulk_create()` build their INSERT anew on every call (query, compiler, the
preparation of every field), which on the intake cost more than the statements themselves. `insert`
keeps one statement per model and row count, and fills it through the same field methods the ORM
uses (`pre_save(add=True)`, `get_db_prep_save`), so a row is stored exactly as `save()` would store it.

Unlike `save()`, it sends no model signals and skips overridden `save()` methods: call it only for
models where neither matters (each caller says why).
"""

from django.db import connections
from django.db.models import AutoField, BigAutoField, Field, Model, SmallAutoField

_statements: dict[tuple[str, type[Model], int], tuple[str, list[Field], bool]] = {}


def _statement(alias: str, model: type[Model], rows: int) -> tuple[str, list[Field], bool]:
    key = (alias, model, rows)
    found = _statements.get(key)
    if found is None:
        connection = connections[alias]
        qn = connection.ops.quote_name
        meta = model._meta
        # An auto primary key is left to the database, which returns it.
        auto_pk = isinstance(meta.pk, AutoField | BigAutoField | SmallAutoField)
        fields = [f for f in meta.concrete_fields if not (auto_pk and f is meta.pk)]
        returning = auto_pk and connection.features.can_return_columns_from_insert
        row = "(" + ", ".join(["%s"] * len(fields)) + ")"
        sql = (f"INSERT INTO {qn(meta.db_table)} ({', '.join(qn(f.column) for f in fields)}) "
               f"VALUES {', '.join([row] * rows)}")
        if returning:
            sql += f" RETURNING {qn(meta.pk.column)}"
        found = _statements[key] = (sql, fields, returning)
    return found


def insert(*objs: Model, using: str = "default") -> None:
    """INSERT unsaved instances of one model in one statement; sets their primary keys."""
    if not objs:
        return
    model = type(objs[0])
    if any(type(obj) is not model for obj in objs):
        raise TypeError("insert() takes instances of one model")
    connection = connections[using]
    if len(objs) > 1 and not connection.features.can_return_columns_from_insert:  # SQLite before 3.35
        for obj in objs:
            insert(obj, using=using)
        return
    sql, fields, returning = _statement(using, model, len(objs))
    params = [f.get_db_prep_save(f.pre_save(obj, True), connection) for obj in objs for f in fields]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        if returning:
            # One row per VALUES tuple, in order (what Django's bulk_create relies on too).
            for obj, row in zip(objs, cursor.fetchall(), strict=True):
                obj.pk = row[0]
        elif model._meta.pk.attname not in {f.attname for f in fields}:
            objs[0].pk = cursor.lastrowid
    for obj in objs:
        obj._state.adding = False
        obj._state.db = using
