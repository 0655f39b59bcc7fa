"""The one way to write the audit log (docs/requirements.md §11): called by the actions inside their transaction."""

from __future__ import annotations

import datetime
import decimal
from collections.abc import Mapping
from typing import Any

from django.db import models
from django.db.models.fields.files import FieldFile

from . import rawsql
from .actor import Actor
from .logging import mask_id_numbers, remask_old_masks
from .models import AuditLog, project_model
from .pii import mask_id, mask_phone

# Keys whose values are masked in before/after, whatever model they come from.
_ID_KEYS = ("id_number", "idcard", "id_card", "bank_card", "bank_account", "card_number")
_PHONE_KEYS = ("phone",)
# A birth date is 8 of an ID number's 18 digits: beside a masked number it rebuilds the number, and the
# audit log is readable by the project account without the audited reveal.
_BIRTH_KEYS = ("birth",)
HIDDEN_DATE = "****-**-**"


def _jsonable(value: Any) -> Any:
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, (datetime.date, datetime.datetime, decimal.Decimal)):
        return str(value)
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, FieldFile):
        return value.name or ""
    return value


def mask_values(values: Mapping[str, Any] | None) -> dict | None:
    """Copy of `values`, JSON-safe, with ID numbers, bank cards and phones masked, birth dates hidden.

    Idempotent, so the data migration that tightened the masks runs stored rows through it again."""
    if values is None:
        return None
    masked = {}
    for key, value in values.items():
        value = _jsonable(value)
        lowered = key.lower()
        if any(k in lowered for k in _BIRTH_KEYS) and value:
            value = HIDDEN_DATE
        elif isinstance(value, str) and value:
            if any(k in lowered for k in _ID_KEYS):
                value = mask_id(value)
            elif any(k in lowered for k in _PHONE_KEYS):
                value = mask_phone(value)
            else:
                value = remask_old_masks(mask_id_numbers(value))
        masked[key] = value
    return masked


def snapshot(obj: models.Model, fields: list[str] | None = None) -> dict:
    """The concrete field values of `obj` (attnames for relations), ready for before/after."""
    data = {}
    for field in obj._meta.concrete_fields:
        if fields is not None and field.name not in fields:
            continue
        if field.name.endswith(("_digest", "_masked", "_last4")):
            continue
        value = getattr(obj, field.attname)
        # A FieldFile is changed in place when a new file is saved to it: keep its name, or the
        # "before" would follow the change and a new photo would compare equal to the old one.
        data[field.name] = value.name if isinstance(value, FieldFile) else value
    return data


def changed(before: dict, after: dict) -> tuple[dict, dict]:
    """Only the keys whose value changed."""
    keys = [k for k in after if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after.get(k) for k in keys}


def build(
    actor: Actor,
    action: str,
    obj: models.Model | None = None,
    *,
    project=None,
    summary: str = "",
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
) -> AuditLog:
    """An unsaved audit row; `record` saves one, `record_many` saves a list in one INSERT.
    `project` is a Project or its id (the API's hot path knows only the id)."""
    if project is None and obj is not None:
        project = _project_of(obj)
    return AuditLog(
        actor=actor.user,
        actor_label=actor.display[:150],
        ip=actor.ip,
        action=action,
        summary=mask_id_numbers(summary)[:500],
        object_type=obj._meta.label if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=mask_id_numbers(str(obj))[:255] if obj is not None else "",
        project_id=getattr(project, "pk", project),
        before=mask_values(before),
        after=mask_values(after),
    )


def record(actor: Actor, action: str, obj: models.Model | None = None, **details) -> AuditLog:
    """Write one audit row. `action` is a stable code such as "declaration.approve"."""
    row = build(actor, action, obj, **details)
    insert(row)
    return row


def insert(row: AuditLog) -> None:
    """`row.save()` as one prepared INSERT: every punch upload writes an audit row, and the ORM's
    save path cost as much as the rest of a small upload's statements."""
    connection = rawsql.connection_for(AuditLog)
    names, _kinds, values = zip(*insert_values(row, connection), strict=True)
    pk = rawsql.columns(connection, AuditLog, AuditLog._meta.pk.name)[0]
    with rawsql.cursor(connection) as cursor:
        cursor.execute(
            f"INSERT INTO {rawsql.table(connection, AuditLog)} ({', '.join(names)}) "
            f"VALUES ({', '.join(['%s'] * len(values))}) RETURNING {pk}",
            values,
        )
        row.pk = cursor.fetchone()[0]
    row._state.adding = False
    row._state.db = connection.alias


def insert_values(row: AuditLog, connection) -> list[tuple[str, str, Any]]:
    """(quoted column, database type, value) for each column of an unsaved audit row, for an
    INSERT written by hand (`insert`, or a statement that writes the row along with what it
    records). Values go through each field's own pre_save and database preparation, exactly as
    save() would (AuditLog has no save() override or signal receivers)."""
    return [
        (name, kind, field.get_db_prep_save(field.pre_save(row, add=True), connection))
        for field, name, kind in _insert_columns(connection)
    ]


def _insert_columns(connection) -> list[tuple[Any, str, str]]:
    """(field, quoted column, database type) of every audit column but the key, per backend: they
    do not change at run time, and working them out again was a visible share of a punch upload."""
    columns = _insert_columns_memo.get(connection.vendor)
    if columns is None:
        fields = [field for field in AuditLog._meta.concrete_fields if not field.primary_key]
        names = rawsql.columns(connection, AuditLog, *(field.name for field in fields))
        columns = _insert_columns_memo[connection.vendor] = [
            (field, name, field.cast_db_type(connection)) for field, name in zip(fields, names, strict=True)
        ]
    return columns


_insert_columns_memo: dict[str, list[tuple[Any, str, str]]] = {}


def record_many(rows: list[AuditLog]) -> list[AuditLog]:
    """Write audit rows built with `build` in bulk (an action on thousands of objects: one row each)."""
    return AuditLog.objects.bulk_create(rows, batch_size=1000)


def _project_of(obj: models.Model):
    if isinstance(obj, project_model()):
        return obj
    return getattr(obj, "project", None)
