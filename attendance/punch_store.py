"""One INSERT for a batch of punches that skips what is already stored, and says what it stored.

The API's hot path (issue 7 item 8: tens of thousands of punches a second). The ORM's bulk_create
spent more time compiling 100 rows × 26 parameters than the database spent storing them, and it
cannot say which rows a conflict skipped. Here the batch is stored with one

    INSERT INTO attendance_punch (…) … ON CONFLICT DO NOTHING RETURNING <fact key>

On PostgreSQL a batch of COPY_FROM_ROWS rows or more first travels by binary COPY into a staging
table of the session and the INSERT selects them from there (`_insert_by_copy`); smaller batches,
and every batch on SQLite (≥ 3.35), are a multi-row VALUES (`rawsql.values_source`).
`ON CONFLICT DO NOTHING` without a target covers both idempotency constraints of `Punch` (a
device's record id, and person + time + direction), including a row a concurrent batch inserted a
moment earlier: PostgreSQL waits for that transaction and then skips the row, so "duplicate" stays
exact without a check-then-insert retry. The rows it returns carry the fact key (unique per
project), which tells the caller which of its rows were stored.

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

from jmzhgd.core import pii, rawsql

from .models import AnomalyStatus, Punch

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
    """Insert `rows` (no two sharing a fact key or a record id), skipping those a unique constraint
    refuses; returns the fact keys of the rows stored."""
    if not rows:
        return set()
    connection = rawsql.connection_for(Punch)
    values = [_values(row, batch) for row in rows]
    if connection.vendor == "postgresql" and len(rows) >= COPY_FROM_ROWS:
        # Stored rows come back as fact keys, (digest, unix seconds, direction): loading an integer
        # is far cheaper than a timestamp.
        return set(_insert_by_copy(connection, values))
    source, params = rawsql.values_source(connection, Punch, COLUMNS, values)
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


# --- PostgreSQL: COPY into a staging table, then one INSERT … SELECT ----------------------------

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


def _insert_by_copy(connection, values: list[list]) -> list[tuple]:
    """COPY the rows (binary) into this session's staging table, then move them with one
    INSERT … SELECT … ON CONFLICT DO NOTHING. Binary COPY formats 100 rows in C in a fraction of
    what binding 2,600 parameters costs (psycopg dumps array elements one by one in Python)."""
    types = _column_types(connection)
    names = rawsql.columns(connection, Punch, *COLUMNS)
    digest, punched_at, direction = rawsql.columns(connection, Punch, *RETURNED)
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
        # The CTE empties the staging table as it reads it, so a second batch in the same
        # transaction (a test's, or a caller's) starts from nothing; COMMIT empties it anyway.
        cursor.execute(
            f"WITH staged AS (DELETE FROM {STAGING} RETURNING *) "
            f"INSERT INTO {rawsql.table(connection, Punch)} ({', '.join(names)}) "
            f"SELECT {', '.join(names)} FROM staged ON CONFLICT DO NOTHING "
            f"RETURNING {digest}, EXTRACT(EPOCH FROM {punched_at})::bigint, {direction}"
        )
        stored = cursor.fetchall()
    return stored
