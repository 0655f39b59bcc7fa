"""The alert tables: the 预警中心's (with district and project) and a project's own."""

from __future__ import annotations

import django_tables2 as tables
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from .models import Alert, AlertState

STATE_BADGES = {
    AlertState.OPEN: "text-bg-danger",
    AlertState.IN_PROGRESS: "text-bg-warning",
    AlertState.RESOLVED: "text-bg-success",
    AlertState.IGNORED: "text-bg-secondary",
}


def state_badge(alert: Alert) -> str:
    return format_html(
        '<span class="badge {}">{}</span>', STATE_BADGES[alert.state], alert.get_state_display()
    )


def age_days(alert: Alert) -> int:
    """Days from first seen to now (or to the day its cause went)."""
    end = alert.cleared_at or timezone.now()
    return (end - alert.first_seen_at).days


class ProjectAlertTable(tables.Table):
    rule = tables.Column(verbose_name="预警规则")
    subject_label = tables.Column(verbose_name="对象")
    first_seen_at = tables.DateTimeColumn(verbose_name="首次发现", format="Y-m-d H:i")
    last_seen_at = tables.DateTimeColumn(verbose_name="最近发现", format="Y-m-d H:i")
    age = tables.Column(verbose_name="持续天数", empty_values=(), order_by=("-first_seen_at",))
    state = tables.Column(verbose_name="处理状态")
    detail = tables.Column(verbose_name="", empty_values=(), orderable=False)

    class Meta:
        model = Alert
        fields = ["rule", "subject_label", "first_seen_at", "last_seen_at", "age", "state"]
        sequence = [*fields, "detail"]
        empty_text = "没有符合条件的预警"
        attrs = {"class": "table table-sm table-hover align-middle", "data-testid": "alert-table"}

    def render_rule(self, record):
        return record.rule_label

    def render_age(self, record):
        return age_days(record)

    def render_state(self, record):
        return state_badge(record)

    def render_detail(self, record):
        url = reverse("alerts:detail", kwargs={"project_id": record.project_id, "alert_id": record.pk})
        return format_html('<a href="{}">查看/处理</a>', url)


class AlertTable(ProjectAlertTable):
    district = tables.Column(verbose_name="区县", accessor="project__district")
    project = tables.Column(verbose_name="项目", accessor="project__name")

    class Meta(ProjectAlertTable.Meta):
        fields = [
            "rule",
            "district",
            "project",
            "subject_label",
            "first_seen_at",
            "last_seen_at",
            "age",
            "state",
        ]
        sequence = [*fields, "detail"]

    def render_district(self, record):
        return record.project.get_district_display()
