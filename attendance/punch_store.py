"""Storing a batch of punches: one INSERT that matches, skips what is already stored and says what it stored.

The API's hot path (bench/README.md: tens of thousands of punches a second). The ORM's bulk_create
spent more time compiling 100 rows × 26 parameters than the database spent storing them, and it
cannot say which rows a conflict skipped. Here the batch is stored with one

    INSERT INTO attendance_punch (…) SELECT … ON CONFLICT DO NOTHING RETURNING <fact key>, <match>

Each punch brings only its own values (ROW_NAMES: 证件类型, identity, time, direction, …); what
the whole batch shares (project, device, source, time received) is a parameter of the statement,
and the statement itself matches every punch (`_matched_insert_sql`): the person with its 证件类型
and digest, then that person's stay in the project on the punch's day. A punch without one is
stored as 异常考勤, with the reason and the ID number as sent (encrypted; every row carries it,
memoised per worker by the ingest, and the statement keeps it for anomalies only).

`ON CONFLICT DO NOTHING` without a target covers both idempotency constraints of `Punch` (a
device's record id, and person + time + direction), including a row a concurrent batch inserted a
moment earlier: PostgreSQL waits for that transaction and then skips the row, so "duplicate" stays
exact without a check-then-insert retry. The rows it returns carry the fact key (unique per
project), which tells the caller which of its rows were stored, and the anomaly reason.

`store_batch` also counts the stored punches into their daily summaries and writes the batch's
audit row. On PostgreSQL the three are parts of one statement, atomic by itself, and the rows
travel as one array per column, mostly as joined texts (`rawsql.rows_source`): one round trip
stores a batch. On SQLite (≥ 3.35) the rows are a multi-row VALUES and the three statements run
one after another in a transaction.

The column list is `COLUMNS` below, checked against the model by a test: a field added to `Punch`
must be added here too, or that test fails (rather than the INSERT failing on a NOT NULL column).
"""

from __future__ import annotations

import datetime
import operator
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

from jmzhgd.core import audit, rawsql
from jmzhgd.core.models import AuditLog
from workforce.models import Person, RosterEntry

from .models import AnomalyStatus, Punch
from .summaries import add_to_daily_summaries, merge_stored_punches_sql

# What each punch of a batch brings (with its 证件类型 and encrypted number, see ROW_NAMES).
ROW_COLUMNS = (
    "id_number_digest",
    "id_number_masked",
    "name_as_sent",
    "punched_at",
    "work_date",
    "direction",
    "attend_type",
    "record_id",
    "photo",
    "lat",
    "lng",
)
# Filled in by the storing statement itself (see _matched_insert_sql): the batch's values, the
# match, and constants.
SET_BY_STATEMENT = (
    "project",
    "person",
    "roster_entry",
    "id_number",
    "device",
    "device_sn",
    "source",
    "source_label",
    "is_anomaly",
    "anomaly_reason",
    "anomaly_status",
    "resolution_note",
    "resolved_by",
    "resolved_at",
    "received_at",
)
# Every concrete field of Punch except the primary key, in INSERT order.
COLUMNS = (*ROW_COLUMNS, *SET_BY_STATEMENT)
# The row source's columns: the 证件类型 (for the match) and the encrypted ID number (stored for
# an anomaly only), then ROW_COLUMNS.
ROW_NAMES = ("id_type", "id_number", *ROW_COLUMNS)
ROW_FIELDS = rawsql.fields(Person, "id_type") + rawsql.fields(Punch, "id_number", *ROW_COLUMNS)
UNKNOWN_PERSON = "人员库中没有该证件号码的人员"
NOT_ON_ROSTER = "该人员当日不在本项目花名册（未进场或已退场）"


@dataclass(slots=True)
class PunchRow:
    """A punch ready to store: its own values (see ROW_COLUMNS), and what storing it found."""

    index: int  # position in the client's batch
    id_type: str
    id_number: str  # normalised
    id_number_encrypted: str  # stored only if the punch turns out to be an anomaly
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
    anomaly_reason: str = ""  # set by store_batch for a row stored as 异常考勤
    _fact_key: tuple | None = None

    @property
    def is_anomaly(self) -> bool:
        return bool(self.anomaly_reason)

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


# A row's values in ROW_NAMES order, read in C.
_values = operator.attrgetter(
    *({"id_number": "id_number_encrypted", "photo": "photo_name"}.get(name, name) for name in ROW_NAMES)
)


def _matched_insert(connection, batch: BatchContext) -> tuple[str, str, list]:
    """The statement parts that match the rows of the CTE `src` (the ROW_NAMES columns) and store
    them: `ctes` (to follow `src` in a WITH list) and `insert`, an INSERT … SELECT … ON CONFLICT
    DO NOTHING returning each stored row's fact key columns, person, day, anomaly flag and reason;
    with their parameters, in that order."""
    ctes, insert = _matched_insert_sql(connection)
    return (
        ctes,
        insert,
        [
            batch.project_id,  # the stays looked at
            batch.project_id,
            batch.device_id,
            batch.device_sn,
            batch.source,
            batch.source_label,
            UNKNOWN_PERSON,
            NOT_ON_ROSTER,
            AnomalyStatus.OPEN.value,
            connection.ops.adapt_datetimefield_value(batch.received_at),  # SQLite: naive UTC text
        ],
    )


_matched_insert_memo: dict[str, tuple[str, str]] = {}


def _matched_insert_sql(connection) -> tuple[str, str]:
    """The text of `_matched_insert`, once per database vendor (it depends on nothing else).

    Each punch's person is found by 证件类型 and digest (the unique identity), then the person's
    stay in the project that covers the punch's day; on a day with an exit and a re-entry, the
    later stay. Both are scalar subqueries, run per row through the indexes on the person's
    identity and on the stay's person, whatever the planner thinks of the row source's size (a
    join could be planned as a scan of every person). The CTEs are MATERIALIZED so that each
    subquery runs once per row, not once per reference."""
    vendor = connection.vendor
    if vendor in _matched_insert_memo:
        return _matched_insert_memo[vendor]

    def cast(name: str) -> str:  # PostgreSQL binds on the server: a SELECT's parameter needs a type
        return f"::{Punch._meta.get_field(name).cast_db_type(connection)}" if vendor == "postgresql" else ""

    p_id, p_type, p_digest = rawsql.columns(connection, Person, "id", "id_type", "id_number_digest")
    r_id, r_person, r_project, r_in, r_out = rawsql.columns(
        connection, RosterEntry, "id", "person", "project", "entry_date", "exit_date"
    )
    ctes = (
        f"persons AS MATERIALIZED (SELECT s.*, (SELECT p.{p_id} FROM {rawsql.table(connection, Person)} p "
        f"WHERE p.{p_type} = s.id_type AND p.{p_digest} = s.id_number_digest) AS person_id FROM src s), "
        f"matched AS MATERIALIZED (SELECT m.*, (SELECT r.{r_id} FROM {rawsql.table(connection, RosterEntry)} r "
        f"WHERE r.{r_person} = m.person_id AND r.{r_project} = %s{cast('project')} "
        f"AND r.{r_in} <= m.work_date AND (r.{r_out} IS NULL OR r.{r_out} >= m.work_date) "
        f"ORDER BY r.{r_in} DESC, r.{r_id} DESC LIMIT 1) AS entry_id FROM persons m)"
    )
    selected = {
        "project": f"%s{cast('project')}",
        "person": "m.person_id",
        "roster_entry": "m.entry_id",
        "id_number": "CASE WHEN m.entry_id IS NULL THEN m.id_number ELSE '' END",  # see Punch.id_number
        "device": f"%s{cast('device')}",
        "device_sn": f"%s{cast('device_sn')}",
        "source": f"%s{cast('source')}",
        "source_label": f"%s{cast('source_label')}",
        "is_anomaly": "m.entry_id IS NULL",
        "anomaly_reason": (
            "CASE WHEN m.entry_id IS NOT NULL THEN '' "
            f"WHEN m.person_id IS NULL THEN %s{cast('anomaly_reason')} ELSE %s{cast('anomaly_reason')} END"
        ),
        "anomaly_status": f"CASE WHEN m.entry_id IS NULL THEN %s{cast('anomaly_status')} ELSE '' END",
        "resolution_note": "''",
        "resolved_by": "NULL",
        "resolved_at": "NULL",
        "received_at": f"%s{cast('received_at')}",
    }
    assert tuple(selected) == SET_BY_STATEMENT
    returned = rawsql.columns(
        connection,
        Punch,
        "id_number_digest",
        "punched_at",
        "direction",
        "person",
        "work_date",
        "is_anomaly",
        "anomaly_reason",
    )
    insert = (
        f"INSERT INTO {rawsql.table(connection, Punch)} ({', '.join(rawsql.columns(connection, Punch, *COLUMNS))}) "
        f"SELECT {', '.join(selected.get(name, f'm.{name}') for name in COLUMNS)} FROM matched m "
        # WHERE true: SQLite reads ON CONFLICT after a bare FROM as a join's constraint.
        f"WHERE true ON CONFLICT DO NOTHING RETURNING {', '.join(returned)}"
    )
    _matched_insert_memo[vendor] = ctes, insert
    return ctes, insert


def store_batch(
    rows: list[PunchRow], batch: BatchContext, audit_row: AuditLog, *, repeats: int
) -> set[tuple]:
    """Match and insert `rows` (no two sharing a fact key or a record id), skipping those a unique
    constraint refuses; count the stored matched punches into their daily summaries and write
    `audit_row`, all or nothing: on PostgreSQL as one statement (`_store_in_one_statement`), on
    SQLite as three in a transaction. Sets `anomaly_reason` on every row stored as an anomaly. The
    audit row's summary is a template with three %s for the numbers of punches stored, anomalies
    stored and duplicates (rows the database skipped, plus `repeats`: the batch's repeats of its
    own items, never sent). Returns the fact keys of the rows stored."""
    if not rows:
        audit_row.summary = audit_row.summary % (0, 0, repeats)
        audit.insert(audit_row)
        return set()
    connection = rawsql.connection_for(Punch)
    if connection.vendor == "postgresql":
        stored = _store_in_one_statement(connection, rows, batch, audit_row, repeats)
    else:
        with transaction.atomic(using=connection.alias):
            stored = _store_in_three_statements(connection, rows, batch, audit_row, repeats)
    for row in rows:
        reason = stored.get(row.fact_key)
        if reason:
            row.anomaly_reason = reason
    return set(stored)


def _source(connection, rows: list[PunchRow]) -> tuple[str, list]:
    """The CTE `src` of the rows' own values (ROW_NAMES): on PostgreSQL one array per column,
    whatever the number of rows; elsewhere VALUES (`rawsql.rows_source`)."""
    rows_sql, params = rawsql.rows_source(connection, ROW_FIELDS, [_values(row) for row in rows])
    return f"src ({', '.join(ROW_NAMES)}) AS ({rows_sql})", params


def _store_in_three_statements(connection, rows, batch, audit_row, repeats) -> dict[tuple, str]:
    """SQLite: the matched INSERT, then the summaries, then the audit row (store_batch runs them in
    a transaction). Returns the anomaly reason ('' when matched) of each stored row's fact key."""
    source, params = _source(connection, rows)
    ctes, insert, insert_params = _matched_insert(connection, batch)
    sql = f"WITH {source}, {ctes} {insert}"
    with rawsql.cursor(connection) as cursor:
        cursor.execute(sql, params + insert_params)
        returned = cursor.fetchall()
    stored, counted = {}, []
    for digest, punched_at, direction, person_id, work_date, anomaly, reason in returned:
        epoch = int(rawsql.aware(punched_at).timestamp())
        stored[(digest, epoch, direction)] = reason
        if not anomaly:
            counted.append((person_id, rawsql.day(work_date), epoch, direction))
    if counted:
        add_to_daily_summaries(batch.project_id, counted)
    anomalies = len(returned) - len(counted)
    audit_row.summary = audit_row.summary % (
        len(counted),
        anomalies,
        len(rows) - len(returned) + repeats,
    )
    audit.insert(audit_row)
    return stored


def _store_in_one_statement(connection, rows, batch, audit_row, repeats) -> dict[tuple, str]:
    """PostgreSQL: the matched INSERT of the punches, the summaries' upsert fed by what it stored,
    and the audit row counting it, as data-modifying parts of one statement, atomic by itself: no
    transaction around it, so BEGIN and COMMIT cost no round trips. Returns the anomaly reason
    ('' when matched) of each stored row's fact key."""
    digest, punched_at, direction, anomaly, reason = rawsql.columns(
        connection, Punch, "id_number_digest", "punched_at", "direction", "is_anomaly", "anomaly_reason"
    )
    source, params = _source(connection, rows)
    ctes, insert, insert_params = _matched_insert(connection, batch)
    summed, summed_params = merge_stored_punches_sql(connection, batch.project_id, "stored")
    audit_columns = audit.insert_values(audit_row, connection)
    (summary,) = rawsql.columns(connection, AuditLog, "summary")
    audit_select = [
        f"format(%s::{kind}, c.created, c.anomalies, c.duplicates)" if name == summary else f"%s::{kind}"
        for name, kind, _value in audit_columns
    ]
    sql = (
        f"WITH {source}, {ctes}, stored AS ({insert}), "
        f"summed AS ({summed}), "
        f"counts AS (SELECT COUNT(*) FILTER (WHERE NOT {anomaly}) AS created, "
        f"COUNT(*) FILTER (WHERE {anomaly}) AS anomalies, %s - COUNT(*) AS duplicates FROM stored), "
        f"audited AS (INSERT INTO {rawsql.table(connection, AuditLog)} "
        f"({', '.join(name for name, _kind, _value in audit_columns)}) SELECT {', '.join(audit_select)} FROM counts c) "
        # Fact keys with the time as Unix seconds: loading an integer is far cheaper than a timestamp.
        f"SELECT {digest}, EXTRACT(EPOCH FROM {punched_at})::bigint, {direction}, {reason} FROM stored"
    )
    params += (
        insert_params
        + summed_params
        + [len(rows) + repeats]
        + [value for _name, _kind, value in audit_columns]
    )
    with rawsql.cursor(connection) as cursor:
        cursor.execute(sql, params)
        return {(d, epoch, way): why for d, epoch, way, why in cursor.fetchall()}
