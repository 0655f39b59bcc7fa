from __future__ import annotations

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html

from .models import Training


class TrainingTable(tables.Table):
    training_date = tables.DateColumn("Y-m-d", verbose_name="培训日期")
    training_type = tables.Column(verbose_name="培训类型")
    name = tables.Column(verbose_name="培训名称")
    hours = tables.Column(verbose_name="时长（小时）")
    trainer = tables.Column(verbose_name="培训人")
    attendee_count = tables.Column(verbose_name="参训人数")
    passed_count = tables.Column(verbose_name="合格人数")
    actions = tables.Column(verbose_name="操作", empty_values=(), orderable=False, accessor="pk")

    class Meta:
        model = Training
        fields = (
            "training_date",
            "training_type",
            "name",
            "hours",
            "trainer",
            "attendee_count",
            "passed_count",
        )
        empty_text = "暂无培训记录"
        attrs = {"class": "table table-sm table-hover align-middle", "data-testid": "training-table"}

    def render_actions(self, record):
        url = reverse("training:detail", kwargs={"project_id": record.project_id, "training_id": record.pk})
        return format_html('<a class="btn btn-sm btn-outline-primary" href="{}">查看</a>', url)
