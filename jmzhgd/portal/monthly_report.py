"""月报: the bureau's monthly report to the city, by 区县, for a past month.

The page (with its A4 print) and the .xlsx that a background job keeps in 【我的导出】 render from the
same two tables (docs/architecture.md pattern 5). Every figure is a grouped query over the supervisor's scope
whose rows are bounded by districts × days or districts × rules, so a month of the city costs a
handful of queries (the month's daily summaries being the largest read): bench/README.md,
"月报 as a job".
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from functools import cache

from django.core.exceptions import ValidationError
from django.db.models import Count, DateField, Q, Value
from django.db.models.functions import Coalesce, Greatest, Least
from django.utils import timezone

from alerts.models import Alert
from alerts.registry import WORKER_REPORT_RULE, rule_label
from attendance.models import DailySummary
from contracts.models import Contract
from jmzhgd.core.excel import Sheet
from jmzhgd.core.months import month_back, month_end, next_month, parse_month
from jmzhgd.jobs.registry import Prepared, exporter
from projects.models import Project
from wages.arrears import overdue_months
from workforce.models import RosterEntry

from . import district_map
from .trends import wage_sheet_counts

MONTHLY_REPORT = "portal:monthly_report"
MONTHS_OFFERED = 24

DISTRICT_HEADER = [
    "区县",
    "项目数",
    "进场人数",
    "退场人数",
    "出勤率(%)",
    "签订合同",
    "工资表按期发放",
    "工资表应发",
    "欠薪(班组·月)",
    "新增预警",
    "工人反映",
]


@dataclass
class MonthlyReport:
    month: datetime.date
    scope_label: str
    generated_at: datetime.datetime
    district_rows: list[list] = field(default_factory=list)
    rule_header: list[str] = field(default_factory=list)
    rule_rows: list[list] = field(default_factory=list)

    @property
    def wage_month(self) -> datetime.date:
        """The wages due in this month are those of the month before (条例 art. 24)."""
        return month_back(self.month, 1)


def past_months(today: datetime.date, count: int = MONTHS_OFFERED) -> list[datetime.date]:
    """The months a report may be asked for, newest first: complete months only."""
    return [month_back(today, back) for back in range(1, count + 1)]


def parse_report_month(value, today: datetime.date) -> datetime.date:
    """'YYYY-MM' of a complete month (before this one); anything else is a ValidationError."""
    month = parse_month(value)
    if month is None or month >= today.replace(day=1) or month < datetime.date(2000, 1, 1):
        raise ValidationError("请选择已结束的月份（格式：年-月，如 2026-11）。")
    return month


def _by(queryset, *fields: str, value=None) -> dict:
    rows = queryset.order_by().values_list(*fields).annotate(n=value or Count("id"))
    return {row[:-1] if len(fields) > 1 else row[0]: row[-1] for row in rows}


def _attendance(projects, start: datetime.date, end: datetime.date) -> dict[str, tuple[int, int]]:
    """{district: (present person-days, on-site person-days)} over the month: a stay is on site
    from its entry date to the day before its exit date. Two grouped queries."""
    present = _by(
        DailySummary.objects.filter(project__in=projects, work_date__range=(start, end), is_present=True),
        "project__district",
    )
    after = end + datetime.timedelta(days=1)
    spans = (
        RosterEntry.objects.filter(project__in=projects, entry_date__lte=end)
        .filter(Q(exit_date__isnull=True) | Q(exit_date__gt=start))
        .order_by()
        .annotate(
            since=Greatest("entry_date", Value(start, output_field=DateField())),
            until=Least(Coalesce("exit_date", Value(after)), Value(after), output_field=DateField()),
        )
        .values_list("project__district", "since", "until")
        .annotate(n=Count("id"))
    )
    days: dict[str, int] = {}
    for district, since, until, n in spans:
        if until > since:
            days[district] = days.get(district, 0) + n * (until - since).days
    return {code: (present.get(code, 0), days.get(code, 0)) for code in set(present) | set(days)}


def build(user, month: datetime.date, today: datetime.date | None = None) -> MonthlyReport:
    """The month's figures over `user`'s scope, one row per 区县 of it and a total."""
    today = today or timezone.localdate()
    start, end = month, month_end(month)
    tz = timezone.get_current_timezone()
    since = datetime.datetime.combine(start, datetime.time.min, tzinfo=tz)
    until = datetime.datetime.combine(next_month(start), datetime.time.min, tzinfo=tz)
    scope = Project.objects.visible_to(user)
    districts = district_map.district_choices(user)
    report = MonthlyReport(
        month=month,
        scope_label=district_map.scope_label(user),
        generated_at=timezone.localtime(),
    )

    projects = _by(scope.filter(created_at__lt=until), "district")
    entered = _by(
        RosterEntry.objects.filter(project__in=scope, entry_date__range=(start, end)), "project__district"
    )
    left = _by(
        RosterEntry.objects.filter(project__in=scope, exit_date__range=(start, end)), "project__district"
    )
    attendance = _attendance(scope, start, end)
    contracts = _by(
        Contract.objects.filter(project__in=scope, start_date__range=(start, end)), "project__district"
    )
    wage_month = report.wage_month
    sheets = {
        row["project__district"]: row
        for row in wage_sheet_counts(scope, wage_month, month, today, by=("project__district",))
    }
    arrears: dict[str, int] = {}
    labels = dict(districts)
    codes = {label: code for code, label in labels.items()}
    for overdue in overdue_months(scope, today=today, window=0, also=[wage_month]):
        code = codes.get(overdue.district, overdue.district)
        arrears[code] = arrears.get(code, 0) + 1
    alerts = _by(
        Alert.objects.filter(project__in=scope, first_seen_at__gte=since, first_seen_at__lt=until),
        "project__district",
        "rule",
    )

    def row(label: str, codes_in: list[str]) -> list:
        present = sum(attendance.get(c, (0, 0))[0] for c in codes_in)
        on_site = sum(attendance.get(c, (0, 0))[1] for c in codes_in)
        return [
            label,
            sum(projects.get(c, 0) for c in codes_in),
            sum(entered.get(c, 0) for c in codes_in),
            sum(left.get(c, 0) for c in codes_in),
            round(present * 100.0 / on_site, 1) if on_site else 0.0,
            sum(contracts.get(c, 0) for c in codes_in),
            sum(sheets.get(c, {}).get("on_time", 0) for c in codes_in),
            sum(
                sheets.get(c, {}).get("paid", 0) + sheets.get(c, {}).get("overdue_unpaid", 0)
                for c in codes_in
            ),
            sum(arrears.get(c, 0) for c in codes_in),
            sum(n for (d, _rule), n in alerts.items() if d in codes_in),
            sum(n for (d, rule), n in alerts.items() if d in codes_in and rule == WORKER_REPORT_RULE),
        ]

    report.district_rows = [row(label, [code]) for code, label in districts]
    report.district_rows.append(row("合计", [code for code, _label in districts]))
    rules = sorted({rule for _d, rule in alerts}, key=rule_label)
    report.rule_header = ["预警规则", *(label for _code, label in districts), "合计"]
    report.rule_rows = [
        [rule_label(rule), *(alerts.get((code, rule), 0) for code, _l in districts)]
        + [sum(alerts.get((code, rule), 0) for code, _l in districts)]
        for rule in rules
    ]
    return report


def title(user, month: datetime.date) -> str:
    return f"{district_map.scope_label(user)} {month:%Y年%m月} 建筑工人实名制管理月报"


def rule_header(user) -> list[str]:
    return ["预警规则", *(label for _code, label in district_map.district_choices(user)), "合计"]


def report_sheets(user, month: datetime.date) -> list[Sheet]:
    """The .xlsx: the district table and the alerts by rule, from one report built when the
    workbook first asks for a row (in the job, not in the request that queues it)."""
    made = cache(lambda: build(user, month))

    def districts():
        yield from made().district_rows

    def rules():
        yield from made().rule_rows

    return [
        Sheet(
            "按区县", DISTRICT_HEADER, districts(), title=title(user, month), column_widths=[10] + [13] * 10
        ),
        Sheet(
            "预警按规则", rule_header(user), rules(), title=title(user, month), column_widths=[28] + [10] * 8
        ),
    ]


@exporter(MONTHLY_REPORT)
def prepare_monthly_report(project, params, user) -> Prepared:
    """月报 as a job: over the user's scope (no single project); the month is checked again."""
    month = parse_report_month(params.get("month"), timezone.localdate())
    sheets = report_sheets(user, month)
    rows = len(district_map.district_choices(user)) + 1
    return Prepared(
        label=f"月报 {month:%Y-%m}", filename=f"月报_{month:%Y-%m}.xlsx", sheets=sheets, rows=rows
    )
