"""Stage five (scales with history only): daily summaries of the months before the punch month.

A platform keeps years of attendance (the regulations: at least three), so the province scale
stores a year of daily summaries for a city's worth of people (`Scale.history_months`,
`Scale.history_on_site`) beside the punch month: the month grid and the figures must not slow down
as months pile up. Only summaries are written for those months (the raw punches of a year would
add 44 M rows that no scenario reads); each row is what `attendance.summaries` computes for a day
with one 入场 punch between 07:00 and 08:30 and one 出场 punch between 17:00 and 18:30. (Being
without punches, these months would be emptied by a rebuild of their summaries; the benchmark
rebuilds only the days its ingestion probe writes to, in the punch month.)
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from .plan import SHANGHAI, Build


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


def build_history(b: Build) -> None:
    from attendance.models import DailySummary
    from attendance.summaries import summary_values

    if not b.scale.history_months:
        return
    rng, history_start = b.rng, b.history_start
    project_ids = {p["id"] for p in b.projects[: history_projects(b)]}
    entries = [e for e in b.on_site_entries if e["project_id"] in project_ids]
    days = [history_start + datetime.timedelta(days=n) for n in range((b.month_start - history_start).days)]
    columns = (
        "project_id",
        "person_id",
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

    def rows() -> Iterator[dict]:
        for entry in entries:
            project_id, person_id = entry["project_id"], entry["person_id"]
            for day in days:
                start = datetime.datetime(day.year, day.month, day.day, 7, 0, tzinfo=SHANGHAI)
                came = start + datetime.timedelta(seconds=rng.randrange(5400))
                left = start + datetime.timedelta(seconds=36000 + rng.randrange(5400))
                values = summary_values(project_id, (person_id, day, came, came, left, left, 2))
                yield dict(zip(columns, values, strict=True))

    b.step("history summaries", lambda: b.writer.write(DailySummary, rows(), with_id=False))
    if b.writer.is_postgres:
        with b.writer.connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {DailySummary._meta.db_table}")
