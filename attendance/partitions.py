"""Monthly partitions of the punch table on PostgreSQL (docs/deploy.md "Punch partitions").

`attendance_punch` grows by some 40 M rows a year and is kept at least 36 months (PUNCH_RETENTION_MONTHS:
the wage ledgers' 工作时间 rests on it, 保障农民工工资支付条例 art. 15). On PostgreSQL it is `PARTITION BY RANGE (work_date)`, one
partition per calendar month (`attendance_punch_pYYYYMM`), so that a page reading a project's month
touches one partition's index and an expired month leaves the table as a whole (detached, archived,
dropped by hand) instead of by a 40 M-row DELETE. A DEFAULT partition (`attendance_punch_default`)
takes a punch of any month without a partition of its own (a device's backlog from long ago, a clock
far ahead): a punch is stored, never refused; `create_partitions` later moves such rows into their
month's new partition, and `partition_status` warns while any are there. SQLite keeps the plain table.

- `rebuild_table`: the migration that partitions the table, and its reverse.
- `create_partitions`: the scheduled step (`manage.py punch_partitions create`, daily) that keeps
  partitions ready ahead of the calendar.
- `partition_status`: what monitoring reads (`punch_partitions status`).
- `detach_month`, `archive_partition`: the retention step (`punch_partitions detach`). Nothing here
  ever deletes a punch: a detached month stays in its stand-alone table until an operator, having
  verified the archive, drops it by hand.
"""

from __future__ import annotations

import datetime
import os
import re
import subprocess
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from django.conf import settings
from django.db import OperationalError, connections, router, transaction
from django.utils import timezone

from jmzhgd.core import audit
from jmzhgd.core.actor import Actor

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


def month_of(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def add_months(month: datetime.date, count: int) -> datetime.date:
    index = month.year * 12 + month.month - 1 + count
    return datetime.date(index // 12, index % 12 + 1, 1)


def month_range(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    """The first days of the months from `first`'s through `last`'s."""
    months, month = [], month_of(first)
    while month <= last:
        months.append(month)
        month = add_months(month, 1)
    return months


def partition_name(table: str, month: datetime.date) -> str:
    return f"{table}_p{month:%Y%m}"


def default_partition_name(table: str) -> str:
    return f"{table}_default"


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
            for month in _months_to_cover(stored, today or timezone.localdate(), ahead):
                _create_partition(cursor, q, table, month)
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


def _months_to_cover(
    stored: Iterable[datetime.date], today: datetime.date, ahead: int
) -> list[datetime.date]:
    """Every month from the earliest of `stored` (first days of months that have rows) through
    `ahead` months after `today`'s, and any later month of `stored` (a clock far ahead)."""
    stored = set(stored)
    horizon = add_months(month_of(today), ahead)
    covered = set(month_range(min(stored | {month_of(today)}), horizon))
    return sorted(covered | stored)


def _create_partition(cursor, q, table: str, month: datetime.date) -> str:
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


def _attached(cursor, q, table: str) -> list[Partition]:
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
        for partition in _attached(cursor, q, table):
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
        _lock(cursor, f"LOCK TABLE {q(table)} IN ACCESS EXCLUSIVE MODE")
        missing, done.skipped, waiting = _missing(cursor, q, table, first, horizon)  # again, under the lock
        default = default_partition_name(table)
        to_move = [month for month in missing if month in waiting]
        if to_move:
            cursor.execute(f"ALTER TABLE {q(table)} DETACH PARTITION {q(default)}")
        for month in missing:
            name = _create_partition(cursor, q, table, month)
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
    attached = _attached(cursor, q, table)
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


def _lock(cursor, sql: str) -> None:
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


# --- Retention: detach, archive; the operator drops ---------------------------------------------


def retention_months() -> int:
    return settings.PUNCH_RETENTION_MONTHS


def may_detach(month: datetime.date, today: datetime.date | None = None) -> bool:
    """Whether every day of `month` is older than the retention period."""
    return add_months(month_of(month), 1 + retention_months()) <= (today or timezone.localdate())


@dataclass(frozen=True)
class Detached:
    table: str
    rows: int
    already: bool = False  # detached by an earlier run


def detach_month(actor: Actor, month: datetime.date, today: datetime.date | None = None) -> Detached:
    """Detach `month`'s partition from the punch table: its punches leave every page, export and
    count, and stay, all of them, in the now stand-alone table of the same name. Audited. Refused
    for a month younger than PUNCH_RETENTION_MONTHS. Detaching a month detached before answers
    `already` (so that a failed archive can be run again)."""
    connection, table = database(), punch_table()
    q = connection.ops.quote_name
    month = month_of(month)
    if not may_detach(month, today):
        raise PartitionError(
            f"{month:%Y-%m} 的考勤记录未满保留期限（{retention_months()} 个月，PUNCH_RETENTION_MONTHS），"
            "不能分离归档。"
        )
    name = partition_name(table, month)
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        if name not in {partition.name for partition in _attached(cursor, q, table)}:
            cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [q(name)])
            if not cursor.fetchone()[0]:
                raise PartitionError(f"没有 {month:%Y-%m} 的月份分区（{name}）。")
            cursor.execute(f"SELECT count(*) FROM {q(name)}")
            return Detached(name, cursor.fetchone()[0], already=True)
        _lock(cursor, f"ALTER TABLE {q(table)} DETACH PARTITION {q(name)}")
        cursor.execute(f"SELECT count(*) FROM {q(name)}")
        rows = cursor.fetchone()[0]
        audit.record(
            actor,
            "punch.partition_detach",
            summary=f"分离考勤月份分区 {name}（{month:%Y-%m}，{rows} 条记录）：记录保留在独立表中，待归档校验后手工删除",
        )
    return Detached(name, rows)


def archive_partition(actor: Actor, name: str, directory: Path) -> Path:
    """Dump the stand-alone table `name` with pg_dump (custom format) into `directory` and verify
    the file with pg_restore --list; audited. Never drops the table, never overwrites a file."""
    connection = database()
    target = Path(directory) / f"{name}.dump"
    if target.exists():
        raise PartitionError(f"归档文件 {target} 已存在，不会覆盖。")
    Path(directory).mkdir(mode=0o700, parents=True, exist_ok=True)
    env = {**os.environ, **pg_environment(connection)}
    dump = subprocess.run(
        [
            "pg_dump",
            "--format=custom",
            "--no-owner",
            "--no-privileges",
            f"--table={name}",
            f"--file={target}",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=24 * 3600,
    )
    if dump.returncode != 0:
        raise PartitionError(f"pg_dump 失败：{dump.stderr.strip()}")
    target.chmod(0o600)  # names, masks and anomalies' encrypted ID numbers: readable by the operator only
    listed = subprocess.run(
        ["pg_restore", "--list", str(target)], env=env, capture_output=True, text=True, timeout=600
    )
    if listed.returncode != 0 or not re.search(rf"TABLE DATA \S+ {re.escape(name)} ", listed.stdout):
        raise PartitionError(
            f"归档文件校验失败（pg_restore --list 未列出 {name} 的数据）：{listed.stderr.strip()}"
        )
    audit.record(
        actor,
        "punch.partition_archive",
        summary=f"归档考勤月份表 {name} 到 {target}（{target.stat().st_size} 字节，已用 pg_restore --list 校验）",
    )
    return target


def pg_environment(connection) -> dict[str, str]:
    """libpq's environment for the connection's settings (pg_dump, pg_restore)."""
    config = connection.settings_dict
    names = {
        "NAME": "PGDATABASE",
        "USER": "PGUSER",
        "PASSWORD": "PGPASSWORD",
        "HOST": "PGHOST",
        "PORT": "PGPORT",
    }
    env = {variable: str(config[key]) for key, variable in names.items() if config.get(key)}
    if sslmode := config.get("OPTIONS", {}).get("sslmode"):
        env["PGSSLMODE"] = sslmode
    return env
