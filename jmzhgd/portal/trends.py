"""The supervisor dashboard's trends: 30 days of attendance rate (the scope, a 区县, a project), 12
months of wage sheets paid on time or not, 12 weeks of alerts opened and closed.

Each series is a few grouped queries whose rows are bounded by the window (days, months, weeks), not
by the city's size. They still read a month of daily summaries and stays: about 60 ms on the
benchmark's city (2026-12-07), twice the rest of the page (bench/README.md). Trends move by the day,
so a computed set is kept for TREND_CACHE_SECONDS per scope, filter and date.
"""

from __future__ import annotations

import datetime
import hashlib

from django.core.cache import cache
from django.db.models import Count, DateField, F, IntegerField, Q, Value
from django.db.models.functions import Coalesce, ExtractDay, ExtractMonth, ExtractYear, Greatest, TruncWeek
from django.utils import timezone

from alerts.models import ACTIVE_STATES, Alert
from attendance.models import DailySummary
from jmzhgd.core.months import month_back
from wages.models import PAID_STATES, Payroll
from wages.months import DEFAULT_PAY_DAY
from workforce.models import ProjectSiteCount, RosterEntry

TREND_DAYS = 30
WAGE_MONTHS = 12
ALERT_WEEKS = 12
TREND_CACHE_SECONDS = 600


def _rate(part: int, whole: int) -> float:
    return round(part * 100.0 / whole, 1) if whole else 0.0


def attendance_rates(projects, today: datetime.date, days: int = TREND_DAYS) -> list[float]:
    """Each day's attendance rate (present ÷ on site that day) over `projects`: three queries.

    On site on day d = stays entered by d and not left by d. The stays still open that began before
    the window are on site every day of it (the kept counts less the recent entries); only the
    stays that entered or left within the window are read, grouped by their dates.
    """
    start = today - datetime.timedelta(days=days - 1)
    present = dict(
        DailySummary.objects.filter(project__in=projects, work_date__range=(start, today), is_present=True)
        .order_by()
        .values_list("work_date")
        .annotate(n=Count("id"))
        .values_list("work_date", "n")
    )
    open_now = sum(
        ProjectSiteCount.objects.filter(project__in=projects).values_list("on_site_count", flat=True)
    )
    moves = (
        RosterEntry.objects.filter(project__in=projects)
        .filter(Q(exit_date__isnull=True, entry_date__gt=start) | Q(exit_date__gt=start))
        .order_by()
        .annotate(since=Greatest("entry_date", Value(start, output_field=DateField())))
        .values_list("since", "exit_date")
        .annotate(n=Count("id"))
    )
    moves = [(since, left, n) for since, left, n in moves]
    open_before = open_now - sum(n for _since, left, n in moves if left is None)
    rates = []
    for offset in range(days):
        day = start + datetime.timedelta(days=offset)
        on_site = open_before + sum(
            n for since, left, n in moves if since <= day and (left is None or left > day)
        )
        rates.append(_rate(present.get(day, 0), on_site))
    return rates


def wage_sheet_counts(
    projects, first: datetime.date, stop: datetime.date, today: datetime.date, by=("pay_month",)
):
    """Wage sheets of the pay months in [first, stop), grouped by `by`: how many were paid by the
    project's 工资支付日期 (`on_time`), paid at all (`paid`), and unpaid with the date passed
    (`overdue_unpaid`) as of `today`. One grouped query: the date each sheet was due is worked out
    in SQL from its month and the project's pay day."""
    today_index = today.year * 12 + today.month
    paid = Q(status__in=PAID_STATES, balance_date__isnull=False)
    on_time = paid & (
        Q(paid_index__lt=F("due_index")) | Q(paid_index=F("due_index"), paid_day__lte=F("pay_day"))
    )
    due_passed = Q(due_index__lt=today_index) | Q(due_index=today_index, pay_day__lt=today.day)
    return (
        Payroll.objects.filter(project__in=projects, pay_month__gte=first, pay_month__lt=stop)
        .order_by()
        .annotate(
            due_index=ExtractYear("pay_month") * 12 + ExtractMonth("pay_month") + 1,
            paid_index=ExtractYear("balance_date") * 12 + ExtractMonth("balance_date"),
            paid_day=ExtractDay("balance_date"),
            pay_day=Coalesce(
                "project__wage_account__pay_day", Value(DEFAULT_PAY_DAY), output_field=IntegerField()
            ),
        )
        .values(*by)
        .annotate(
            on_time=Count("id", filter=on_time),
            paid=Count("id", filter=paid),
            overdue_unpaid=Count("id", filter=~paid & due_passed),
        )
    )


def wage_months(projects, today: datetime.date, months: int = WAGE_MONTHS) -> list[dict]:
    """Per pay month of the last `months`: the wage sheets paid on time, paid late, and still unpaid
    past the pay day. Team-months without any sheet are arrears too; the arrears page and the 月报
    count them, not this chart."""
    rows = wage_sheet_counts(projects, month_back(today, months), today.replace(day=1), today)
    found = {row["pay_month"]: row for row in rows}
    result = []
    for back in range(months, 0, -1):
        month = month_back(today, back)
        row = found.get(month, {"on_time": 0, "paid": 0, "overdue_unpaid": 0})
        result.append(
            {
                "month": month,
                "on_time": row["on_time"],
                "late": row["paid"] - row["on_time"],
                "unpaid": row["overdue_unpaid"],
            }
        )
    return result


def alert_weeks(projects, today: datetime.date, weeks: int = ALERT_WEEKS) -> list[dict]:
    """Per week (Monday first) of the last `weeks`: alerts opened, and alerts closed (their cause
    gone, or handled as 已处理/已忽略): two grouped queries."""
    monday = today - datetime.timedelta(days=today.weekday())
    first = monday - datetime.timedelta(weeks=weeks - 1)
    tz = timezone.get_current_timezone()
    since = datetime.datetime.combine(first, datetime.time.min, tzinfo=tz)
    alerts = Alert.objects.filter(project__in=projects).order_by()
    opened = (
        alerts.filter(first_seen_at__gte=since)
        .annotate(week=TruncWeek("first_seen_at"))
        .values_list("week")
        .annotate(n=Count("id"))
    )
    closed = (
        alerts.filter(
            Q(cleared_at__gte=since)
            | (Q(cleared_at__isnull=True, handled_at__gte=since) & ~Q(state__in=ACTIVE_STATES))
        )
        .annotate(week=TruncWeek(Coalesce("cleared_at", "handled_at")))
        .values_list("week")
        .annotate(n=Count("id"))
    )

    def by_week(rows) -> dict[datetime.date, int]:
        counts: dict[datetime.date, int] = {}
        for week, n in rows:
            day = timezone.localtime(week, tz).date() if isinstance(week, datetime.datetime) else week
            counts[day] = counts.get(day, 0) + n
        return counts

    opened, closed = by_week(opened), by_week(closed)
    return [
        {"week": week, "opened": opened.get(week, 0), "closed": closed.get(week, 0)}
        for week in (first + datetime.timedelta(weeks=i) for i in range(weeks))
    ]


# Okabe-Ito colours (told apart with the common colour-vision deficiencies), the orange darkened:
# each at least 3:1 against the white card (WCAG 1.4.11).
BLUE, VERMILLION, GREEN, ORANGE = "#0072B2", "#D55E00", "#009E73", "#B07800"


def _chart(
    chart_id: str, title: str, kind: str, unit: str, labels: list[str], series: list[tuple], colours=()
) -> dict:
    return {
        "id": chart_id,
        "title": title,
        "kind": kind,
        "unit": unit,
        "labels": labels,
        "series": [
            {"label": label, "values": values, "colour": colour}
            for (label, values), colour in zip(series, colours, strict=False)
        ],
        "rows": [[label, *(values[i] for _l, values in series)] for i, label in enumerate(labels)],
    }


def dashboard_trends(
    scope, today: datetime.date, *, scope_label: str, district=None, project=None
) -> list[dict]:
    """The three charts of 监管总览 (with their data tables), kept in the cache for a while.

    `scope` is the user's visible projects; `district` ((code, label)) and `project` add their own
    attendance line; the wage and alert charts follow the narrowest of them."""
    in_district = scope.filter(district=district[0]) if district else None
    narrowed = scope if in_district is None else in_district
    if project is not None:
        narrowed = scope.filter(pk=project.pk)
    key_source = f"{scope.query}|{district}|{project and project.pk}|{today}"
    key = "dashboard-trends:" + hashlib.sha256(key_source.encode()).hexdigest()[:32]
    cached = cache.get(key)
    if cached is not None:
        return cached
    start = today - datetime.timedelta(days=TREND_DAYS - 1)
    day_labels = [f"{start + datetime.timedelta(days=i):%m-%d}" for i in range(TREND_DAYS)]
    lines = [(scope_label, attendance_rates(scope, today))]
    if district:
        lines.append((district[1], attendance_rates(in_district, today)))
    if project is not None:
        lines.append((project.name, attendance_rates(narrowed, today)))
    wages = wage_months(narrowed, today)
    weeks = alert_weeks(narrowed, today)
    charts = [
        _chart(
            "attendance-trend",
            "近 30 天出勤率（%）",
            "line",
            "%",
            day_labels,
            lines,
            (BLUE, VERMILLION, GREEN),
        ),
        _chart(
            "wages-trend",
            "近 12 个月工资表发放（张）",
            "bar",
            "张",
            [f"{w['month']:%Y-%m}" for w in wages],
            [
                ("按期发放", [w["on_time"] for w in wages]),
                ("逾期发放", [w["late"] for w in wages]),
                ("逾期未发放", [w["unpaid"] for w in wages]),
            ],
            (GREEN, ORANGE, VERMILLION),
        ),
        _chart(
            "alerts-trend",
            "近 12 周预警新增与关闭（条）",
            "bar",
            "条",
            [f"{w['week']:%m-%d}起" for w in weeks],
            [("新增", [w["opened"] for w in weeks]), ("关闭", [w["closed"] for w in weeks])],
            (VERMILLION, BLUE),
        ),
    ]
    cache.set(key, charts, TREND_CACHE_SECONDS)
    return charts
