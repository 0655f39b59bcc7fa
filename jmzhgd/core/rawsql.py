"""Helpers for the few statements written by hand on the API's hot path.

A signed punch upload runs a dozen statements, hundreds of times a second (bench/README.md). Through
the ORM, compiling each one cost more CPU than the database spent running it, so the statements on
that path (rate counter, nonce, credential lookup, punch insert, summary refresh) are plain SQL
that works on PostgreSQL and SQLite alike. Table and column names still come from the models, so
a renamed field breaks these statements loudly instead of silently.
"""

from __future__ import annotations

import datetime
import decimal
import functools
import weakref

from django.db import connections, router

# After this many executions of the same statement text, psycopg prepares it on the server, which
# then stops parsing and planning it on every call (with 100-element lists, planning cost more
# than running). Applies to the cursors below only: Django's own cursors bind on the client, and
# psycopg never prepares those.
PREPARE_THRESHOLD = 5


def connection_for(model):
    return connections[router.db_for_write(model)]


def cursor(connection):
    """A cursor for the hot-path statements: Django's own, except on PostgreSQL, where it binds
    parameters on the server so that psycopg can prepare the statement (PREPARE_THRESHOLD).
    Wrapped like Django's cursors, so query logging, execute wrappers and error translation apply.

    Prepared statements live in the session: a connection pooler in front of PostgreSQL must
    not run in transaction mode (docs/deploy.md)."""
    if connection.vendor != "postgresql":
        return connection.cursor()
    connection.ensure_connection()
    raw = connection.connection
    server_cursor = _kept_cursors.get(raw)
    if server_cursor is None or server_cursor.closed:
        if raw.prepare_threshold is None:
            raw.prepare_threshold = PREPARE_THRESHOLD
        server_cursor = _kept_cursors[raw] = _kept_cursor_class()(raw)
    return (
        connection.make_debug_cursor(server_cursor)
        if connection.queries_logged
        else connection.make_cursor(server_cursor)
    )


# One server-binding cursor per database connection, used again by every hot-path statement: a
# new psycopg cursor (with its own copy of the adapters map) per statement was a visible share of a
# small API request. Every caller reads its results inside its `with` block, before the next
# statement runs on the same cursor.
_kept_cursors = weakref.WeakKeyDictionary()


@functools.cache
def _kept_cursor_class():
    """ServerBindingCursor whose close() leaves it open (Django's wrapper closes the cursor when
    its `with` block ends); it goes with its connection."""
    from django.db.backends.postgresql.base import ServerBindingCursor

    class KeptCursor(ServerBindingCursor):
        def close(self) -> None:
            pass

    return KeptCursor


def table(connection, model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def columns(connection, model, *names: str) -> list[str]:
    """Quoted column names of `model`'s fields `names` (attnames for relations)."""
    key = (connection.vendor, model, names)  # quoting differs between backends, not connections
    quoted = _quoted_columns.get(key)
    if quoted is None:
        quoted = _quoted_columns[key] = [
            connection.ops.quote_name(model._meta.get_field(name).column) for name in names
        ]
    return list(quoted)


_quoted_columns: dict[tuple, list[str]] = {}


def fetch_one(model, names: tuple[str, ...], where: str, params: list):
    """One `model` instance holding only the fields `names` (the others deferred), or None.
    `where` names columns as they are in the table."""
    connection = connection_for(model)
    with cursor(connection) as db:
        db.execute(
            f"SELECT {', '.join(columns(connection, model, *names))} FROM {table(connection, model)} "
            f"WHERE {where} LIMIT 1",
            params,
        )
        row = db.fetchone()
    if row is None:
        return None
    attnames = [model._meta.get_field(name).attname for name in names]
    values = [
        aware(v) if model._meta.get_field(n).get_internal_type() == "DateTimeField" else v
        for n, v in zip(names, row, strict=True)
    ]
    return model.from_db(connection.alias, attnames, values)


def aware(value) -> datetime.datetime | None:
    """A timestamp read with a raw cursor, as an aware datetime. PostgreSQL returns one; SQLite
    returns naive UTC (Django's registered converter) or, for an aggregate, the stored text."""
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.datetime.fromisoformat(value)
    return value if value.tzinfo is not None else value.replace(tzinfo=datetime.UTC)


def day(value) -> datetime.date:
    """A date read with a raw cursor (SQLite may return the stored text)."""
    return datetime.date.fromisoformat(value) if isinstance(value, str) else value


@functools.cache
def fields(model, *names: str) -> tuple:
    """`model`'s fields `names`, for the row sources below (which may mix models' fields)."""
    return tuple(model._meta.get_field(name) for name in names)


def rows_source(connection, row_fields: tuple, rows: list) -> tuple[str, list]:
    """A row source for `INSERT INTO … {source}`, `… IN ({source})` or a CTE: `rows` (values in the
    order of the fields `row_fields`, see `fields`) as SQL and parameters.

    PostgreSQL gets one parameter per column, `SELECT * FROM unnest(…)`: the statement text stays
    the same whatever the number of rows, so it is parsed once and prepared (`cursor`), instead of
    scanning thousands of placeholders on every batch. A column of plain values (numbers, dates,
    times, texts; NULLs among them) travels as one text joined by SEPARATOR, which the database
    splits, `string_to_array(%s, E'\\x1f', E'\\x1e')::bigint[]`; psycopg would otherwise convert
    an array element by element in Python. Other columns travel as arrays. Other databases get
    `values_source`.
    """
    if connection.vendor != "postgresql":
        return values_source(connection, row_fields, rows)
    sources, params = [], []
    for kind, column in zip(
        _field_facts(connection, row_fields)[0],
        zip(*rows, strict=True) if rows else [()] * len(row_fields),
        strict=True,
    ):
        joined = _joined(column)
        if joined is not None:
            sources.append(f"string_to_array(%s, E'\\x1f', E'\\x1e')::{kind}[]")
            params.append(joined)
        else:
            sources.append(f"%s::{kind}[]")
            params.append(list(column))
    return f"SELECT * FROM unnest({', '.join(sources)})", params


def values_source(connection, row_fields: tuple, rows: list[list]) -> tuple[str, list]:
    """`VALUES (%s, …), (…)`: a parameter per value of the fields `row_fields`, adapted as Django
    adapts them (SQLite stores datetimes, dates and decimals as text); `rows_source` elsewhere
    than on PostgreSQL."""
    _kinds, adapters = _field_facts(connection, row_fields)
    params = []
    for row in rows:
        params += [
            value if adapt is None or value is None else adapt(value)
            for adapt, value in zip(adapters, row, strict=True)
        ]
    placeholders = "(" + ", ".join(["%s"] * len(row_fields)) + ")"
    return "VALUES " + ", ".join([placeholders] * len(rows)), params


def _field_facts(connection, row_fields: tuple) -> tuple[list[str], list]:
    """The database types and value adapters of the fields `row_fields`, per backend: they do not
    change at run time, and working them out for every batch was a visible share of an upload."""
    key = (connection.vendor, row_fields)
    facts = _field_facts_memo.get(key)
    if facts is None:
        facts = _field_facts_memo[key] = (
            [field.cast_db_type(connection) for field in row_fields],
            [_adapter(connection, field) for field in row_fields],
        )
    return facts


_field_facts_memo: dict[tuple, tuple[list[str], list]] = {}


# A column sent as one text (rows_source): its values joined by the ASCII unit separator, NULL
# written as the record separator. Neither is in any value the platform stores; a column whose
# values contain one travels as an array instead.
SEPARATOR, NULL = "\x1f", "\x1e"
_AS_TEXT = {
    int: str,
    decimal.Decimal: str,
    datetime.date: datetime.date.isoformat,
    datetime.datetime: datetime.datetime.isoformat,  # with its offset: exact in any session time zone
}


def _joined(column: tuple) -> str | None:
    """The column as one text that splits back into exactly its values, or None (booleans, other
    or mixed types, a single empty text, which would split into no element at all). Written for
    speed: it runs for every column of every punch batch, and joins in C wherever it can."""
    kinds = set(map(type, column))
    nulls = column.count(None) if _NONE in kinds else 0
    kinds.discard(_NONE)
    if len(kinds) != 1:
        return None
    (kind,) = kinds
    if issubclass(kind, str):  # text, code-table members included
        joined = SEPARATOR.join([NULL if value is None else value for value in column] if nulls else column)
        if joined.count(SEPARATOR) != len(column) - 1 or joined.count(NULL) != nulls or joined == "":
            return None
        return joined
    as_text = _AS_TEXT.get(kind)
    if as_text is None:
        return None
    if nulls:
        return SEPARATOR.join([NULL if value is None else as_text(value) for value in column])
    return SEPARATOR.join(map(as_text, column))


_NONE = type(None)


def _adapter(connection, field):
    """The backend's conversion of a Python value for `field`, where the raw driver needs one
    (SQLite stores datetimes as naive UTC text, dates and decimals as text)."""
    ops = connection.ops
    kind = field.get_internal_type()
    if kind == "DateTimeField":
        return ops.adapt_datetimefield_value
    if kind == "DateField":
        return ops.adapt_datefield_value
    if kind == "DecimalField":
        return lambda value: ops.adapt_decimalfield_value(value, field.max_digits, field.decimal_places)
    return None
