"""Partitioning the punch table, and its reverse: what migration attendance 0012 runs
(`rebuild_table`). The monthly partitions themselves: attendance.partitions."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils import timezone

from .partitions import AHEAD_MONTHS, create_month_partition, default_partition_name, months_to_cover

# --- The table itself: migration 0012 ---------------------------------------------------------
#
# Migration 0012 (partitioning, and its reverse) calls `rebuild_table` with everything that differs
# between the two shapes spelled out: the table, the primary key and the partition key. Everything
# else (columns, defaults, NOT NULLs, identity, CHECK, unique and foreign-key constraints, indexes,
# grants) is read from the catalog, not from the model: the migration then rebuilds exactly what
# the migrations before it created, whatever the model says later. Keep this part's behaviour as it
# is; a later change of the table's shape is a new migration of its own.


def rebuild_table(
    connection,
    table: str,
    *,
    primary_key: Sequence[str],
    partition_key: str | None,
    order_by: str,
    ahead: int = AHEAD_MONTHS,
    today: datetime.date | None = None,
) -> None:
    """Rebuild `table` with the same columns, constraints and indexes as a partitioned table
    (`partition_key` given: monthly RANGE partitions for every month from the earliest that has
    rows through `ahead` months after the current one, any later month with rows, and a DEFAULT
    partition) or as a plain one (`partition_key` None), with `primary_key`, and copy every row
    (ordered by `order_by`). Runs under an exclusive lock: meant for a migration. The identity
    sequence continues where it stood; the old table (and, when it was partitioned, its
    partitions) is dropped; a partition detached earlier is a table of its own and stays as it is."""
    q = connection.ops.quote_name
    old = f"{table}_rebuilding"
    with connection.cursor() as cursor:
        cursor.execute(f"LOCK TABLE {q(table)} IN ACCESS EXCLUSIVE MODE")
        layout = _read_layout(cursor, q(table))
        cursor.execute(f"ALTER TABLE {q(table)} RENAME TO {q(old)}")
        for column, sequence, identity in layout.sequences:
            if identity:  # the new table's identity sequence takes the name
                cursor.execute(f"ALTER SEQUENCE {sequence} RENAME TO {q(f'{old}_{column}_seq')}")
        partitioned = f" PARTITION BY RANGE ({q(partition_key)})" if partition_key else ""
        cursor.execute(
            f"CREATE TABLE {q(table)} (LIKE {q(old)} INCLUDING DEFAULTS INCLUDING IDENTITY "
            f"INCLUDING GENERATED INCLUDING CONSTRAINTS){partitioned}"
        )
        if partition_key:
            cursor.execute(f"SELECT DISTINCT date_trunc('month', {q(partition_key)})::date FROM {q(old)}")
            stored = [row[0] for row in cursor.fetchall()]
            for month in months_to_cover(stored, today or timezone.localdate(), ahead):
                create_month_partition(cursor, q, table, month)
            cursor.execute(f"CREATE TABLE {q(default_partition_name(table))} PARTITION OF {q(table)} DEFAULT")
        names = ", ".join(q(name) for name in layout.columns)
        cursor.execute(
            f"INSERT INTO {q(table)} ({names}) OVERRIDING SYSTEM VALUE "
            f"SELECT {names} FROM {q(old)} ORDER BY {q(order_by)}"
        )
        for column, sequence, identity in layout.sequences:
            if identity:
                cursor.execute(f"SELECT last_value, is_called FROM {q(f'{old}_{column}_seq')}")
                value, called = cursor.fetchone()
                cursor.execute(
                    "SELECT setval(pg_get_serial_sequence(%s, %s), %s, %s)", [q(table), column, value, called]
                )
            else:  # a serial column: its default names the sequence, which must outlive the old table
                cursor.execute(f"ALTER SEQUENCE {sequence} OWNED BY {q(table)}.{q(column)}")
        cursor.execute(f"DROP TABLE {q(old)}")
        columns = ", ".join(q(name) for name in primary_key)
        cursor.execute(
            f"ALTER TABLE {q(table)} ADD CONSTRAINT {q(layout.primary_key)} PRIMARY KEY ({columns})"
        )
        for name, definition in layout.constraints:
            cursor.execute(f"ALTER TABLE {q(table)} ADD CONSTRAINT {q(name)} {definition}")
        for name, unique, definition in layout.indexes:
            # pg_get_indexdef: "CREATE [UNIQUE] INDEX name ON [ONLY] table USING method (…) [WHERE …]"
            method = definition[definition.index(" USING ") + 1 :]
            cursor.execute(f"CREATE {'UNIQUE ' if unique else ''}INDEX {q(name)} ON {q(table)} {method}")
        for privilege, grantee, grantable in layout.grants:
            option = " WITH GRANT OPTION" if grantable else ""
            cursor.execute(f"GRANT {privilege} ON {q(table)} TO {grantee}{option}")
        cursor.execute(f"ANALYZE {q(table)}")


@dataclass
class _Layout:
    columns: list[str]  # stored columns (not generated), in order
    sequences: list[tuple[str, str, bool]]  # (column, qualified sequence, is identity)
    primary_key: str  # the constraint's name
    constraints: list[tuple[str, str]]  # unique, exclusion and foreign-key constraints: (name, definition)
    indexes: list[tuple[str, bool, str]]  # indexes of no constraint: (name, unique, pg_get_indexdef)
    grants: list[tuple[str, str, bool]]  # (privilege, grantee, grantable), the owner's own left out


def _read_layout(cursor, relation: str) -> _Layout:
    """What `rebuild_table` carries over, read from the catalog (`relation` quoted)."""
    cursor.execute(
        "SELECT attname, attidentity <> '', pg_get_serial_sequence(%s, attname) FROM pg_attribute "
        "WHERE attrelid = %s::regclass AND attnum > 0 AND NOT attisdropped AND attgenerated = '' "
        "ORDER BY attnum",
        [relation, relation],
    )
    rows = cursor.fetchall()
    cursor.execute(
        "SELECT conname, contype, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid = %s::regclass AND contype IN ('p', 'u', 'x', 'f') ORDER BY contype, conname",
        [relation],
    )
    constraints = cursor.fetchall()
    cursor.execute(
        "SELECT c.relname, i.indisunique, pg_get_indexdef(i.indexrelid) FROM pg_index i "
        "JOIN pg_class c ON c.oid = i.indexrelid WHERE i.indrelid = %s::regclass "
        "AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid "
        "AND k.conrelid = i.indrelid) ORDER BY c.relname",
        [relation],
    )
    indexes = cursor.fetchall()
    cursor.execute(
        "SELECT a.privilege_type, CASE WHEN a.grantee = 0 THEN 'PUBLIC' "
        "ELSE quote_ident(pg_get_userbyid(a.grantee)) END, a.is_grantable "
        "FROM pg_class c, aclexplode(c.relacl) a WHERE c.oid = %s::regclass AND a.grantee <> c.relowner",
        [relation],
    )
    grants = cursor.fetchall()
    return _Layout(
        columns=[name for name, _identity, _sequence in rows],
        sequences=[(name, sequence, identity) for name, identity, sequence in rows if sequence],
        primary_key=next(name for name, kind, _definition in constraints if kind == "p"),
        constraints=[(name, definition) for name, kind, definition in constraints if kind != "p"],
        indexes=indexes,
        grants=grants,
    )
