"""工资支付台账 table: one line per sheet with its head count and sums."""

from __future__ import annotations

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html

from .models import PayrollStatus
from .money import as_yuan

STATUS_BADGES = {
    PayrollStatus.DRAFT: "text-bg-secondary",
    PayrollStatus.SUBMITTED: "text-bg-info",
    PayrollStatus.APPROVED: "text-bg-primary",
    PayrollStatus.PAID: "text-bg-success",
    PayrollStatus.CONFIRMED: "text-bg-dark",
}


def status_badge(payroll) -> str:
    return format_html(
        '<span class="badge {}" data-testid="payroll-status">{}</span>',
        STATUS_BADGES.get(payroll.status, "text-bg-light"),
        payroll.get_status_display(),
    )


class PayrollTable(tables.Table):
    pay_month = tables.DateColumn(verbose_name="工资月份", format="Y-m")
    unit = tables.Column(verbose_name="参建单位", accessor="unit__enterprise__name", order_by="unit")
    team = tables.Column(verbose_name="班组", accessor="team__name", order_by="team__name")
    workers = tables.Column(verbose_name="人数", orderable=False)
    total = tables.Column(
        verbose_name="应发合计(元)", orderable=False, default="0.00", attrs={"td": {"class": "text-end"}}
    )
    actual = tables.Column(
        verbose_name="实发合计(元)", orderable=False, default="0.00", attrs={"td": {"class": "text-end"}}
    )
    status = tables.Column(verbose_name="状态")
    balance_date = tables.DateColumn(verbose_name="发放日期", format="Y-m-d")
    actions = tables.Column(verbose_name="操作", empty_values=(), orderable=False, accessor="pk")

    class Meta:
        empty_text = "暂无工资支付表"
        attrs = {"class": "table table-sm table-hover align-middle", "data-testid": "payroll-table"}

    def render_total(self, value):
        return as_yuan(value)

    def render_actual(self, value):
        return as_yuan(value)

    def render_status(self, record):
        return status_badge(record)

    def render_actions(self, record):
        url = reverse("wages:detail", kwargs={"project_id": record.project_id, "payroll_id": record.pk})
        return format_html('<a class="btn btn-sm btn-outline-primary" href="{}">查看</a>', url)
