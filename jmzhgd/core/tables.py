import copy

import django_tables2 as tables
from django.conf import settings
from django.utils.html import format_html
from django_tables2 import RequestConfig

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


# ASVS 5.0 V2.2.1 / V15.1.3: a page size from the query string is bounded, so one request cannot
# ask for the whole audit log (?per_page=1000000) or crash the paginator (?per_page=-1).
MAX_PER_PAGE = 100


def clamp_per_page(value, default: int) -> int:
    try:
        asked = int(str(value).strip())
    except (TypeError, ValueError):
        return default
    return min(max(asked, 1), MAX_PER_PAGE)


def paginate_table(request, table, per_page: int | None = None):
    """django-tables2's RequestConfig with the page size from ?per_page clamped to 1..MAX_PER_PAGE.

    Every list page paginates through here; RequestConfig reads request.GET itself, so it is handed
    a shallow copy of the request whose query string carries the clamped value.
    """
    default = per_page or settings.PAGE_SIZE
    field = table.prefixed_per_page_field
    shadow = request
    if field in request.GET:
        query = request.GET.copy()
        query[field] = str(clamp_per_page(query[field], default))
        shadow = copy.copy(request)
        shadow.GET = query
    RequestConfig(shadow, paginate={"per_page": default}).configure(table)
    table.request = request
    return table
