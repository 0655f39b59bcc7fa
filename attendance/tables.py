"""Tables of the attendance pages (django-tables2)."""

from __future__ import annotations

import django_tables2 as tables

from .models import Punch


class AnomalyTable(tables.Table):
    """异常考勤: punches that matched nobody on the roster, with their handling."""

    punched_at = tables.DateTimeColumn(verbose_name="打卡时间", format="Y-m-d H:i:s")
    name_as_sent = tables.Column(verbose_name="上报姓名", default="—")
    id_number_masked = tables.Column(verbose_name="证件号码", default="—")
    direction = tables.Column(verbose_name="方向")
    device = tables.Column(verbose_name="设备", accessor="device", default="—")
    anomaly_reason = tables.Column(verbose_name="异常原因", default="—")
    anomaly_status = tables.Column(verbose_name="处理状态")
    handling = tables.TemplateColumn(
        template_name="attendance/_anomaly_handling.html",
        verbose_name="处理",
        orderable=False,
        empty_values=(),
    )

    class Meta:
        model = Punch
        fields = [
            "punched_at",
            "name_as_sent",
            "id_number_masked",
            "direction",
            "device",
            "anomaly_reason",
            "anomaly_status",
        ]
        sequence = [*fields, "handling"]
        empty_text = "暂无异常考勤"
        attrs = {"class": "table table-sm table-hover align-middle", "data-testid": "anomaly-table"}
