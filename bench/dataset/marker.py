"""The marker: a finished build's description in `bench_meta`, a table of the benchmark's own."""

from __future__ import annotations

import json

from django.db import connection as default_connection

from .plan import MARKER_KEY, META_TABLE, Scale

# --- The marker -----------------------------------------------------------------------------


def ensure_meta_table(connection=default_connection) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {META_TABLE} (key varchar(100) PRIMARY KEY, value text NOT NULL)"
        )


def read_meta(key: str, connection=default_connection) -> str | None:
    ensure_meta_table(connection)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT value FROM {META_TABLE} WHERE key = %s", [key])
        row = cursor.fetchone()
    return row[0] if row else None


def write_meta(key: str, value: str, connection=default_connection) -> None:
    ensure_meta_table(connection)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {META_TABLE} WHERE key = %s", [key])
        cursor.execute(f"INSERT INTO {META_TABLE} (key, value) VALUES (%s, %s)", [key, value])


def existing_build(scale: Scale, connection=default_connection) -> dict | None:
    """The marker of a complete build at this scale, or None."""
    raw = read_meta(MARKER_KEY, connection)
    if not raw:
        return None
    data = json.loads(raw)
    return data if json.dumps(data.get("scale"), sort_keys=True) == scale.key else None
