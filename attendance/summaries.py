"""Daily summaries: derived from punches (docs/architecture.md pattern 6), kept current on ingest, rebuildable.

One DailySummary row per (project, person, work_date) that has counted punches. What counts:

- a punch matched to a person (``person`` set) that is not an open or dismissed anomaly, i.e. a normal
  matched punch (``is_anomaly`` False) or an anomaly the project resolved by linking it to a person on
  its roster (``anomaly_status="resolved"``). Resolved anomalies count: the project has vouched for them.
- ``work_date`` is the punch's date in Asia/Shanghai (``shanghai_work_date``), stored on the punch.

Per person-day: ``first_in`` is the earliest 入场 (01) punch, else the earliest punch; ``last_out`` the
latest 出场 (02) punch, else the latest punch; ``hours`` = last_out - first_in (0 for a single punch,
never negative), 2 decimals; ``is_present`` = punch_count >= ATTENDANCE_MIN_PUNCHES and hours >=
ATTENDANCE_MIN_HOURS (settings; default: one punch is a day of attendance). Summaries store the
outcome: after changing these settings, run `manage.py rebuild_attendance_summaries`.

The 项目总览 / supervisor dashboard figures and the monthly grid all read ``is_present`` and ``hours``.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.db.models import Max, Min

from jmzhgd.core import rawsql
from jmzhgd.core.codes import Direction

from .models import AnomalyStatus, DailySummary, Punch

SHANGHAI = ZoneInfo("Asia/Shanghai")
EXTREMES = ("earliest_entry", "earliest_punch", "latest_exit", "latest_punch")
SUMMARY_FIELDS = [*EXTREMES, "first_in", "last_out", "punch_count", "hours", "is_present"]
BATCH_SIZE = 2000


def shanghai_work_date(punched_at: datetime.datetime) -> datetime.date:
    """The attendance day of a punch: its date in Asia/Shanghai (00:30 local is that day, not the
    previous UTC day). Naive datetimes are taken as Shanghai local time."""
    if punched_at.tzinfo is None:
        return punched_at.date()
    return punched_at.astimezone(SHANGHAI).date()


def _aggregate_sql(connection, condition: str) -> str:
    """Per (person, work_date) of one project's counted punches (see the module docstring) that meet
    `condition`: earliest 入场, earliest, latest 出场, latest, count. Plain SQL (jmzhgd.core.rawsql):
    this runs inside every punch upload. Parameters: see `_aggregate_params`."""
    c = dict(
        zip(
            ("project", "person", "day", "at", "way", "anomaly", "status"),
            rawsql.columns(
                connection,
                Punch,
                "project",
                "person",
                "work_date",
                "punched_at",
                "direction",
                "is_anomaly",
                "anomaly_status",
            ),
            strict=True,
        )
    )
    return (
        f"SELECT {c['person']}, {c['day']}, "
        f"MIN(CASE WHEN {c['way']} = %s THEN {c['at']} END), MIN({c['at']}), "
        f"MAX(CASE WHEN {c['way']} = %s THEN {c['at']} END), MAX({c['at']}), COUNT(*) "
        f"FROM {rawsql.table(connection, Punch)} "
        f"WHERE {c['project']} = %s AND {c['person']} IS NOT NULL "
        f"AND ({c['anomaly']} = %s OR {c['status']} = %s) AND ({condition}) "
        f"GROUP BY {c['person']}, {c['day']}"
    )


def _aggregate_params(project_id: int) -> list:
    return [Direction.IN, Direction.OUT, project_id, False, AnomalyStatus.RESOLVED]


def _hours(first_in, last_out) -> Decimal:
    if first_in is None or last_out is None or last_out <= first_in:
        return Decimal("0.00")
    hours = Decimal((last_out - first_in).total_seconds()) / Decimal(3600)
    return min(hours.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP), Decimal("999.99"))


def summary_values(project_id: int, row: tuple) -> tuple:
    """An aggregate row as the values of a DailySummary row (in SUMMARY_COLUMNS order)."""
    person_id, day, *extremes, count = row
    earliest_entry, earliest_punch, latest_exit, latest_punch = (rawsql.aware(v) for v in extremes)
    first_in = earliest_entry or earliest_punch
    last_out = latest_exit or latest_punch
    hours = _hours(first_in, last_out)
    present = count >= settings.ATTENDANCE_MIN_PUNCHES and hours >= Decimal(
        str(settings.ATTENDANCE_MIN_HOURS)
    )
    return (
        project_id,
        person_id,
        rawsql.day(day),
        earliest_entry,
        earliest_punch,
        latest_exit,
        latest_punch,
        first_in,
        last_out,
        count,
        hours,
        present,
    )


SUMMARY_COLUMNS = ("project", "person", "work_date", *SUMMARY_FIELDS)


def _upsert(connection, values: list[tuple]) -> None:
    """Insert or update summary rows (one statement per BATCH_SIZE rows)."""
    names = rawsql.columns(connection, DailySummary, *SUMMARY_COLUMNS)
    key = ", ".join(names[:3])
    updates = ", ".join(f"{name} = excluded.{name}" for name in names[3:])
    for start in range(0, len(values), BATCH_SIZE):
        source, params = rawsql.rows_source(
            connection, rawsql.fields(DailySummary, *SUMMARY_COLUMNS), values[start : start + BATCH_SIZE]
        )
        with rawsql.cursor(connection) as cursor:
            cursor.execute(
                f"INSERT INTO {rawsql.table(connection, DailySummary)} ({', '.join(names)}) {source} "
                f"ON CONFLICT ({key}) DO UPDATE SET {updates}",
                params,
            )


def _keys_condition(connection, model, keys: set[tuple[int, datetime.date]]) -> tuple[str, list]:
    """(person, day) pairs as a condition on `model` (Punch or DailySummary). The day range comes
    first, for the (project, work_date) index; the pairs then pick the rows out of that range."""
    person, work_date = rawsql.columns(connection, model, "person", "work_date")
    source, params = rawsql.rows_source(connection, rawsql.fields(model, "person", "work_date"), sorted(keys))
    days = [day for _person, day in keys]
    return (
        f"{work_date} BETWEEN %s AND %s AND ({person}, {work_date}) IN ({source})",
        [
            connection.ops.adapt_datefield_value(min(days)),
            connection.ops.adapt_datefield_value(max(days)),
            *params,
        ],
    )


def refresh_daily_summaries(project_id: int, keys: Iterable[tuple[int, datetime.date]]) -> None:
    """Recompute the summaries of these (person_id, work_date) pairs of one project from its punches.

    A constant number of statements: the aggregate and upsert (one statement on PostgreSQL, two
    elsewhere), and a delete of summaries whose counted punches are gone (only when there are
    such). Runs in the caller's transaction (ingest calls it inside its own).
    """
    wanted = {(int(person_id), day) for person_id, day in keys if person_id is not None}
    if not wanted:
        return
    connection = rawsql.connection_for(DailySummary)
    if connection.vendor == "postgresql":
        written = _refresh_in_postgresql(connection, project_id, wanted)
    else:
        written = _refresh_in_python(connection, project_id, wanted)
    gone = wanted - written
    if gone:
        condition, params = _keys_condition(connection, DailySummary, gone)
        project = rawsql.columns(connection, DailySummary, "project")[0]
        with rawsql.cursor(connection) as cursor:
            cursor.execute(
                f"DELETE FROM {rawsql.table(connection, DailySummary)} WHERE {project} = %s AND ({condition})",
                [project_id, *params],
            )


def _refresh_in_python(connection, project_id: int, wanted: set) -> set:
    """Aggregate, compute each summary with `summary_values`, upsert; returns the keys written."""
    condition, params = _keys_condition(connection, Punch, wanted)
    with rawsql.cursor(connection) as cursor:
        cursor.execute(_aggregate_sql(connection, condition), _aggregate_params(project_id) + params)
        values = [summary_values(project_id, row) for row in cursor.fetchall()]
    values = [v for v in values if (v[1], v[2]) in wanted]
    _upsert(connection, values)
    return {(v[1], v[2]) for v in values}


def _refresh_in_postgresql(connection, project_id: int, wanted: set) -> set:
    """The same as `_refresh_in_python` in one statement: the database aggregates, computes hours and
    attendance and upserts, so no row travels to Python and back. The hours follow `_hours`
    exactly (see `_postgresql_upsert`); a test compares both ways on tricky days
    (tests/attendance/test_summaries.py)."""
    condition, params = _keys_condition(connection, Punch, wanted)
    sql, before, after = _postgresql_upsert(connection, _aggregate_sql(connection, condition), merge=False)
    with rawsql.cursor(connection) as cursor:
        cursor.execute(sql, before(project_id) + _aggregate_params(project_id) + params + after())
        return {(person_id, day) for person_id, day in cursor.fetchall()} & wanted


def add_to_daily_summaries(project_id: int, punches: Iterable[tuple]) -> None:
    """Count newly stored punches, (person_id, work_date, Unix seconds, direction) each, into their
    person-days' summaries: the ingest's path. Runs in the caller's transaction.

    On PostgreSQL the batch's own extremes and counts are merged into the rows (earliest of the
    earliest entries, sum of the counts, …) by one upsert, without reading the day's earlier punches
    again, and two uploads for the same person-day at once both count: merges commute, where a
    recomputation from the punches the transaction can see would let the later commit overwrite the
    earlier one's punches. This relies on every person-day with counted punches having its summary
    (every path that counts punches keeps them; `rebuild_attendance_summaries` restores them).
    Elsewhere the person-days are recomputed (`refresh_daily_summaries`)."""
    connection = rawsql.connection_for(DailySummary)
    if connection.vendor != "postgresql":
        refresh_daily_summaries(project_id, {(person_id, day) for person_id, day, _at, _way in punches})
        return
    days: dict[tuple[int, datetime.date], list] = {}
    for person_id, day, seconds, direction in punches:
        extremes = days.setdefault((person_id, day), [None, seconds, None, seconds, 0])
        if direction == Direction.IN and (extremes[0] is None or seconds < extremes[0]):
            extremes[0] = seconds
        if direction == Direction.OUT and (extremes[2] is None or seconds > extremes[2]):
            extremes[2] = seconds
        extremes[1] = min(extremes[1], seconds)
        extremes[3] = max(extremes[3], seconds)
        extremes[4] += 1
    if not days:
        return
    # The extremes travel as Unix seconds in comma-joined texts: psycopg would convert an array
    # of timestamps element by element in Python.
    rows = sorted([person_id, day, *extremes] for (person_id, day), extremes in days.items())
    columns = list(zip(*rows, strict=True))
    params = [
        ",".join(map(str, columns[0])),
        ",".join(map(str, columns[1])),
        *(",".join("" if at is None else str(at) for at in column) for column in columns[2:6]),
        ",".join(map(str, columns[6])),
    ]
    epoch = "string_to_array(%s, ',', '')::bigint[]"
    source = (
        "SELECT person, day, to_timestamp(ee), to_timestamp(ep), to_timestamp(lx), to_timestamp(lp), n "
        f"FROM unnest(string_to_array(%s, ',')::bigint[], string_to_array(%s, ',')::date[], "
        f"{epoch}, {epoch}, {epoch}, {epoch}, string_to_array(%s, ',')::integer[]) "
        "AS b (person, day, ee, ep, lx, lp, n)"
    )
    sql, before, after = _postgresql_upsert(connection, source, merge=True)
    with rawsql.cursor(connection) as cursor:
        cursor.execute(sql, before(project_id) + params + after())


def merge_stored_punches_sql(connection, project_id: int, stored: str) -> tuple[str, list]:
    """PostgreSQL: the statement (for a WITH clause) that counts the matched punches among the rows
    of `stored`, a CTE of punches just inserted (their person, work_date, punched_at, direction
    and is_anomaly, named as in the table), into their person-days' summaries: what
    add_to_daily_summaries does with the same punches, in the statement that stores them. The
    person-days go in key order, as there, so concurrent batches lock summaries in one order."""
    person, day, at, direction, anomaly = rawsql.columns(
        connection, Punch, "person", "work_date", "punched_at", "direction", "is_anomaly"
    )
    source = (
        f"SELECT {person}, {day}, MIN({at}) FILTER (WHERE {direction} = %s), MIN({at}), "
        f"MAX({at}) FILTER (WHERE {direction} = %s), MAX({at}), COUNT(*) "
        f"FROM {stored} WHERE NOT {anomaly} GROUP BY 1, 2 ORDER BY 1, 2"
    )
    sql, before, after = _postgresql_upsert(connection, source, merge=True)
    return sql, before(project_id) + [Direction.IN.value, Direction.OUT.value] + after()


def _postgresql_upsert(connection, source: str, *, merge: bool):
    """INSERT … SELECT from `source`, whose rows are (person, day, earliest entry, earliest punch,
    latest exit, latest punch, count), computing first_in, last_out, hours and attendance as
    `summary_values` does: hours = numeric seconds / 3600 rounded half up to 2 places, capped at
    999.99, 0 without a positive span. On conflict the row is replaced (a recomputation) or, with
    `merge`, the source's extremes and count are combined with the row's.

    Returns the SQL and two functions giving the parameters before and after the source's own."""
    table = rawsql.table(connection, DailySummary)
    names = rawsql.columns(connection, DailySummary, *SUMMARY_COLUMNS)
    column = dict(zip(SUMMARY_COLUMNS, names, strict=True))

    def hours(first: str, last: str) -> str:
        return (
            f"CASE WHEN {last} > {first} THEN "
            f"LEAST(ROUND(EXTRACT(EPOCH FROM {last} - {first}) / 3600, 2), 999.99) ELSE 0 END"
        )

    def present(count: str, first: str, last: str) -> str:
        return f"({count} >= %s AND {hours(first, last)} >= %s)"

    first, last = "COALESCE(ee, ep)", "COALESCE(lx, lp)"
    sql = (
        f"INSERT INTO {table} AS s ({', '.join(names)}) "
        f"SELECT %s, person, day, ee, ep, lx, lp, {first}, {last}, n, {hours(first, last)}, "
        f"{present('n', first, last)} FROM ({source}) AS a (person, day, ee, ep, lx, lp, n) "
        f"ON CONFLICT ({', '.join(names[:3])}) DO UPDATE SET "
    )
    if merge:
        ee, ep, lx, lp, n = (column[name] for name in (*EXTREMES, "punch_count"))
        merged = {
            ee: f"LEAST(s.{ee}, excluded.{ee})",
            ep: f"LEAST(s.{ep}, excluded.{ep})",
            lx: f"GREATEST(s.{lx}, excluded.{lx})",
            lp: f"GREATEST(s.{lp}, excluded.{lp})",
            n: f"s.{n} + excluded.{n}",
        }
        merged_first = f"COALESCE({merged[ee]}, {merged[ep]})"
        merged_last = f"COALESCE({merged[lx]}, {merged[lp]})"
        merged[column["first_in"]] = merged_first
        merged[column["last_out"]] = merged_last
        merged[column["hours"]] = hours(merged_first, merged_last)
        merged[column["is_present"]] = present(merged[n], merged_first, merged_last)
        sql += ", ".join(f"{name} = {expression}" for name, expression in merged.items())
    else:
        sql += ", ".join(f"{name} = excluded.{name}" for name in names[3:])
    sql += f" RETURNING {column['person']}, {column['work_date']}"
    thresholds = [settings.ATTENDANCE_MIN_PUNCHES, Decimal(str(settings.ATTENDANCE_MIN_HOURS))]
    return sql, (lambda project_id: [project_id, *thresholds]), (lambda: thresholds if merge else [])


def _month_ranges(
    date_from: datetime.date, date_to: datetime.date
) -> Iterator[tuple[datetime.date, datetime.date]]:
    start = date_from
    while start <= date_to:
        next_month = (start.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)
        end = min(date_to, next_month - datetime.timedelta(days=1))
        yield start, end
        start = next_month


def rebuild_daily_summaries(
    *, project=None, date_from: datetime.date | None = None, date_to: datetime.date | None = None
) -> int:
    """Rebuild summaries from the raw punches (all projects, or one), optionally for a date range.

    Works project by project and month by month, each chunk in its own transaction (delete the chunk's
    summaries, aggregate its punches, insert; on PostgreSQL both in one statement), so memory and
    lock time stay bounded.
    Returns the number of summary rows written.
    """
    from projects.models import Project

    project_ids = (
        [getattr(project, "pk", project)]
        if project is not None
        else list(Project.objects.order_by("pk").values_list("pk", flat=True))
    )
    written = 0
    for project_id in project_ids:
        punches = Punch.objects.filter(project_id=project_id)
        summaries = DailySummary.objects.filter(project_id=project_id)
        if date_from is not None:
            punches, summaries = (
                punches.filter(work_date__gte=date_from),
                summaries.filter(work_date__gte=date_from),
            )
        if date_to is not None:
            punches, summaries = (
                punches.filter(work_date__lte=date_to),
                summaries.filter(work_date__lte=date_to),
            )
        bounds = punches.order_by().aggregate(low=Min("work_date"), high=Max("work_date"))
        existing = summaries.order_by().aggregate(low=Min("work_date"), high=Max("work_date"))
        lows = [d for d in (bounds["low"], existing["low"]) if d is not None]
        highs = [d for d in (bounds["high"], existing["high"]) if d is not None]
        if not lows:
            continue
        connection = rawsql.connection_for(DailySummary)
        work_date = rawsql.columns(connection, Punch, "work_date")[0]
        aggregate = _aggregate_sql(connection, f"{work_date} BETWEEN %s AND %s")
        for start, end in _month_ranges(min(lows), max(highs)):
            month = [connection.ops.adapt_datefield_value(start), connection.ops.adapt_datefield_value(end)]
            with transaction.atomic(), connection.cursor() as cursor:
                DailySummary.objects.filter(project_id=project_id, work_date__range=(start, end)).delete()
                if connection.vendor == "postgresql":
                    sql, before, after = _postgresql_upsert(connection, aggregate, merge=False)
                    cursor.execute(sql, before(project_id) + _aggregate_params(project_id) + month + after())
                    written += cursor.rowcount
                    continue
                cursor.execute(aggregate, _aggregate_params(project_id) + month)
                # One project-month is at most a few tens of thousands of person-days.
                values = [summary_values(project_id, row) for row in cursor.fetchall()]
                _upsert(connection, values)
                written += len(values)
    return written
