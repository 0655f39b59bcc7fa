from __future__ import annotations

import django_tables2 as tables
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.http import urlencode

from jmzhgd.core.codes import District

from .coverage import gaps, ratio_of
from .models import DepositForm, DepositStatus


class CoverageTable(tables.Table):
    """One row per 总包 × 区县 (dicts from deposits.coverage.coverage_queryset)."""

    district = tables.Column(verbose_name="所在区县")
    contractor_name = tables.Column(verbose_name="总承包单位")
    project_count = tables.Column(verbose_name="项目数")
    under_construction = tables.Column(verbose_name="在建")
    deposit_contract_sum = tables.Column(verbose_name="施工合同额(元)", orderable=False)
    deposit_form = tables.Column(verbose_name="形式", orderable=False)
    deposit_amount = tables.Column(verbose_name="保证金(元)", orderable=False)
    deposit_balance = tables.Column(verbose_name="余额(元)", orderable=False)
    ratio = tables.Column(verbose_name="比例", empty_values=(), orderable=False)
    deposit_status = tables.Column(verbose_name="状态", empty_values=(), orderable=False)
    missing = tables.Column(verbose_name="缺口", empty_values=(), orderable=False)
    actions = tables.Column(verbose_name="操作", empty_values=(), orderable=False)

    class Meta:
        empty_text = "没有符合条件的总承包单位"
        attrs = {"class": "table table-sm table-hover align-middle", "data-testid": "deposit-coverage"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = timezone.localdate()

    def render_district(self, value):
        return District(value).label if value in District.values else value

    def render_contractor_name(self, record):
        return format_html(
            "{}<br><small class='text-muted'>{}</small>", record["contractor_name"], record["contractor_code"]
        )

    def render_deposit_form(self, value):
        return dict(DepositForm.choices).get(value, "—")

    def render_ratio(self, record):
        ratio = ratio_of(record)
        return f"{ratio}%" if ratio is not None else "—"

    def render_deposit_status(self, record):
        return dict(DepositStatus.choices).get(record["deposit_status"], "无")

    def render_missing(self, record):
        found = gaps(record, self.today)
        if not found:
            return format_html('<span class="text-success">{}</span>', "—")
        return format_html('<span class="text-danger fw-semibold">{}</span>', "、".join(found))

    def render_actions(self, record):
        if record["deposit_pk"] is not None:
            url = reverse("deposits:detail", kwargs={"deposit_id": record["deposit_pk"]})
            return format_html('<a class="btn btn-sm btn-outline-primary" href="{}">查看</a>', url)
        query = urlencode(
            {
                "contractor_code": record["contractor_code"],
                "contractor_name": record["contractor_name"],
                "district": record["district"],
            }
        )
        url = f"{reverse('deposits:create')}?{query}"
        return format_html('<a class="btn btn-sm btn-primary" href="{}">登记</a>', url)

    def value_district(self, value):
        return self.render_district(value)

    def value_ratio(self, record):
        return ratio_of(record)
