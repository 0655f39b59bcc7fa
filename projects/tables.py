"""Tables of the supervisor's lists (sortable; constant queries per page)."""

from __future__ import annotations

import django_tables2 as tables
from django.utils.html import format_html

from jmzhgd.accounts.models import User

from .models import Declaration, DeclarationStatus, Project

STATUS_BADGES = {
    DeclarationStatus.PENDING: "warning text-dark",
    DeclarationStatus.APPROVED: "success",
    DeclarationStatus.REJECTED: "secondary",
}


class ProjectTable(tables.Table):
    code = tables.Column(verbose_name="项目编码")
    name = tables.LinkColumn("projects:card", args=[tables.A("pk")], verbose_name="项目名称")
    district = tables.Column(verbose_name="区县")
    category = tables.Column(verbose_name="分类")
    status = tables.Column(verbose_name="状态")
    workers_on_site = tables.Column(verbose_name="在场人员", attrs={"td": {"class": "text-end"}})
    created_at = tables.DateColumn(verbose_name="入库日期", format="Y-m-d")
    overview = tables.LinkColumn(
        "projects:overview", args=[tables.A("pk")], text="项目总览", verbose_name="", orderable=False
    )

    class Meta:
        model = Project
        fields = ["code", "name", "district", "category", "status", "workers_on_site", "created_at"]
        sequence = [*fields, "overview"]
        empty_text = "没有符合条件的项目"
        attrs = {"class": "table table-sm table-hover align-middle", "data-testid": "project-table"}


class DeclarationTable(tables.Table):
    number = tables.LinkColumn("projects:review_detail", args=[tables.A("pk")], verbose_name="申报编号")
    name = tables.Column(verbose_name="项目名称")
    district = tables.Column(verbose_name="区县")
    builder_name = tables.Column(verbose_name="建设单位")
    contact_name = tables.Column(verbose_name="联系人")
    created_at = tables.DateTimeColumn(verbose_name="提交时间", format="Y-m-d H:i")
    status = tables.Column(verbose_name="审核状态")
    reviewed_at = tables.DateTimeColumn(verbose_name="审核时间", format="Y-m-d H:i", default="—")

    class Meta:
        model = Declaration
        fields = [
            "number",
            "name",
            "district",
            "builder_name",
            "contact_name",
            "created_at",
            "status",
            "reviewed_at",
        ]
        empty_text = "没有符合条件的申报"
        attrs = {"class": "table table-sm table-hover align-middle", "data-testid": "declaration-table"}

    def render_status(self, record, value):
        return format_html(
            '<span class="badge bg-{}">{}</span>', STATUS_BADGES.get(record.status, "light"), value
        )

    def order_status(self, queryset, is_descending):
        return queryset.order_by(("-" if is_descending else "") + "status_rank", "-created_at"), True


class AccountTable(tables.Table):
    username = tables.Column(verbose_name="账号")
    project = tables.LinkColumn(
        "projects:card", args=[tables.A("project_id")], accessor="project__name", verbose_name="项目"
    )
    district = tables.Column(
        accessor="project__get_district_display", verbose_name="区县", order_by="project__district"
    )
    is_active = tables.Column(verbose_name="状态")
    must_change_password = tables.BooleanColumn(verbose_name="待修改初始密码", yesno="是,否")
    last_login = tables.DateTimeColumn(verbose_name="最近登录", format="Y-m-d H:i", default="从未登录")
    actions = tables.TemplateColumn(
        template_name="projects/_account_actions.html", verbose_name="操作", orderable=False
    )

    class Meta:
        model = User
        fields = ["username", "project", "district", "is_active", "must_change_password", "last_login"]
        sequence = [*fields, "actions"]
        empty_text = "没有符合条件的项目账号"
        attrs = {"class": "table table-sm table-hover align-middle", "data-testid": "account-table"}

    def render_is_active(self, value):
        if value:
            return format_html('<span class="badge bg-success">{}</span>', "启用")
        return format_html('<span class="badge bg-secondary">{}</span>', "停用")


class DashboardProjectTable(tables.Table):
    """Workers on site and today's attendance per project (监管总览)."""

    name = tables.LinkColumn("projects:overview", args=[tables.A("pk")], verbose_name="项目")
    district = tables.Column(verbose_name="区县")
    status = tables.Column(verbose_name="状态")
    workers_on_site = tables.Column(verbose_name="在场人员", attrs={"td": {"class": "text-end"}})
    present_today = tables.Column(verbose_name="今日出勤", attrs={"td": {"class": "text-end"}})
    rate = tables.Column(
        verbose_name="今日出勤率", empty_values=(), orderable=False, attrs={"td": {"class": "text-end"}}
    )
    # Adds the project's line to the dashboard's attendance trend (keeping a district filter).
    trend = tables.TemplateColumn(
        '<a href="?{% if request.GET.district %}district={{ request.GET.district|urlencode }}&amp;{% endif %}'
        'project={{ record.pk }}#trends" aria-label="{{ record.name }}的出勤率趋势">趋势</a>',
        verbose_name="出勤率趋势",
        orderable=False,
    )

    class Meta:
        model = Project
        fields = ["name", "district", "status", "workers_on_site", "present_today"]
        sequence = [*fields, "rate", "trend"]
        empty_text = "暂无项目"
        attrs = {"class": "table table-sm table-hover align-middle mb-0", "data-testid": "attendance-table"}

    def render_rate(self, record):
        if not record.workers_on_site:
            return "0.0%"
        return f"{record.present_today * 100.0 / record.workers_on_site:.1f}%"
