"""List tables. The page and the .xlsx export both read rows from these tables (`as_values`)."""

from __future__ import annotations

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html

from .models import Enterprise, ParticipatingUnit, Team

EMPTY = "—"


def _status_badge(record) -> str:
    css = "success" if record.is_on_site else "secondary"
    return format_html('<span class="badge text-bg-{}">{}</span>', css, record.status_label)


class DetailLinkColumn(tables.Column):
    """A cell linking to the row's detail page inside its project; plain text in exports."""

    def __init__(self, *args, url_name: str, **kwargs):
        self.url_name = url_name
        super().__init__(*args, **kwargs)

    def render(self, record, value):
        url = reverse(self.url_name, args=[record.project_id, record.pk])
        return format_html('<a href="{}">{}</a>', url, value)

    def value(self, value):
        return value


class DatesMixin(tables.Table):
    entry_date = tables.DateColumn(verbose_name="进场日期", format="Y-m-d")
    exit_date = tables.DateColumn(verbose_name="退场日期", format="Y-m-d", default=EMPTY)
    status = tables.Column(verbose_name="状态", accessor="exit_date", orderable=False, empty_values=())

    def render_status(self, record):
        return _status_badge(record)

    def value_status(self, record):
        return record.status_label

    def value_entry_date(self, value):
        return value

    def value_exit_date(self, value):
        return value


class EnterpriseTable(tables.Table):
    name = tables.Column(
        verbose_name="企业名称", linkify=("enterprises:detail", {"enterprise_id": tables.A("pk")})
    )
    reg_type = tables.Column(verbose_name="登记注册类型", default=EMPTY)
    district = tables.Column(verbose_name="所在区县", default=EMPTY)
    actions = tables.TemplateColumn(
        template_name="enterprises/_enterprise_actions.html", verbose_name="操作", orderable=False
    )

    class Meta:
        model = Enterprise
        fields = ["credit_code", "name", "reg_type", "district", "legal_rep", "contact_name", "contact_phone"]
        sequence = [*fields, "actions"]
        empty_text = "企业库中没有符合条件的企业"


class UnitTable(DatesMixin):
    enterprise = DetailLinkColumn(
        url_name="enterprises:unit_detail",
        verbose_name="企业名称",
        accessor="enterprise__name",
        order_by="enterprise__name",
    )
    credit_code = tables.Column(verbose_name="统一社会信用代码", accessor="enterprise__credit_code")
    corp_type = tables.Column(verbose_name="参建单位类型")
    pm_name = tables.Column(verbose_name="项目负责人", default=EMPTY)
    teams_on_site = tables.Column(verbose_name="在场班组数")
    workers_on_site = tables.Column(verbose_name="在场人数")
    actions = tables.TemplateColumn(
        template_name="enterprises/_unit_actions.html", verbose_name="操作", orderable=False
    )

    class Meta:
        model = ParticipatingUnit
        fields = []
        sequence = [
            "enterprise",
            "credit_code",
            "corp_type",
            "status",
            "entry_date",
            "exit_date",
            "pm_name",
            "teams_on_site",
            "workers_on_site",
            "actions",
        ]
        empty_text = "暂无参建单位"
        attrs = {"class": "table table-sm table-hover align-middle", "data-testid": "unit-table"}


class TeamTable(DatesMixin):
    name = DetailLinkColumn(verbose_name="班组名称", url_name="enterprises:team_detail")
    unit = tables.Column(
        verbose_name="所属参建单位", accessor="unit__enterprise__name", order_by="unit__enterprise__name"
    )
    team_type = tables.Column(verbose_name="班组类型")
    leader_name = tables.Column(verbose_name="班组长", default=EMPTY)
    members_on_site = tables.Column(verbose_name="在场人数")
    actions = tables.TemplateColumn(
        template_name="enterprises/_team_actions.html", verbose_name="操作", orderable=False
    )

    class Meta:
        model = Team
        fields = []
        sequence = [
            "name",
            "unit",
            "team_type",
            "leader_name",
            "status",
            "entry_date",
            "exit_date",
            "members_on_site",
            "actions",
        ]
        empty_text = "暂无班组"
        attrs = {"class": "table table-sm table-hover align-middle", "data-testid": "team-table"}
