import django_tables2 as tables
from django.utils.html import format_html

from .audit_actions import action_label
from .audit_display import changes_table, object_link, persons_of_entries
from .models import AuditLog


class AuditLogTable(tables.Table):
    created_at = tables.DateTimeColumn(verbose_name="时间", format="Y-m-d H:i:s")
    object_repr = tables.Column(verbose_name="对象", attrs={"td": {"class": "cell-wrap"}})
    summary = tables.Column(verbose_name="说明", attrs={"td": {"class": "cell-wrap"}})
    action = tables.Column(verbose_name="操作", attrs={"td": {"class": "text-nowrap"}})
    # A supervisor's own login belongs to no project: an empty cell, not 「None」.
    project = tables.Column(verbose_name="项目", empty_values=(None, ""), default="")
    changes = tables.Column(verbose_name="修改内容", accessor="pk", orderable=False)

    class Meta:
        model = AuditLog
        fields = ["created_at", "actor_label", "ip", "action", "summary", "object_repr", "project"]
        sequence = [
            "created_at",
            "actor_label",
            "ip",
            "action",
            "summary",
            "object_repr",
            "project",
            "changes",
        ]
        empty_text = "暂无记录"

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self._persons = None

    def render_action(self, value):
        return action_label(value)

    def render_object_repr(self, record):
        if self._persons is None:
            rows = self.page.object_list if getattr(self, "page", None) else self.rows
            self._persons = persons_of_entries([row.record for row in rows])
        return object_link(record, self.user, self._persons)

    def render_changes(self, record):
        table = changes_table(record)
        return (
            format_html('<details><summary class="small text-nowrap">查看</summary>{}</details>', table) if table else ""
        )
