"""Yardsticks: what the same run measures to tell how fast this machine is (bench/README.md).

Every row of the table is judged on its ratio to a yardstick taken in the same run, so a machine
half as fast as the reference one neither fails the code nor hides a slower code path. Each
yardstick does the least work the row's job cannot do without (the rows from a raw cursor, a plain
openpyxl write-only dump, a bare bulk_create), in the harness process on the same database.

A row passes when its ratio meets its target: the absolute target over the yardstick's value on the
reference machine (REFERENCE), unless the row states its own. The absolute target stays in the
table as the deployment goal; missed on a machine whose yardstick is slower than the reference's,
it is flagged, not failed.
"""

from __future__ import annotations

import datetime
import io
import statistics
import time
from dataclasses import dataclass


@dataclass(frozen=True)
class Yardstick:
    key: str
    label: str
    unit: str  # "ms" (lower is faster) or "rows/s" (higher is faster)
    reference: float  # the reference machine's value (bench/README.md, "Yardsticks")

    @property
    def higher_is_faster(self) -> bool:
        return self.unit.endswith("/s")

    def show(self, value: float) -> str:
        return f"{value:,.0f} {self.unit}" if self.higher_is_faster else f"{value:,.1f} {self.unit}"


# The reference machine: the run recorded in bench/README.md "The full run of 2026-11-24" (fresh clone of dff4814,
# 2026-11-24, all 13 rows passing), which recorded bulk_create and the raw aggregate. The other
# three were not taken then: they are estimates (bench/README.md, "Yardsticks"), to be replaced by
# the values of the next full run on the reference machine. Keep in step with bench/README.md.
REFERENCE = {
    "select_page": Yardstick("select_page", "plain SELECT page", "ms", 0.83),
    "raw_aggregate": Yardstick("raw_aggregate", "raw month aggregate", "ms", 382.2),
    "month_dump": Yardstick("month_dump", "openpyxl dump of the month grid's rows", "ms", 410.0),
    "details_dump": Yardstick("details_dump", "openpyxl dump of the punches", "ms", 3740.0),
    "bulk_create": Yardstick("bulk_create", "bare bulk_create", "rows/s", 14_382),
}


def judge(
    row,
    key: str,
    measured: float,
    figure: float,
    limit: float | None,
    *,
    ratio_limit: float | None = None,
    absolute: float | None = None,
):
    """Set `row`'s yardstick, ratio and verdict: `figure` (ms, or per second for rates) against
    `ratio_limit` × the yardstick `measured` in this run, and `absolute` (default: `figure`) against
    the absolute `limit`.

    `row.passed` must already hold every other condition (status, queries, memory); it stays False
    when one failed.
    """
    stick = REFERENCE[key]
    if limit is None:  # a row without a timing target: the ratio is shown, not judged
        row.yardstick = f"{stick.label} {stick.show(measured)} (reference {stick.show(stick.reference)})"
        row.yardstick_value = round(measured, 1)
        row.ratio = round(figure / measured, 3) if measured else None
        row.ratio_target = "not judged"
        return row
    if ratio_limit is None:
        ratio_limit = limit / stick.reference
    ratio = figure / measured if measured else None
    absolute = figure if absolute is None else absolute
    if stick.higher_is_faster:
        ratio_ok = ratio is not None and ratio >= ratio_limit
        absolute_ok, slower = absolute >= limit, measured < stick.reference
        sign = "≥"
    else:
        ratio_ok = ratio is not None and ratio <= ratio_limit
        absolute_ok, slower = absolute <= limit, measured > stick.reference
        sign = "≤"
    row.yardstick = f"{stick.label} {stick.show(measured)} (reference {stick.show(stick.reference)})"
    row.yardstick_value = round(measured, 1)
    row.ratio = None if ratio is None else round(ratio, 3)
    row.ratio_target = f"{sign} {ratio_limit:.3g}×"
    row.passed = row.passed and ratio_ok and (absolute_ok or slower)
    if not absolute_ok and slower:
        row.flagged = "absolute target missed on a machine slower than the reference (yardstick)"
    return row


def _median_seconds(func, samples: int) -> float:
    func()  # warm-up: the first call pays for caches and connections
    timings = []
    for _ in range(samples):
        started = time.perf_counter()
        func()
        timings.append(time.perf_counter() - started)
    return statistics.median(timings)


SELECT_PAGE_SQL = """
SELECT e.id, p.name, p.id_number_masked, p.phone, e.entry_date, e.exit_date, t.name
FROM workforce_rosterentry e
JOIN workforce_person p ON p.id = e.person_id
JOIN enterprises_team t ON t.id = e.team_id
WHERE e.project_id = %s
ORDER BY e.entry_date DESC, e.id
LIMIT 25
"""

PAGE_TEMPLATE = (
    "<table>{% for r in rows %}<tr>{% for c in r %}<td>{{ c }}</td>{% endfor %}</tr>{% endfor %}</table>"
)


def select_page_ms(bench, samples: int = 30) -> float:
    """One page of the big project's roster from a raw cursor, rendered as a bare HTML table."""
    from django.db import connection
    from django.template import Context, Engine

    template = Engine().from_string(PAGE_TEMPLATE)

    def render():
        with connection.cursor() as cursor:
            cursor.execute(SELECT_PAGE_SQL, [bench.project_id])
            template.render(Context({"rows": cursor.fetchall()}))

    return _median_seconds(render, samples) * 1000


RAW_AGGREGATE_SQL = """
SELECT person_id, work_date,
       MIN(punched_at) FILTER (WHERE direction = '01'), MAX(punched_at) FILTER (WHERE direction = '02'),
       COUNT(*)
FROM attendance_punch
WHERE project_id = %s AND work_date BETWEEN %s AND %s AND person_id IS NOT NULL
GROUP BY person_id, work_date
"""

DETAILS_SQL = """
SELECT p.name, p.id_number_masked, u.punched_at, u.work_date, u.direction, u.device_sn, u.source
FROM attendance_punch u
LEFT JOIN workforce_person p ON p.id = u.person_id
WHERE u.project_id = %s AND u.work_date BETWEEN %s AND %s
ORDER BY u.punched_at, u.id
"""


def _query(bench, sql: str) -> list:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql, [bench.project_id, bench.month_start, bench.month_end])
        return cursor.fetchall()


def raw_aggregate_ms(bench, samples: int = 7) -> float:
    """The month's raw aggregate: one GROUP BY person, day over the project's punches."""
    return _median_seconds(lambda: _query(bench, RAW_AGGREGATE_SQL), samples) * 1000


def _dump(rows) -> None:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    for row in rows:
        sheet.append([str(value) if value is not None else None for value in row])
    workbook.save(io.BytesIO())


def _clock(value) -> str:
    # SQLite's raw cursor answers text, PostgreSQL's a datetime; no punch that way is an empty side.
    if value is None:
        return ""
    return value.strftime("%H:%M") if hasattr(value, "strftime") else str(value)[11:16]


def _day_index(bench, work_date) -> int:
    if isinstance(work_date, str):  # SQLite
        work_date = datetime.date.fromisoformat(work_date)
    return (work_date - bench.month_start).days


def _month_grid_rows(bench) -> list[list]:
    """The raw aggregate pivoted as the grid is: one row per person, one first-in/last-out cell a day."""
    days = (bench.month_end - bench.month_start).days + 1
    grid: dict[int, list] = {}
    for person_id, work_date, first_in, last_out, _ in _query(bench, RAW_AGGREGATE_SQL):
        row = grid.setdefault(person_id, [person_id] + [None] * days)
        row[1 + _day_index(bench, work_date)] = f"{_clock(first_in)}-{_clock(last_out)}"
    return list(grid.values())


def month_dump_ms(bench, samples: int = 3) -> float:
    """The month grid's rows (a person a row, a cell a day) from a raw cursor into a plain workbook."""
    return _median_seconds(lambda: _dump(_month_grid_rows(bench)), samples) * 1000


def details_dump_ms(bench, samples: int = 1) -> float:
    """The month's punches from a raw cursor into a plain write-only workbook."""
    return _median_seconds(lambda: _dump(_query(bench, DETAILS_SQL)), samples) * 1000


def bulk_create_rate(bench, count: int | None = None) -> float:
    """Rows/s of a bare bulk_create of punches (batches of 100) for the big project, rolled back."""
    from django.db import transaction
    from django.utils import timezone

    from attendance.models import Punch

    entries = list(bench.on_site_entries().values_list("id", "person_id", "person__id_number")[:1000])
    count = count or bench.sizes.batched_punches
    start = timezone.make_aware(datetime.datetime.combine(bench.month_end, datetime.time(6, 0, 3)))
    rows = [
        Punch(
            project_id=bench.project_id,
            person_id=entries[k % len(entries)][1],
            roster_entry_id=entries[k % len(entries)][0],
            id_number=entries[k % len(entries)][2],
            punched_at=start + datetime.timedelta(seconds=k // len(entries)),
            work_date=bench.month_end,
            direction="01",
            attend_type="001",
            device_sn="BENCH-YARDSTICK",
            record_id=f"yardstick-{k}",
        )
        for k in range(count)
    ]
    started = time.perf_counter()
    with transaction.atomic():
        Punch.objects.bulk_create(rows, batch_size=100)
        elapsed = time.perf_counter() - started
        transaction.set_rollback(True)
    return len(rows) / elapsed


MEASURE = {
    "select_page": select_page_ms,
    "raw_aggregate": raw_aggregate_ms,
    "month_dump": month_dump_ms,
    "details_dump": details_dump_ms,
    "bulk_create": bulk_create_rate,
}
