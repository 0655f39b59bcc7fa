"""Helpers for the few statements written by hand on the API's hot path.

A signed punch upload runs a dozen statements, hundreds of times a second (issue 7 item 8). Through
the ORM, compiling each one cost more CPU than the database spent running it, so the statements on
that path (rate counter, nonce, credential lookup, punch insert, summary refresh) are plain SQL
that works on PostgreSQL and SQLite alike. Table and column names still come from the models, so
a renamed field breaks these statements loudly instead of silently.
"""

from __future__ import annotations

import datetime

from django.db import connections, router


def connection_for(model):
    return connections[router.db_for_write(model)]


def table(connection, model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def columns(connection, model, *names: str) -> list[str]:
    """Quoted column names of `model`'s fields `names` (attnames for relations)."""
    return [connection.ops.quote_name(model._meta.get_field(name).column) for name in names]


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
