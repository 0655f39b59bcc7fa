"""The bulk writer: COPY on PostgreSQL, executemany on SQLite, database values given by the caller."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Iterator

from django.core.management.color import no_style
from django.db import connection as default_connection
from django.db import models
from django.utils import timezone

from jmzhgd.core import pii

# --- The bulk writer ------------------------------------------------------------------------


class BulkWriter:
    """Writes rows (dicts of attname → value) to a model's table with COPY or executemany.

    Missing fields get their default, ``now`` for auto timestamps, "" for blank text, None for
    nullable ones. Encrypted fields are written as given: the caller passes the Fernet token.
    """

    def __init__(self, connection=default_connection):
        self.connection = connection
        self.is_postgres = connection.vendor == "postgresql"
        self.now = timezone.now()

    def next_id(self, model) -> int:
        with self.connection.cursor() as cursor:
            table = self.connection.ops.quote_name(model._meta.db_table)
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")
            return cursor.fetchone()[0] + 1

    def _fields(self, model, with_id: bool):
        return [f for f in model._meta.concrete_fields if with_id or not f.primary_key]

    def _default(self, field):
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            return self.now
        if field.has_default():
            return field.get_default()
        if field.null:
            return None
        if field.blank and isinstance(field, (models.CharField, models.TextField, models.FileField)):
            return ""
        raise ValueError(f"{field.model.__name__}.{field.name} needs a value")

    def _preparer(self, field) -> Callable | None:
        """How a Python value becomes a database value; None when the driver takes it as it is
        (psycopg adapts str, int, bool, date, datetime and Decimal itself, which keeps COPY fast)."""
        if isinstance(field, pii.EncryptedTextField):
            return None  # the caller passes the Fernet token
        if self.is_postgres and not isinstance(field, models.JSONField):
            return None
        return lambda value: field.get_db_prep_save(value, self.connection)

    def write(self, model, rows: Iterable[dict], *, with_id: bool = True) -> int:
        fields = self._fields(model, with_id)
        defaults = {f.attname: self._default(f) for f in fields if not f.primary_key and not _required(f)}
        table = self.connection.ops.quote_name(model._meta.db_table)
        columns = ", ".join(self.connection.ops.quote_name(f.column) for f in fields)

        plan = [(f.attname, defaults.get(f.attname), self._preparer(f)) for f in fields]

        def prepared() -> Iterator[tuple]:
            for row in rows:
                values = []
                for attname, default, prepare in plan:
                    value = row.get(attname, default)
                    values.append(value if prepare is None else prepare(value))
                yield tuple(values)

        count = 0
        with self.connection.cursor() as cursor:
            if self.is_postgres:
                with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    for values in prepared():
                        copy.write_row(values)
                        count += 1
            else:
                placeholders = ", ".join(["%s"] * len(fields))
                sql = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"
                batch: list[tuple] = []
                for values in prepared():
                    batch.append(values)
                    if len(batch) >= 5000:
                        cursor.executemany(sql, batch)
                        count += len(batch)
                        batch = []
                if batch:
                    cursor.executemany(sql, batch)
                    count += len(batch)
        return count

    def write_lines(self, model, columns: list[str], lines: Iterable[str]) -> int:
        """PostgreSQL only: COPY lines already in COPY's text format (tab-separated, \\N for NULL,
        a newline at the end) into `columns` of the model's table, in chunks of 10,000 lines.

        For the tens of millions of rows of the province scale: formatting a line from strings the
        caller prepared once is about twice as fast as adapting a tuple of Python values per row
        (measured: 460,000 against 220,000 rows a second), and the builder would otherwise be
        slower than the database it feeds. The caller guarantees no value holds a tab, newline or
        backslash."""
        if not self.is_postgres:
            raise ValueError("write_lines is for PostgreSQL's COPY; use write() on other databases")
        table = self.connection.ops.quote_name(model._meta.db_table)
        names = ", ".join(self.connection.ops.quote_name(model._meta.get_field(c).column) for c in columns)
        count = 0
        chunk: list[str] = []
        with (
            self.connection.cursor() as cursor,
            cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy,
        ):
            for line in lines:
                chunk.append(line)
                if len(chunk) == 10_000:
                    copy.write("".join(chunk))
                    count += len(chunk)
                    chunk = []
            if chunk:
                copy.write("".join(chunk))
                count += len(chunk)
        return count

    @contextlib.contextmanager
    def indexes_built_after(self, model):
        """PostgreSQL: drop the table's indexes and unique/primary-key constraints, let the caller
        load it, then create them again exactly as they were (their definitions are read from the
        catalog first), as pg_restore does. Building an index from all of its rows at once sorts
        them; keeping it up to date during COPY descends the tree once per row, which made the
        database, not the builder, the bottleneck at ten times the city. A partitioned table's
        indexes are dropped and created on the parent, which does it for every partition.
        Elsewhere (SQLite) the indexes stay."""
        if not self.is_postgres:
            yield
            return
        table = self.connection.ops.quote_name(model._meta.db_table)
        with self.connection.cursor() as cursor:
            cursor.execute(
                "SELECT 1 FROM pg_constraint WHERE contype = 'f' AND confrelid = %s::regclass",
                [model._meta.db_table],
            )
            if cursor.fetchone():
                raise ValueError(f"{model.__name__}: foreign keys refer to its keys, which cannot be dropped")
            cursor.execute(
                "SELECT c.conname, pg_get_constraintdef(c.oid), pg_get_indexdef(i.indexrelid), "
                "i.indexrelid::regclass::text FROM pg_index i "
                "LEFT JOIN pg_constraint c ON c.conindid = i.indexrelid AND c.conrelid = i.indrelid "
                "AND c.contype IN ('p', 'u') WHERE i.indrelid = %s::regclass ORDER BY i.indisprimary DESC",
                [model._meta.db_table],
            )
            definitions = cursor.fetchall()
            for constraint, _, _, index in definitions:
                if constraint:
                    cursor.execute(
                        f"ALTER TABLE {table} DROP CONSTRAINT {self.connection.ops.quote_name(constraint)}"
                    )
                else:
                    cursor.execute(f"DROP INDEX {index}")
        yield
        with self.connection.cursor() as cursor:
            if self.connection.in_atomic_block:
                # Inside a transaction (the tests) the load's deferred foreign-key checks are still
                # queued, and a table with queued events cannot be altered: run them now.
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            cursor.execute("SET maintenance_work_mem = '1GB'")
            for constraint, constraint_sql, index_sql, _ in definitions:
                if constraint:
                    name = self.connection.ops.quote_name(constraint)
                    cursor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {name} {constraint_sql}")
                else:
                    # A partitioned parent's index reads "ON ONLY": created so, it would not recurse.
                    cursor.execute(index_sql.replace(" ON ONLY ", " ON ", 1))
            cursor.execute("RESET maintenance_work_mem")

    def reset_sequences(self, models_: list) -> None:
        statements = self.connection.ops.sequence_reset_sql(no_style(), models_)
        with self.connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


def _required(field) -> bool:
    return (
        not field.null
        and not field.blank
        and not field.has_default()
        and not getattr(field, "auto_now", False)
        and not getattr(field, "auto_now_add", False)
    )
