import copy

import django_tables2 as tables
from django.conf import settings
from django.core.paginator import Paginator
from django.utils.functional import cached_property
from django.utils.html import format_html
from django_tables2 import RequestConfig

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
            format_html('<details><summary class="small text-nowrap">查看</summary>{}</details>', table)
            if table
            else ""
        )


# ASVS 5.0 V2.2.1 / V15.1.3: a page size from the query string is bounded, so one request cannot
# ask for the whole audit log (?per_page=1000000) or crash the paginator (?per_page=-1).
MAX_PER_PAGE = 100


def clamp_per_page(value, default: int) -> int:
    try:
        asked = int(str(value).strip())
    except (TypeError, ValueError):
        return default
    return min(max(asked, 1), MAX_PER_PAGE)


class KnownCountPaginator(Paginator):
    """A paginator told its total (kept elsewhere, e.g. by the database) instead of counting the rows."""

    def __init__(self, object_list, per_page, *args, count: int, **kwargs):
        super().__init__(object_list, per_page, *args, **kwargs)
        self._known_count = count

    @cached_property
    def count(self) -> int:
        return self._known_count


def paginate_table(request, table, per_page: int | None = None, count: int | None = None):
    """django-tables2's RequestConfig with the page size from ?per_page clamped to 1..MAX_PER_PAGE.

    Every list page paginates through here; RequestConfig reads request.GET itself, so it is handed
    a shallow copy of the request whose query string carries the clamped value. `count`, when the
    caller knows the total, spares the paginator its COUNT(*) of the rows.
    """
    default = per_page or settings.PAGE_SIZE
    field = table.prefixed_per_page_field
    shadow = request
    if field in request.GET:
        query = request.GET.copy()
        query[field] = str(clamp_per_page(query[field], default))
        shadow = copy.copy(request)
        shadow.GET = query
    paginate = {"per_page": default}
    if count is not None:
        paginate.update(paginator_class=KnownCountPaginator, count=count)
    RequestConfig(shadow, paginate=paginate).configure(table)
    table.request = request
    return table
