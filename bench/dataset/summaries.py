"""Stage four: the daily summaries, of the punch month and (scales with history) of the months before.

The punch month's summaries are those of the punches written by stage three: the same random draws
(`punches.person_days`, replayed from the random state saved before the punches were drawn). Each
row is what `attendance.summaries` computes (`summary_values`, once per possible gap between the in
and the out punch); tests/bench checks them row for row against the platform's own rebuild.

A platform keeps years of attendance (the regulations: at least three), so the province scale also
stores a year of daily summaries for a city's worth of people (`Scale.history_months`,
`Scale.history_on_site`) before the punch month: the month grid and the figures must not slow down
as months pile up. Only summaries are written for those months (the raw punches of a year would add
44 M rows no scenario reads), and so a rebuild of their summaries would empty them; the benchmark
rebuilds only the days its ingestion probe writes to, in the punch month.

On PostgreSQL the rows go in as one text COPY with the table's indexes built afterwards
(`BulkWriter.indexes_built_after`); elsewhere through the generic writer.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Iterator

from .plan import SHANGHAI, Build
from .punches import IN_WINDOW, OUT_WINDOW, clock_times, person_days


def history_projects(b: Build) -> int:
    """How many of the first projects hold `history_on_site` persons on site between them."""
    if not b.scale.history_months:
        return 0
    total = 0
    for count, size in enumerate(b.on_site_sizes, start=1):
        total += size
        if total >= b.scale.history_on_site:
            return count
    return len(b.on_site_sizes)


def build_summaries(b: Build) -> None:
    from attendance.models import DailySummary

    def load() -> int:
        if not b.writer.is_postgres:
            return b.writer.write(DailySummary, _summary_rows(b), with_id=False)
        with b.writer.indexes_built_after(DailySummary):
            return b.writer.write_lines(DailySummary, list(COLUMNS), _summary_lines(b))

    b.step("daily summaries" + (" (with history)" if b.scale.history_months else ""), load)


COLUMNS = (
    "project",
    "person",
    "work_date",
    "earliest_entry",
    "earliest_punch",
    "latest_exit",
    "latest_punch",
    "first_in",
    "last_out",
    "punch_count",
    "hours",
    "is_present",
)


def summary_days(b: Build) -> Iterator[tuple[dict, datetime.date, int, int]]:
    """The person-days of the punch month, as the punches were drawn, then those of the history."""
    replay = random.Random()
    replay.setstate(b.punch_draws)
    yield from person_days(b, replay)
    yield from history_days(b)


def history_days(b: Build) -> Iterator[tuple[dict, datetime.date, int, int]]:
    """(roster entry, day, seconds after 07:00 of the in punch, of the out punch) for the persons
    on site in the history projects, on every day of the history months."""
    rng = b.rng
    project_ids = {p["id"] for p in b.projects[: history_projects(b)]}
    days = [
        b.history_start + datetime.timedelta(days=n) for n in range((b.month_start - b.history_start).days)
    ]
    for entry in b.on_site_entries:
        if entry["project_id"] in project_ids:
            for day in days:
                came = IN_WINDOW[0] + rng.randrange(IN_WINDOW[1])
                yield entry, day, came, OUT_WINDOW[0] + rng.randrange(OUT_WINDOW[1])


def _summary(entry: dict, day: datetime.date, came: int, left: int) -> tuple:
    """The summary `attendance.summaries` computes for the day's in and out punch."""
    from attendance.summaries import summary_values

    start = datetime.datetime(day.year, day.month, day.day, 7, 0, tzinfo=SHANGHAI)
    came_at = start + datetime.timedelta(seconds=came)
    left_at = start + datetime.timedelta(seconds=left)
    return summary_values(
        entry["project_id"], (entry["person_id"], day, came_at, came_at, left_at, left_at, 2)
    )


def _summary_rows(b: Build) -> Iterator[dict]:
    for entry, day, came, left in summary_days(b):
        yield {
            f"{name}_id" if name in ("project", "person") else name: value
            for name, value in zip(COLUMNS, _summary(entry, day, came, left), strict=True)
        }


def _summary_lines(b: Build) -> Iterator[str]:
    """The same summaries as COPY text lines. Hours and presence depend only on the minutes
    between the two punches: computed once per possible gap by `attendance.summaries` itself."""
    clock = clock_times(7, OUT_WINDOW[0] + OUT_WINDOW[1])
    sample = {"project_id": 0, "person_id": 0}
    outcome: dict[int, str] = {}
    day_text: dict[datetime.date, str] = {}
    for entry, day, came, left in summary_days(b):
        gap = left - came
        tail = outcome.get(gap)
        if tail is None:
            *_, count, hours, present = _summary(sample, day, 0, gap)
            tail = outcome[gap] = f"{count}\t{hours}\t{'t' if present else 'f'}\n"
        date = day_text.get(day) or day_text.setdefault(day, day.isoformat())
        came_at, left_at = f"{date} {clock[came]}+08", f"{date} {clock[left]}+08"
        yield (
            f"{entry['project_id']}\t{entry['person_id']}\t{date}\t{came_at}\t{came_at}\t{left_at}\t"
            f"{left_at}\t{came_at}\t{left_at}\t{tail}"
        )
