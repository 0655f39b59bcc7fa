import django_tables2 as tables
from django.utils.html import format_html

from .audit_actions import action_label
from .models import AuditLog


class AuditLogTable(tables.Table):
    created_at = tables.DateTimeColumn(verbose_name="时间", format="Y-m-d H:i:s")
    project = tables.Column(verbose_name="项目", empty_values=(), default="—")
    changes = tables.TemplateColumn(
        template_name="core/_audit_changes.html", verbose_name="修改内容", orderable=False
    )

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

    def render_action(self, value):
        return format_html('{}<div class="text-muted small">{}</div>', action_label(value), value)
