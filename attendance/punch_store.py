"""Storing a batch of punches: one INSERT that skips what is already stored and says what it stored.

The API's hot path (issue 7 item 8: tens of thousands of punches a second). The ORM's bulk_create
spent more time compiling 100 rows × 26 parameters than the database spent storing them, and it
cannot say which rows a conflict skipped. Here the batch is stored with one

    INSERT INTO attendance_punch (…) … ON CONFLICT DO NOTHING RETURNING <fact key>

`ON CONFLICT DO NOTHING` without a target covers both idempotency constraints of `Punch` (a
device's record id, and person + time + direction), including a row a concurrent batch inserted a
moment earlier: PostgreSQL waits for that transaction and then skips the row, so "duplicate" stays
exact without a check-then-insert retry. The rows it returns carry the fact key (unique per
project), which tells the caller which of its rows were stored.

`store_batch` also counts the stored punches into their daily summaries and writes the batch's
audit row. On PostgreSQL the three are parts of one statement, and a batch of COPY_FROM_ROWS rows
or more first travels by binary COPY into a staging table of the session, which the statement
empties as it reads; smaller batches, and every batch on SQLite (≥ 3.35), are a multi-row VALUES
(`rawsql.values_source`), and SQLite runs the three statements one after another.

The column list is `COLUMNS` below, checked against the model by a test: a field added to `Punch`
must be added here too, or that test fails (rather than the INSERT failing on a NOT NULL column).
"""

from __future__ import annotations

import datetime
import re
import time
import weakref
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

from jmzhgd.core import audit, pii, rawsql
from jmzhgd.core.models import AuditLog

from .models import AnomalyStatus, Punch
from .summaries import add_to_daily_summaries, merge_stored_punches_sql

# Every concrete field of Punch except the primary key, in INSERT order.
COLUMNS = (
    "project",
    "person",
    "roster_entry",
    "id_number",
    "id_number_digest",
    "id_number_masked",
    "name_as_sent",
    "punched_at",
    "work_date",
    "direction",
    "attend_type",
    "device",
    "device_sn",
    "record_id",
    "source",
    "source_label",
    "photo",
    "lat",
    "lng",
    "is_anomaly",
    "anomaly_reason",
    "anomaly_status",
    "resolution_note",
    "resolved_by",
    "resolved_at",
    "received_at",
)
RETURNED = ("id_number_digest", "punched_at", "direction")
# On PostgreSQL, a batch of at least this many rows travels by COPY; below it COPY's own setup (a
# formatter and two more round trips) costs more than it saves, and the rows go as one INSERT …
# VALUES with a parameter per value, as on SQLite (a device's single punch is the common small
# request: binding its 26 values in C took half the time psycopg spent building 26 arrays).
COPY_FROM_ROWS = 10


@dataclass(slots=True)
class PunchRow:
    """A punch ready to store: database values of every column but the key (see COLUMNS)."""

    index: int  # position in the client's batch
    id_type: str
    id_number: str  # normalised; stored (encrypted) only if the punch turns out to be an anomaly
    id_number_digest: str
    id_number_masked: str
    name_as_sent: str
    punched_at: datetime.datetime
    epoch: int  # punched_at in Unix seconds (whole seconds): how stored rows and summaries refer to it
    work_date: datetime.date
    direction: str
    attend_type: str
    record_id: str
    lat: Decimal | None
    lng: Decimal | None
    photo: object | None = None  # an uploaded image to store with the row
    photo_name: str = ""
    person_id: int | None = None
    roster_entry_id: int | None = None
    anomaly_reason: str = ""
    _fact_key: tuple | None = None

    @property
    def is_anomaly(self) -> bool:
        return self.roster_entry_id is None

    @property
    def fact_key(self) -> tuple:
        # Asked several times per row per batch: built once, with the time as Unix seconds (punch
        # times are whole seconds; an aware datetime is slow to hash).
        if self._fact_key is None:
            self._fact_key = (self.id_number_digest, self.epoch, self.direction)
        return self._fact_key


@dataclass(frozen=True, slots=True)
class BatchContext:
    """What every row of one batch shares."""

    project_id: int
    device_id: int | None
    device_sn: str
    source: str
    source_label: str
    received_at: datetime.datetime


def _values(row: PunchRow, batch: BatchContext) -> list:
    anomaly = row.is_anomaly
    return [
        batch.project_id,
        row.person_id,
        row.roster_entry_id,
        pii.encrypt(row.id_number) if anomaly else "",  # see Punch.id_number
        row.id_number_digest,
        row.id_number_masked,
        row.name_as_sent,
        row.punched_at,
        row.work_date,
        row.direction,
        row.attend_type,
        batch.device_id,
        batch.device_sn,
        row.record_id,
        batch.source,
        batch.source_label,
        row.photo_name,
        row.lat,
        row.lng,
        anomaly,
        row.anomaly_reason if anomaly else "",
        AnomalyStatus.OPEN.value if anomaly else "",
        "",
        None,
        None,
        batch.received_at,
    ]


def insert_new(rows: list[PunchRow], batch: BatchContext) -> set[tuple]:
    """Insert `rows` (no two sharing a fact key or a record id) with one INSERT … VALUES, skipping
    those a unique constraint refuses; returns the fact keys of the rows stored. (store_batch's
    way on SQLite; on PostgreSQL it stores, counts and audits in one statement.)"""
    if not rows:
        return set()
    connection = rawsql.connection_for(Punch)
    source, params = rawsql.values_source(connection, Punch, COLUMNS, [_values(row, batch) for row in rows])
    sql = (
        f"INSERT INTO {rawsql.table(connection, Punch)} ({', '.join(rawsql.columns(connection, Punch, *COLUMNS))}) "
        f"{source} ON CONFLICT DO NOTHING RETURNING {', '.join(rawsql.columns(connection, Punch, *RETURNED))}"
    )
    with rawsql.cursor(connection) as cursor:
        cursor.execute(sql, params)
        stored = cursor.fetchall()
    return {
        (digest, int(rawsql.aware(punched_at).timestamp()), direction)
        for digest, punched_at, direction in stored
    }


def store_batch(
    rows: list[PunchRow], batch: BatchContext, audit_row: AuditLog, *, repeats: int
) -> set[tuple]:
    """Insert `rows` (as insert_new), count the stored matched punches into their daily summaries
    and write `audit_row`, in the caller's transaction. The audit row's summary is a template with
    three %s for the numbers of punches stored, anomalies stored and duplicates (rows the database
    skipped, plus `repeats`: the batch's repeats of its own items, never sent). Returns the fact
    keys of the rows stored.

    On PostgreSQL the three are one statement (`_store_in_one_statement`); elsewhere three."""
    connection = rawsql.connection_for(Punch)
    if connection.vendor == "postgresql" and rows:
        return _store_in_one_statement(connection, rows, batch, audit_row, repeats)
    stored_keys = insert_new(rows, batch)
    stored = [row for row in rows if row.fact_key in stored_keys]
    counted = [
        (row.person_id, row.work_date, row.epoch, row.direction) for row in stored if not row.is_anomaly
    ]
    if counted:
        add_to_daily_summaries(batch.project_id, counted)
    anomalies = sum(row.is_anomaly for row in stored)
    audit_row.summary = audit_row.summary % (
        len(stored) - anomalies,
        anomalies,
        len(rows) - len(stored) + repeats,
    )
    audit.insert(audit_row)
    return stored_keys


def _store_in_one_statement(connection, rows, batch, audit_row, repeats) -> set[tuple]:
    """PostgreSQL: the INSERT of the punches, the summaries' upsert fed by what it stored, and the
    audit row counting it, as data-modifying parts of one statement. Every upload used to spend a
    round trip on each, with their Python: about a tenth of a batch's time."""
    names = rawsql.columns(connection, Punch, *COLUMNS)
    digest, punched_at, direction, person, work_date, anomaly = rawsql.columns(
        connection, Punch, *RETURNED, "person", "work_date", "is_anomaly"
    )
    values = [_values(row, batch) for row in rows]
    if len(rows) >= COPY_FROM_ROWS:
        _copy_to_staging(connection, values)
        # The CTE empties the staging table as it reads it, so a second batch in the same
        # transaction (a test's, or a caller's) starts from nothing; COMMIT empties it anyway.
        staged, source, params = (
            f"staged AS (DELETE FROM {STAGING} RETURNING *), ",
            f"SELECT {', '.join(names)} FROM staged",
            [],
        )
    else:
        staged = ""
        source, params = rawsql.values_source(connection, Punch, COLUMNS, values)
    summed, summed_params = merge_stored_punches_sql(connection, batch.project_id, "stored")
    audit_columns = audit.insert_values(audit_row, connection)
    (summary,) = rawsql.columns(connection, AuditLog, "summary")
    audit_select = [
        f"format(%s::{kind}, c.created, c.anomalies, c.duplicates)" if name == summary else f"%s::{kind}"
        for name, kind, _value in audit_columns
    ]
    sql = (
        f"WITH {staged}stored AS ("
        f"INSERT INTO {rawsql.table(connection, Punch)} ({', '.join(names)}) {source} ON CONFLICT DO NOTHING "
        f"RETURNING {digest}, {punched_at}, {direction}, {person}, {work_date}, {anomaly}), "
        f"summed AS ({summed}), "
        f"counts AS (SELECT COUNT(*) FILTER (WHERE NOT {anomaly}) AS created, "
        f"COUNT(*) FILTER (WHERE {anomaly}) AS anomalies, %s - COUNT(*) AS duplicates FROM stored), "
        f"audited AS (INSERT INTO {rawsql.table(connection, AuditLog)} "
        f"({', '.join(name for name, _kind, _value in audit_columns)}) SELECT {', '.join(audit_select)} FROM counts c) "
        # Fact keys with the time as Unix seconds: loading an integer is far cheaper than a timestamp.
        f"SELECT {digest}, EXTRACT(EPOCH FROM {punched_at})::bigint, {direction} FROM stored"
    )
    params += summed_params + [len(rows) + repeats] + [value for _name, _kind, value in audit_columns]
    with rawsql.cursor(connection) as cursor:
        cursor.execute(sql, params)
        return set(cursor.fetchall())


# --- PostgreSQL: COPY into a staging table, which the storing statement empties ------------------

STAGING = "attendance_punch_staging"
# Raw connections whose session has the staging table (a temporary table lives as long as its
# connection; Django keeps connections for CONN_MAX_AGE).
_staged = weakref.WeakKeyDictionary()


def _column_types(connection) -> list[str]:
    """The staging table's column types (and COPY's), without length or precision."""
    if connection.vendor not in _types:
        _types[connection.vendor] = [
            re.sub(r"\(.*\)", "", Punch._meta.get_field(name).cast_db_type(connection)) for name in COLUMNS
        ]
    return _types[connection.vendor]


_types: dict[str, list[str]] = {}


def _copy_to_staging(connection, values: list[list]) -> None:
    """COPY the rows (binary) into this session's staging table, created on first use. Binary COPY
    formats 100 rows in C in a fraction of what binding 2,600 parameters costs."""
    types = _column_types(connection)
    names = rawsql.columns(connection, Punch, *COLUMNS)
    raw = connection.connection
    with rawsql.cursor(connection) as cursor:
        if raw not in _staged:
            # Created inside the caller's transaction; remembered only once that commits (a rollback
            # takes the table with it).
            definition = ", ".join(f"{name} {kind}" for name, kind in zip(names, types, strict=True))
            cursor.execute(
                f"CREATE TEMPORARY TABLE IF NOT EXISTS {STAGING} ({definition}) ON COMMIT DELETE ROWS"
            )
            transaction.on_commit(lambda: _staged.__setitem__(raw, True), using=connection.alias)
        copy_sql = f"COPY {STAGING} ({', '.join(names)}) FROM STDIN (FORMAT BINARY)"
        started = time.monotonic()
        # Past Django's cursor wrapper, so its error translation is applied here: a lost connection
        # must reach the API as Django's OperationalError (a JSON 503 the client retries), not a 500.
        with connection.wrap_database_errors, cursor.cursor.copy(copy_sql) as copy:
            copy.set_types(types)
            for row in values:
                copy.write_row(row)
        if connection.queries_logged:
            # COPY goes past Django's cursor wrapper; log it like a query so that query counts
            # (tests, `make bench`) include it.
            connection.queries_log.append({"sql": copy_sql, "time": f"{time.monotonic() - started:.3f}"})
