"""The supervisor map's figures: one row per 区县 for the choropleth, and each located project's
worst open alert for the colour of its pin (监管总览).

Every figure is one grouped query over the user's scope (a handful of rows per district, or one row
per project with an open alert), so the page's query count does not grow with the city.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Case, Count, IntegerField, Max, Sum, Value, When

from alerts.models import PendingAlertCount
from alerts.registry import rule_label
from alerts.wage_rules import WAGE_RULE
from attendance.models import DailySummary
from jmzhgd.core.codes import District
from workforce.models import ProjectSiteCount

# What a supervisor may shade the districts by: (key, label, unit).
METRICS = (
    ("on_site", "在场人员", "人"),
    ("rate", "今日出勤率", "%"),
    ("alerts", "待处理预警", "条"),
    ("arrears", "欠薪（班组·月）", "个"),
)
METRIC_KEYS = tuple(key for key, _label, _unit in METRICS)

# How grave an open alert is, for the colour of its project's pin (3 = 严重). Unpaid wages, a worker's
# own complaint and an under-age or over-age worker come first (条例 art. 24, 劳动法 art. 15); gaps in
# the record that hide who is on site next; the rest are reminders.
SEVERITY = {
    WAGE_RULE: 3,
    "worker_report": 3,
    "age_limit": 3,
    "no_attendance": 2,
    "contract_missing": 2,
    "double_site": 2,
    "device_silent": 2,
}
SEVERITY_LABELS = {0: "无待处理预警", 1: "一般预警", 2: "较重预警", 3: "严重预警"}


@dataclass
class DistrictRow:
    code: str
    name: str
    projects: int
    on_site: int
    present: int
    alerts: int
    arrears: int

    @property
    def rate(self) -> float:
        return round(self.present * 100.0 / self.on_site, 1) if self.on_site else 0.0

    def as_json(self) -> dict:
        return {
            "code": self.code,
            "name": self.name,
            "projects": self.projects,
            **{key: getattr(self, key) for key in METRIC_KEYS},
        }


def _by_district(queryset, field: str, value) -> dict[str, int]:
    return dict(queryset.order_by().values_list(field).annotate(n=value).values_list(field, "n"))


def district_rows(projects, districts, today) -> list[DistrictRow]:
    """The choropleth's figures for each of `districts` ((code, label) pairs) over `projects`
    (a scoped Project queryset): four grouped queries."""
    project_counts = _by_district(projects, "district", Count("id"))
    on_site = _by_district(
        ProjectSiteCount.objects.filter(project__in=projects), "project__district", Sum("on_site_count")
    )
    present = _by_district(
        DailySummary.objects.filter(project__in=projects, work_date=today, is_present=True),
        "project__district",
        Count("id"),
    )
    alerts: dict[str, int] = {}
    arrears: dict[str, int] = {}
    pending = (
        PendingAlertCount.objects.filter(project__in=projects)
        .order_by()
        .values_list("project__district", "rule")
        .annotate(total=Sum("n"))
    )
    for district, rule, n in pending:
        alerts[district] = alerts.get(district, 0) + n
        if rule == WAGE_RULE:
            arrears[district] = arrears.get(district, 0) + n
    return [
        DistrictRow(
            code=code,
            name=name,
            projects=project_counts.get(code, 0),
            on_site=on_site.get(code, 0) or 0,
            present=present.get(code, 0),
            alerts=alerts.get(code, 0),
            arrears=arrears.get(code, 0),
        )
        for code, name in districts
    ]


def _severity_case():
    return Case(
        *[When(rule=rule, then=Value(level)) for rule, level in SEVERITY.items()],
        default=Value(1),
        output_field=IntegerField(),
    )


def worst_alerts(projects) -> dict[int, int]:
    """{project id: severity of its worst pending alert} for the located projects that have one."""
    rows = (
        PendingAlertCount.objects.filter(
            project__in=projects.filter(lat__isnull=False, lng__isnull=False), n__gt=0
        )
        .order_by()
        .values_list("project_id")
        .annotate(level=Max(_severity_case()))
        .values_list("project_id", "level")
    )
    return dict(rows)


def severity_legend() -> list[dict]:
    """The pin colours, worst first, with the rules behind each (the map's legend)."""
    rules_by_level: dict[int, list[str]] = {}
    for rule, level in SEVERITY.items():
        rules_by_level.setdefault(level, []).append(rule_label(rule))
    return [
        {"level": level, "label": SEVERITY_LABELS[level], "rules": "、".join(rules_by_level.get(level, []))}
        for level in (3, 2, 1, 0)
    ]


def district_choices(user) -> list[tuple[str, str]]:
    """The 区县 a supervisor oversees (all seven for the city's)."""
    if not user.is_superuser and user.districts:
        return [(v, label) for v, label in District.choices if v in user.districts]
    return list(District.choices)


def scope_label(user) -> str:
    """全市, or the supervisor's 区县 by name."""
    return "全市" if len(district_choices(user)) == len(District.choices) else user.district_labels
