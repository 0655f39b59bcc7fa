"""Daily summaries: derived from punches (DESIGN.md pattern 6), kept current on ingest, rebuildable.

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
from collections import defaultdict
from collections.abc import Iterable, Iterator
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Max, Min, Q

from jmzhgd.core.codes import Direction

from .models import AnomalyStatus, DailySummary, Punch

SHANGHAI = ZoneInfo("Asia/Shanghai")
SUMMARY_FIELDS = ["first_in", "last_out", "punch_count", "hours", "is_present"]
BATCH_SIZE = 2000


def shanghai_work_date(punched_at: datetime.datetime) -> datetime.date:
    """The attendance day of a punch: its date in Asia/Shanghai (00:30 local is that day, not the
    previous UTC day). Naive datetimes are taken as Shanghai local time."""
    if punched_at.tzinfo is None:
        return punched_at.date()
    return punched_at.astimezone(SHANGHAI).date()


def counted_punches(project_id: int | None = None):
    """The punches that count towards attendance (see the module docstring)."""
    queryset = Punch.objects.filter(person__isnull=False).filter(
        Q(is_anomaly=False) | Q(anomaly_status=AnomalyStatus.RESOLVED)
    )
    if project_id is not None:
        queryset = queryset.filter(project_id=project_id)
    return queryset


def _aggregate(queryset):
    return (
        queryset.order_by()
        .values("project_id", "person_id", "work_date")
        .annotate(
            first_in_dir=Min("punched_at", filter=Q(direction=Direction.IN)),
            first_any=Min("punched_at"),
            last_out_dir=Max("punched_at", filter=Q(direction=Direction.OUT)),
            last_any=Max("punched_at"),
            count=Count("id"),
        )
    )


def _hours(first_in, last_out) -> Decimal:
    if first_in is None or last_out is None or last_out <= first_in:
        return Decimal("0.00")
    hours = Decimal((last_out - first_in).total_seconds()) / Decimal(3600)
    return min(hours.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP), Decimal("999.99"))


def _summary_from(row: dict) -> DailySummary:
    first_in = row["first_in_dir"] or row["first_any"]
    last_out = row["last_out_dir"] or row["last_any"]
    hours = _hours(first_in, last_out)
    count = row["count"]
    return DailySummary(
        project_id=row["project_id"],
        person_id=row["person_id"],
        work_date=row["work_date"],
        first_in=first_in,
        last_out=last_out,
        punch_count=count,
        hours=hours,
        is_present=count >= settings.ATTENDANCE_MIN_PUNCHES
        and hours >= Decimal(str(settings.ATTENDANCE_MIN_HOURS)),
    )


def _upsert(summaries: list[DailySummary]) -> None:
    if summaries:
        DailySummary.objects.bulk_create(
            summaries,
            batch_size=BATCH_SIZE,
            update_conflicts=True,
            unique_fields=["project", "person", "work_date"],
            update_fields=SUMMARY_FIELDS,
        )


def _keys_filter(keys: set[tuple[int, datetime.date]], person_field: str = "person_id") -> Q:
    """(person, day) pairs as one index-friendly condition: OR over days of `day AND person IN (...)`."""
    by_day: dict[datetime.date, set[int]] = defaultdict(set)
    for person_id, day in keys:
        by_day[day].add(person_id)
    condition = Q()
    for day, person_ids in by_day.items():
        condition |= Q(work_date=day, **{f"{person_field}__in": sorted(person_ids)})
    return condition


def refresh_daily_summaries(project_id: int, keys: Iterable[tuple[int, datetime.date]]) -> None:
    """Recompute the summaries of these (person_id, work_date) pairs of one project from its punches.

    A constant number of queries: one grouped aggregate, one bulk upsert, one delete of summaries
    whose counted punches are gone. Runs in the caller's transaction (ingest calls it inside its own).
    """
    wanted = {(int(person_id), day) for person_id, day in keys if person_id is not None}
    if not wanted:
        return
    condition = _keys_filter(wanted)
    rows = [row for row in _aggregate(counted_punches(project_id).filter(condition))]
    summaries = [_summary_from(row) for row in rows if (row["person_id"], row["work_date"]) in wanted]
    _upsert(summaries)
    gone = wanted - {(s.person_id, s.work_date) for s in summaries}
    if gone:
        DailySummary.objects.filter(project_id=project_id).filter(_keys_filter(gone)).delete()


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
    summaries, aggregate its punches, insert in batches), so memory and lock time stay bounded.
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
        for start, end in _month_ranges(min(lows), max(highs)):
            with transaction.atomic():
                DailySummary.objects.filter(project_id=project_id, work_date__range=(start, end)).delete()
                batch: list[DailySummary] = []
                chunk = counted_punches(project_id).filter(work_date__range=(start, end))
                for row in _aggregate(chunk).iterator(chunk_size=BATCH_SIZE):
                    batch.append(_summary_from(row))
                    if len(batch) >= BATCH_SIZE:
                        _upsert(batch)
                        written += len(batch)
                        batch = []
                _upsert(batch)
                written += len(batch)
    return written
