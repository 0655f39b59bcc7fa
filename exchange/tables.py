import django_tables2 as tables
from django.middleware.csrf import get_token
from django.urls import reverse
from django.utils.html import format_html

from .models import OutboundRecord, RecordStatus

BADGES = {
    RecordStatus.INVALID: "text-bg-warning",
    RecordStatus.QUEUED: "text-bg-secondary",
    RecordStatus.SENDING: "text-bg-info",
    RecordStatus.SENT: "text-bg-info",
    RecordStatus.ACCEPTED: "text-bg-success",
    RecordStatus.REFUSED: "text-bg-danger",
}


class OutboundRecordTable(tables.Table):
    method = tables.Column(verbose_name="接口")
    label = tables.Column(verbose_name="对象", attrs={"td": {"class": "cell-wrap"}})
    status = tables.Column(verbose_name="状态")
    attempts = tables.Column(verbose_name="推送次数")
    message = tables.Column(verbose_name="说明", attrs={"td": {"class": "cell-wrap"}})
    updated_at = tables.DateTimeColumn(verbose_name="更新时间", format="Y-m-d H:i:s")
    actions = tables.Column(verbose_name="操作", accessor="pk", orderable=False, empty_values=())

    class Meta:
        model = OutboundRecord
        fields = ["method", "label", "status", "attempts", "message", "updated_at"]
        empty_text = "暂无数据对接记录"

    def __init__(self, *args, project, can_write, **kwargs):
        super().__init__(*args, **kwargs)
        self.project, self.can_write = project, can_write

    def render_status(self, record):
        return format_html(
            '<span class="badge {}">{}</span>', BADGES.get(record.status, ""), record.get_status_display()
        )

    def render_actions(self, record):
        if not (self.can_write and record.status == RecordStatus.REFUSED):
            return ""
        url = reverse("exchange:repush", kwargs={"project_id": self.project.pk, "record_id": record.pk})
        return format_html(
            '<form method="post" action="{}"><input type="hidden" name="csrfmiddlewaretoken" value="{}">'
            '<button class="btn btn-sm btn-outline-primary" type="submit" data-confirm="确定重新推送该记录？">'
            "重新推送</button></form>",
            url,
            get_token(self.request),
        )
