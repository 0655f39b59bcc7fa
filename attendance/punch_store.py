"""One INSERT for a batch of punches that skips what is already stored, and says what it stored.

The API's hot path (issue 7 item 8: tens of thousands of punches a second). The ORM's bulk_create
spent more time compiling 100 rows × 26 parameters than the database spent storing them, and it
cannot say which rows a conflict skipped. This writes the rows as one

    INSERT INTO attendance_punch (…) VALUES (…), (…) ON CONFLICT DO NOTHING
    RETURNING id_number_digest, punched_at, direction

which PostgreSQL and SQLite (≥ 3.35) both understand. `ON CONFLICT DO NOTHING` without a target
covers both idempotency constraints of `Punch` (a device's record id, and person + time +
direction), including a row a concurrent batch inserted a moment earlier: PostgreSQL waits for that
transaction and then skips the row, so "duplicate" stays exact without a check-then-insert retry.
The rows it returns carry the fact key (unique per project), which tells the caller which of its
rows were stored.

The column list is `COLUMNS` below, checked against the model by a test: a field added to `Punch`
must be added here too, or that test fails (rather than the INSERT failing on a NOT NULL column).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db import connections, router

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


@dataclass(slots=True)
class PunchRow:
    """A punch ready to store: database values of every column but the key (see COLUMNS)."""

    index: int  # position in the client's batch
    id_type: str
    id_number_token: str  # the number as sent, encrypted (jmzhgd.core.pii)
    id_number_digest: str
    id_number_masked: str
    name_as_sent: str
    punched_at: datetime.datetime
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

    @property
    def is_anomaly(self) -> bool:
        return self.roster_entry_id is None

    @property
    def fact_key(self) -> tuple:
        return (self.id_number_digest, self.punched_at, self.direction)


@dataclass(frozen=True, slots=True)
class BatchContext:
    """What every row of one batch shares."""

    project_id: int
    device_id: int | None
    device_sn: str
    source: str
    source_label: str
    received_at: datetime.datetime


def _adapters(connection) -> dict[int, object]:
    """Per column position, the backend's conversion of a Python value (dates and decimals;
    SQLite stores datetimes as naive UTC text, which the raw driver would not produce)."""
    ops = connection.ops
    adapters = {}
    for position, name in enumerate(COLUMNS):
        field = Punch._meta.get_field(name)
        kind = field.get_internal_type()
        if kind == "DateTimeField":
            adapters[position] = ops.adapt_datetimefield_value
        elif kind == "DateField":
            adapters[position] = ops.adapt_datefield_value
        elif kind == "DecimalField":
            adapters[position] = lambda value, f=field: ops.adapt_decimalfield_value(
                value, f.max_digits, f.decimal_places
            )
    return adapters


def _values(row: PunchRow, batch: BatchContext) -> list:
    anomaly = row.is_anomaly
    return [
        batch.project_id,
        row.person_id,
        row.roster_entry_id,
        row.id_number_token,
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
    connection = connections[router.db_for_write(Punch)]
    quote = connection.ops.quote_name
    meta = Punch._meta
    columns = ", ".join(quote(meta.get_field(name).column) for name in COLUMNS)
    returned = ", ".join(quote(meta.get_field(name).column) for name in RETURNED)
    adapters = _adapters(connection)
    placeholders = "(" + ", ".join(["%s"] * len(COLUMNS)) + ")"
    params: list = []
    for row in rows:
        values = _values(row, batch)
        for position, adapt in adapters.items():
            if values[position] is not None:
                values[position] = adapt(values[position])
        params.extend(values)
    sql = (
        f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES "
        + ", ".join([placeholders] * len(rows))
        + f" ON CONFLICT DO NOTHING RETURNING {returned}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        stored = cursor.fetchall()
    return {(digest, _aware(punched_at), direction) for digest, punched_at, direction in stored}


def _aware(value) -> datetime.datetime:
    """A returned timestamp as an aware datetime: PostgreSQL gives one; SQLite's naive UTC value
    (converted by Django's registered converter, or raw text without it) is made aware here."""
    if isinstance(value, str):
        value = datetime.datetime.fromisoformat(value)
    return value if value.tzinfo is not None else value.replace(tzinfo=datetime.UTC)
