"""Monthly partitions of the punch table on PostgreSQL (docs/deploy.md "Punch partitions").

`attendance_punch` grows by some 40 M rows a year and is kept at least 36 months (PUNCH_RETENTION_MONTHS:
the wage ledgers' 工作时间 rests on it, 保障农民工工资支付条例 art. 15). On PostgreSQL it is `PARTITION BY RANGE (work_date)`, one
partition per calendar month (`attendance_punch_pYYYYMM`), so that a page reading a project's month
touches one partition's index and an expired month leaves the table as a whole (detached, archived,
dropped by hand) instead of by a 40 M-row DELETE. A DEFAULT partition (`attendance_punch_default`)
takes a punch of any month without a partition of its own (a device's backlog from long ago, a clock
far ahead): a punch is stored, never refused; `create_partitions` later moves such rows into their
month's new partition, and `partition_status` warns while any are there. SQLite keeps the plain table.

- `rebuild_table` (attendance.partition_table): the migration that partitions the table, and its reverse.
- `create_partitions`: the scheduled step (`manage.py punch_partitions create`, daily) that keeps
  partitions ready ahead of the calendar.
- `partition_status`: what monitoring reads (`punch_partitions status`).
- `detach_month`, `archive_partition` (attendance.partition_retention): the retention step (`punch_partitions detach`). Nothing here
  ever deletes a punch: a detached month stays in its stand-alone table until an operator, having
  verified the archive, drops it by hand.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from django.db import OperationalError, connections, router, transaction
from django.utils import timezone

from jmzhgd.core.months import add_months, month_of, month_range

from .models import Punch

PARTITION_KEY = "work_date"
AHEAD_MONTHS = 3  # partitions kept ready after the current month
STATUS_MIN_AHEAD = 2  # `status` warns when fewer months after the current one have a partition
# DDL on the punch table waits for the readers and writers before it, and every later statement on
# the table waits behind the DDL: a long export must not stall the punch uploads for its duration.
# The scheduled run gives up instead and is tried again at the next run.
LOCK_TIMEOUT = "5s"
_BOUND = re.compile(r"FROM \((MINVALUE|'([\d-]+)')\) TO \((MAXVALUE|'([\d-]+)')\)")


class PartitionError(Exception):
    """An operation refused or failed; the message is for the operator (Chinese)."""


def punch_table() -> str:
    return Punch._meta.db_table


def database():
    return connections[router.db_for_write(Punch)]


def is_partitioned(connection, table: str | None = None) -> bool:
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relkind = 'p' FROM pg_class WHERE oid = to_regclass(%s)",
            [connection.ops.quote_name(table or punch_table())],
        )
        row = cursor.fetchone()
    return bool(row and row[0])


def partition_name(table: str, month: datetime.date) -> str:
    return f"{table}_p{month:%Y%m}"


def default_partition_name(table: str) -> str:
    return f"{table}_default"


def months_to_cover(stored: Iterable[datetime.date], today: datetime.date, ahead: int) -> list[datetime.date]:
    """Every month from the earliest of `stored` (first days of months that have rows) through
    `ahead` months after `today`'s, and any later month of `stored` (a clock far ahead)."""
    stored = set(stored)
    horizon = add_months(month_of(today), ahead)
    covered = set(month_range(min(stored | {month_of(today)}), horizon))
    return sorted(covered | stored)


def create_month_partition(cursor, q, table: str, month: datetime.date) -> str:
    name = partition_name(table, month)
    cursor.execute(
        f"CREATE TABLE {q(name)} PARTITION OF {q(table)} "
        f"FOR VALUES FROM ('{month.isoformat()}') TO ('{add_months(month, 1).isoformat()}')"
    )
    return name


# --- Reading the partitions -------------------------------------------------------------------


@dataclass(frozen=True)
class Partition:
    name: str
    lower: datetime.date | None  # None: MINVALUE (a whole past range attached as one partition), or DEFAULT
    upper: datetime.date | None  # None: MAXVALUE, or DEFAULT
    is_default: bool = False
    rows: int = (
        0  # the planner's estimate (pg_class.reltuples), counted when there is none; exact for DEFAULT
    )
    size: str = ""  # table, indexes and TOAST, as pg_size_pretty writes it

    @property
    def month(self) -> datetime.date | None:
        """The month of a monthly partition (one calendar month exactly)."""
        if self.lower and self.lower.day == 1 and self.upper == add_months(self.lower, 1):
            return self.lower
        return None

    def covers(self, month: datetime.date) -> bool:
        return (
            not self.is_default
            and (self.lower is None or self.lower <= month)
            and (self.upper is None or month < self.upper)
        )

    @property
    def label(self) -> str:
        if self.is_default:
            return "默认分区"
        if self.month:
            return f"{self.month:%Y-%m}"
        return f"{self.lower or '最早'} 至 {self.upper or '以后'}"


def attached_partitions(cursor, q, table: str) -> list[Partition]:
    """The partitions attached to `table`, with their bounds (read from the catalog, not the names)."""
    cursor.execute(
        "SELECT c.relname, pg_get_expr(c.relpartbound, c.oid) FROM pg_inherits i "
        "JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = %s::regclass ORDER BY c.relname",
        [q(table)],
    )
    found = []
    for name, bound in cursor.fetchall():
        if bound == "DEFAULT":
            found.append(Partition(name, None, None, is_default=True))
            continue
        lower, upper = _BOUND.search(bound).group(2, 4)
        found.append(
            Partition(
                name,
                datetime.date.fromisoformat(lower) if lower else None,
                datetime.date.fromisoformat(upper) if upper else None,
            )
        )
    return found


def _default_months(cursor, q, table: str) -> list[datetime.date]:
    cursor.execute(
        f"SELECT DISTINCT date_trunc('month', {q(PARTITION_KEY)})::date "
        f"FROM {q(default_partition_name(table))} ORDER BY 1"
    )
    return [row[0] for row in cursor.fetchall()]


def list_partitions() -> list[Partition]:
    connection, table = database(), punch_table()
    q = connection.ops.quote_name
    partitions = []
    with connection.cursor() as cursor:
        for partition in attached_partitions(cursor, q, table):
            cursor.execute(
                "SELECT reltuples::bigint, pg_size_pretty(pg_total_relation_size(oid)) FROM pg_class "
                "WHERE oid = %s::regclass",
                [q(partition.name)],
            )
            rows, size = cursor.fetchone()
            if partition.is_default or rows < 0:  # never analysed: count (a new month is small)
                cursor.execute(f"SELECT count(*) FROM {q(partition.name)}")
                rows = cursor.fetchone()[0]
            partitions.append(replace(partition, rows=rows, size=size))
    return sorted(partitions, key=lambda p: (p.is_default, p.lower or datetime.date.min))


@dataclass(frozen=True)
class Status:
    partitions: list[Partition]
    warnings: list[str]


def partition_status(today: datetime.date | None = None) -> Status:
    """The partitions, and what monitoring must hear about: punches in the DEFAULT partition (a
    month without its partition), fewer than STATUS_MIN_AHEAD months ready after the current one."""
    partitions = list_partitions()
    warnings = []
    default = next((p for p in partitions if p.is_default), None)
    if default is None:
        warnings.append("缺少默认分区：没有月份分区的考勤记录将无法保存。")
    elif default.rows:
        warnings.append(
            f"默认分区中有 {default.rows} 条考勤记录（所在月份没有分区），"
            "请运行 manage.py punch_partitions create 将其移入月份分区。"
        )
    current = month_of(today or timezone.localdate())
    missing = [
        m
        for m in month_range(current, add_months(current, STATUS_MIN_AHEAD))
        if not any(p.covers(m) for p in partitions)
    ]
    if missing:
        warnings.append(
            f"本月及之后 {STATUS_MIN_AHEAD} 个月的分区不全（缺少 {'、'.join(f'{m:%Y-%m}' for m in missing)}），"
            "请运行 manage.py punch_partitions create。"
        )
    return Status(partitions, warnings)


# --- Creating partitions ahead ----------------------------------------------------------------


@dataclass
class Created:
    months: list[datetime.date] = field(default_factory=list)
    moved: dict[datetime.date, int] = field(default_factory=dict)  # rows moved out of DEFAULT, per month
    # Months whose partition name is taken by a stand-alone table (a month detached for retention):
    # their punches stay in the DEFAULT partition, and `status` keeps warning about them.
    skipped: list[datetime.date] = field(default_factory=list)


def create_partitions(
    ahead: int = AHEAD_MONTHS, *, since: datetime.date | None = None, today: datetime.date | None = None
) -> Created:
    """Create the missing monthly partitions from the earliest stored month (or `since`, if
    earlier) through `ahead` months after the current one. Punches of those months waiting in the
    DEFAULT partition move into their new partition in the same transaction (the DEFAULT partition
    is detached meanwhile: PostgreSQL refuses a partition for a month the DEFAULT one holds rows
    of). Idempotent; a run that finds nothing missing takes no lock."""
    connection, table = database(), punch_table()
    q = connection.ops.quote_name
    current = month_of(today or timezone.localdate())
    first = min(current, month_of(since or current))
    horizon = add_months(current, ahead)
    with connection.cursor() as cursor:
        missing, taken, _waiting = _missing(cursor, q, table, first, horizon)
        if not missing:
            return Created(skipped=taken)  # nothing to do, not even a lock to take
    done = Created()
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        lock_or_give_up(cursor, f"LOCK TABLE {q(table)} IN ACCESS EXCLUSIVE MODE")
        missing, done.skipped, waiting = _missing(cursor, q, table, first, horizon)  # again, under the lock
        default = default_partition_name(table)
        to_move = [month for month in missing if month in waiting]
        if to_move:
            cursor.execute(f"ALTER TABLE {q(table)} DETACH PARTITION {q(default)}")
        for month in missing:
            name = create_month_partition(cursor, q, table, month)
            done.months.append(month)
            if month in to_move:
                done.moved[month] = _move_rows(cursor, q, default, name, month)
        if to_move:
            cursor.execute(f"ALTER TABLE {q(table)} ATTACH PARTITION {q(default)} DEFAULT")
    return done


def _missing(cursor, q, table, first, horizon) -> tuple[list, list, set]:
    """The months without a partition from the earliest stored one (or `first`, if earlier)
    through `horizon`: those to create, and those whose name a stand-alone table holds (see
    Created.skipped); and the months of the rows waiting in the DEFAULT partition."""
    attached = attached_partitions(cursor, q, table)
    # Without a DEFAULT partition (dropped by hand; `status` warns) nothing waits anywhere.
    waiting = set(_default_months(cursor, q, table)) if any(p.is_default for p in attached) else set()
    earliest = min({p.lower for p in attached if p.lower} | waiting | {first})
    wanted = [month for month in month_range(earliest, horizon) if not any(p.covers(month) for p in attached)]
    cursor.execute(
        "SELECT relname FROM pg_class WHERE relname = ANY(%s) AND pg_table_is_visible(oid)",
        [[partition_name(table, month) for month in wanted]],
    )
    names = {row[0] for row in cursor.fetchall()}
    taken = [month for month in wanted if partition_name(table, month) in names]
    return [month for month in wanted if month not in taken], taken, waiting


def lock_or_give_up(cursor, sql: str) -> None:
    """Run DDL (or LOCK) on the punch table inside the caller's transaction, waiting at most
    LOCK_TIMEOUT for the table."""
    cursor.execute(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT}'")
    try:
        cursor.execute(sql)
    except OperationalError as exc:
        if getattr(exc.__cause__, "sqlstate", None) != "55P03":  # lock_not_available
            raise
        raise PartitionError(f"考勤记录表正被长时间占用，{LOCK_TIMEOUT} 内未能加锁，请稍后重试。") from exc


def _move_rows(cursor, q, source: str, target: str, month: datetime.date) -> int:
    cursor.execute(
        "SELECT attname FROM pg_attribute WHERE attrelid = %s::regclass AND attnum > 0 "
        "AND NOT attisdropped AND attgenerated = '' ORDER BY attnum",
        [q(target)],
    )
    names = ", ".join(q(row[0]) for row in cursor.fetchall())
    cursor.execute(
        f"WITH moved AS (DELETE FROM {q(source)} WHERE {q(PARTITION_KEY)} >= %s AND {q(PARTITION_KEY)} < %s "
        f"RETURNING {names}) INSERT INTO {q(target)} ({names}) SELECT {names} FROM moved",
        [month, add_months(month, 1)],
    )
    return cursor.rowcount
