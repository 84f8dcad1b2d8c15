"""Plain INSERTs for the hottest write paths (the one-stop intake, every dossier transition).

`Model.save()` and `bulk_create()` build their INSERT anew on every call (query, compiler, the
preparation of every field), which on the intake cost more than the statements themselves. `insert`
keeps one statement per model and row count, and fills it through the same field methods the ORM
uses (`pre_save(add=True)`, `get_db_prep_save`), so a row is stored exactly as `save()` would store it.

On PostgreSQL, `insert_ctes` and `insert_select_sql` let one statement carry several INSERTs (the
audit entry's statement carries the service's last rows, whose keys nobody reads back). `insert_ctes`
sends each group's rows as one JSON parameter (`jsonb_populate_recordset` over the table's row type):
psycopg remembers how it parsed a statement only up to 50 parameters, and a transition's last rows
with its audit entry carried 50–150, so the statement was parsed anew on every call (a fifth of the
intake's cost) — with one parameter per group it stays well under the limit whatever the rows.

Unlike `save()`, these send no model signals, skip overridden `save()` methods and write every column
from Python: the models written here are declared in `PLAIN_INSERT_MODELS`, any other is refused, and a
system check (core.checks) refuses a declared model that gains what this path would skip — a generated
field, a database default, a `save()` of its own, a pre_save/post_save receiver.
"""

import datetime
import decimal
import json
import uuid
from collections.abc import Iterable, Sequence

from django.core.exceptions import ImproperlyConfigured
from django.db import connections
from django.db.models import (
    AutoField,
    BigAutoField,
    BigIntegerField,
    BooleanField,
    CharField,
    EmailField,
    Field,
    ForeignKey,
    IntegerField,
    Model,
    PositiveBigIntegerField,
    PositiveIntegerField,
    PositiveSmallIntegerField,
    SmallAutoField,
    SmallIntegerField,
    TextField,
)

# Fields whose value of this exact type goes to the database as it is: their get_db_prep_save gives
# it back unchanged (or None for None), so the call, a quarter of an insert's cost, is skipped.
_AS_IS = {
    CharField: str,
    TextField: str,
    EmailField: str,
    BooleanField: bool,
    IntegerField: int,
    SmallIntegerField: int,
    BigIntegerField: int,
    PositiveIntegerField: int,
    PositiveSmallIntegerField: int,
    PositiveBigIntegerField: int,
}
_AUTO = (AutoField, BigAutoField, SmallAutoField)

# The models written by these plain INSERTs (app_label.ModelName), in one place: the system check
# core.checks.plain_insert_models looks at each, and the statements below refuse any other model.
PLAIN_INSERT_MODELS: frozenset[str] = frozenset(
    {
        "core.AuditLog",  # the audit entry, with its statement's other rows (core.services.audit_record)
        "dossiers.Dossier",  # the intake's dossier, numbered in the same statement on PostgreSQL
        "dossiers.DossierStep",  # a dossier's steps (intake, hand-overs)
        "dossiers.DossierEvent",  # the timeline event of every dossier service
        "dossiers.ReceivedPaper",  # the papers counted at the counter
        "notifications.Message",  # queued e-mails and SMS (the outbox)
        "integrations.IntegrationMessage",  # messages to external systems (the integration outbox)
    }
)


class _Column:
    __slots__ = ("field", "attname", "as_is", "plain_read")

    def __init__(self, field: Field):
        self.field = field
        self.attname = field.attname
        target = field.target_field if isinstance(field, ForeignKey) else field
        self.as_is = int if isinstance(field, ForeignKey) and type(target) in _AUTO else _AS_IS.get(type(field))
        self.plain_read = type(field).pre_save is Field.pre_save  # no auto_now, no file to commit

    def value(self, obj: Model, connection):
        value = getattr(obj, self.attname) if self.plain_read else self.field.pre_save(obj, True)
        if value is None and self.as_is is not None or type(value) is self.as_is:
            return value
        return self.field.get_db_prep_save(value, connection)


_statements: dict[tuple[str, type[Model], int], tuple[str, list[_Column], bool]] = {}


def _auto_pk(model: type[Model]) -> bool:
    return isinstance(model._meta.pk, _AUTO)


def _statement(alias: str, model: type[Model], rows: int) -> tuple[str, list[_Column], bool]:
    key = (alias, model, rows)
    found = _statements.get(key)
    if found is None:
        if model._meta.label not in PLAIN_INSERT_MODELS:
            raise ImproperlyConfigured(
                f"{model._meta.label} is not in core.sql.PLAIN_INSERT_MODELS: write it with "
                "save(), or declare it there once the system check accepts it"
            )
        connection = connections[alias]
        qn = connection.ops.quote_name
        meta = model._meta
        # An auto primary key is left to the database, which returns it.
        auto_pk = _auto_pk(model)
        fields = [f for f in meta.concrete_fields if not (auto_pk and f is meta.pk)]
        returning = auto_pk and connection.features.can_return_columns_from_insert
        row = "(" + ", ".join(["%s"] * len(fields)) + ")"
        sql = f"INSERT INTO {qn(meta.db_table)} ({', '.join(qn(f.column) for f in fields)}) VALUES {', '.join([row] * rows)}"
        if returning:
            sql += f" RETURNING {qn(meta.pk.column)}"
        found = _statements[key] = (sql, [_Column(f) for f in fields], returning)
    return found


def insert_statement(*objs: Model, using: str = "default") -> tuple[str, list, bool]:
    """The INSERT of `insert` and its parameters, for a caller that runs it inside a larger statement:
    (sql, params, whether it ends with RETURNING the primary key)."""
    model = type(objs[0])
    if any(type(obj) is not model for obj in objs):
        raise TypeError("insert() takes instances of one model")
    connection = connections[using]
    sql, columns, returning = _statement(using, model, len(objs))
    return sql, [column.value(obj, connection) for obj in objs for column in columns], returning


def insert(*objs: Model, using: str = "default") -> None:
    """INSERT unsaved instances of one model in one statement; sets their primary keys."""
    if not objs:
        return
    connection = connections[using]
    if len(objs) > 1 and not connection.features.can_return_columns_from_insert:  # SQLite before 3.35
        for obj in objs:
            insert(obj, using=using)
        return
    sql, params, returning = insert_statement(*objs, using=using)
    model = type(objs[0])
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        if returning:
            # One row per VALUES tuple, in order (what Django's bulk_create relies on too).
            for obj, row in zip(objs, cursor.fetchall(), strict=True):
                obj.pk = row[0]
        elif _auto_pk(model):  # SQLite before 3.35: one row at a time
            objs[0].pk = cursor.lastrowid
    mark_saved(*objs, using=using)


def _json_value(value):
    """A value as get_db_prep_save gives it, in the JSON that PostgreSQL's record input reads back as
    the same value: ISO dates and times, decimals and UUIDs as text, a JSON field's document as is."""
    if isinstance(value, (datetime.date, datetime.time)):  # datetime is a date
        return value.isoformat()
    if isinstance(value, (decimal.Decimal, uuid.UUID)):
        return str(value)
    if isinstance(value, datetime.timedelta):  # interval input, exact to the microsecond
        return f"{value.days} days {value.seconds} seconds {value.microseconds} microseconds"
    if hasattr(value, "obj") and hasattr(value, "dumps"):  # psycopg's Json/Jsonb wrapper of a JSONField
        return json.loads(value.dumps(value.obj))
    raise TypeError(f"core.sql cannot send {type(value).__name__} as JSON")


_json_statements: dict[tuple[str, type[Model]], str] = {}


def insert_json_statement(*objs: Model, using: str = "default") -> tuple[str, list]:
    """PostgreSQL: the INSERT of unsaved instances of one model with all their values in ONE parameter
    (a JSON array of rows read by jsonb_populate_recordset over the table's row type), and that parameter.
    No RETURNING: for rows whose keys nobody reads back."""
    model = type(objs[0])
    if any(type(obj) is not model for obj in objs):
        raise TypeError("insert() takes instances of one model")
    connection = connections[using]
    _, columns, _ = _statement(using, model, 1)
    sql = _json_statements.get((using, model))
    if sql is None:
        qn = connection.ops.quote_name
        table = qn(model._meta.db_table)
        names = ", ".join(qn(c.field.column) for c in columns)
        sql = _json_statements[(using, model)] = (
            f"INSERT INTO {table} ({names}) SELECT {names} FROM jsonb_populate_recordset(NULL::{table}, %s::jsonb)"
        )
    rows = [{c.field.column: c.value(obj, connection) for c in columns} for obj in objs]
    return sql, [json.dumps(rows, default=_json_value, ensure_ascii=False, allow_nan=False)]


def insert_ctes(groups: Iterable[Sequence[Model]], using: str = "default") -> tuple[list[str], list]:
    """PostgreSQL: the INSERTs of `groups` (each: unsaved instances of one model) as data-modifying CTEs
    ("inserted_0 AS (INSERT ...)", ...) for a statement that runs them, and their parameters (one per
    group). The rows' primary keys are not read back."""
    ctes, params = [], []
    for n, group in enumerate(g for g in groups if g):
        statement, group_params = insert_json_statement(*group, using=using)
        ctes.append(f"inserted_{n} AS ({statement})")
        params += group_params
    return ctes, params


def insert_select_sql(
    obj: Model, *, source: str, computed: dict[str, tuple[str, Sequence]], using: str = "default"
) -> tuple[str, list]:
    """PostgreSQL: "INSERT INTO ... SELECT ... FROM {source} RETURNING pk, computed columns" for one
    instance whose `computed` fields (attname: (SQL expression, its params)) are expressions over the
    relation `source`, and its parameters."""
    connection = connections[using]
    model = type(obj)
    qn = connection.ops.quote_name
    _, columns, _ = _statement(using, model, 1)
    selects, params = [], []
    for column in columns:
        if column.attname in computed:
            expression, expression_params = computed[column.attname]
            selects.append(expression)
            params += expression_params
        else:
            selects.append("%s")
            params.append(column.value(obj, connection))
    outputs = [qn(model._meta.pk.column), *(qn(model._meta.get_field(name).column) for name in computed)]
    sql = (
        f"INSERT INTO {qn(model._meta.db_table)} ({', '.join(qn(c.field.column) for c in columns)}) "
        f"SELECT {', '.join(selects)} FROM {source} RETURNING {', '.join(outputs)}"
    )
    return sql, params


def insert_select(
    obj: Model, *, source: str, source_params: Sequence, computed: dict[str, tuple[str, Sequence]], using: str = "default"
) -> None:
    """PostgreSQL: INSERT one instance whose `computed` fields are expressions over the row of `source`
    (a statement giving one row, named "source"), in one statement (see insert_select_sql). Sets the
    primary key and the computed values on the instance."""
    connection = connections[using]
    sql, params = insert_select_sql(obj, source="source", computed=computed, using=using)
    with connection.cursor() as cursor:
        cursor.execute(f"WITH source AS ({source}) {sql}", [*source_params, *params])
        row = cursor.fetchone()
    obj.pk = row[0]
    for name, value in zip(computed, row[1:], strict=True):
        setattr(obj, name, value)
    mark_saved(obj, using=using)


def mark_saved(*objs: Model, using: str = "default") -> None:
    """What save() leaves on an instance it inserted."""
    for obj in objs:
        obj._state.adding = False
        obj._state.db = using
