from __future__ import annotations

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html

from .models import CreditRecord


class CreditRecordTable(tables.Table):
    """The records list; `detail_url(record)` (given by the page) says where 【查看】 goes."""

    start_date = tables.DateColumn("Y-m-d", verbose_name="发生/列入日期")
    kind = tables.Column(verbose_name="类型")
    subject = tables.Column(verbose_name="对象", empty_values=(), orderable=False)
    category = tables.Column(verbose_name="类别", empty_values=(), orderable=False)
    issuer = tables.Column(verbose_name="认定/发布单位")
    end_date = tables.DateColumn("Y-m-d", verbose_name="有效期至/移出日期")
    status = tables.Column(verbose_name="状态", empty_values=(), orderable=False)
    actions = tables.Column(verbose_name="操作", empty_values=(), orderable=False, accessor="pk")

    class Meta:
        model = CreditRecord
        fields = ("start_date", "kind", "subject", "category", "issuer", "end_date", "status")
        empty_text = "暂无诚信记录"
        attrs = {"class": "table table-sm table-hover align-middle", "data-testid": "credit-table"}

    def __init__(self, *args, project=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.project = project

    def render_subject(self, record):
        return f"{record.subject_label}：{record.subject_name}"

    def render_category(self, record):
        return record.category_label or "—"

    def render_status(self, record):
        pending = getattr(record, "pending_objections", 0)
        return f"{record.state_label}（申诉待答复）" if pending else record.state_label

    def render_actions(self, record):
        if self.project is not None:
            url = reverse("credit:project_detail", args=[self.project.pk, record.pk])
        else:
            url = reverse("credit:detail", args=[record.pk])
        return format_html('<a class="btn btn-sm btn-outline-primary" href="{}">查看</a>', url)
