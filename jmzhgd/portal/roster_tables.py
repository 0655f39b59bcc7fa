from __future__ import annotations

import django_tables2 as tables

from contracts.status import ContractStatus
from workforce.models import RosterEntry

CONTRACT_BADGES = {
    ContractStatus.NONE: "secondary",
    ContractStatus.VALID: "success",
    ContractStatus.EXPIRING: "warning",
    ContractStatus.EXPIRED: "danger",
}


# Cells of the 花名册 that may wrap (long enterprise names, team and post names, the name with its
# 班组长 badge): with every cell on one line the table was ~230 px wider than
# the page at 1366 px, so 合同状态 and 操作 sat behind a horizontal scrollbar at the table's foot.
WRAP = {"td": {"class": "cell-wrap"}, "th": {"class": "cell-wrap"}}


class RosterTable(tables.Table):
    """花名册. Expects entries with person, unit__enterprise, team, work_type and post selected, and
    annotated with contract_status."""

    select = tables.TemplateColumn(
        '<input class="form-check-input" type="checkbox" name="ids" value="{{ record.pk }}" form="batch-exit-form"'
        ' aria-label="选择 {{ record.person.name }}"{% if not record.is_on_site %} disabled{% endif %}>',
        verbose_name="",
        orderable=False,
    )
    photo = tables.TemplateColumn(template_name="workforce/_thumb.html", verbose_name="照片", orderable=False)
    name = tables.TemplateColumn(
        "<a href=\"{% url 'workforce:person_detail' record.project_id record.person_id %}\">{{ record.person.name }}</a>"
        '{% if record.is_team_leader %} <span class="badge text-bg-info">班组长</span>{% endif %}',
        verbose_name="姓名",
        order_by="person__name",
        attrs=WRAP,
    )
    id_number = tables.Column(accessor="person__id_number_masked", verbose_name="证件号码", orderable=False)
    age = tables.Column(accessor="person__age", verbose_name="年龄", orderable=False)
    unit = tables.Column(accessor="unit__enterprise__name", verbose_name="所属企业", attrs=WRAP)
    team = tables.Column(accessor="team__name", verbose_name="所属班组", attrs=WRAP)
    category = tables.Column(verbose_name="人员类别")
    role = tables.Column(accessor="role_label", verbose_name="工种/岗位", orderable=False, attrs=WRAP)
    entry_date = tables.DateColumn(verbose_name="进场日期", format="Y-m-d")
    status = tables.TemplateColumn(
        '<span class="badge text-bg-{% if record.is_on_site %}success{% else %}secondary{% endif %}">'
        "{{ record.status_label }}</span>"
        '{% if record.exit_date %}<div class="small text-muted">{{ record.exit_date|date:"Y-m-d" }}</div>{% endif %}',
        verbose_name="状态",
        order_by="exit_date",
    )
    contract_status = tables.Column(verbose_name="合同状态")
    actions = tables.TemplateColumn(
        template_name="workforce/_roster_actions.html", verbose_name="操作", orderable=False
    )

    class Meta:
        model = RosterEntry
        fields = []
        sequence = [
            "select",
            "photo",
            "name",
            "id_number",
            "age",
            "unit",
            "team",
            "category",
            "role",
            "entry_date",
            "status",
            "contract_status",
            "actions",
        ]
        empty_text = "暂无人员"
        attrs = {"class": "table table-sm table-hover align-middle", "data-testid": "roster-table"}

    def __init__(self, *args, can_write=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.can_write = can_write
        if not can_write:
            self.columns.hide("select")

    def render_contract_status(self, value):
        from django.utils.html import format_html

        status = ContractStatus(value)
        return format_html('<span class="badge text-bg-{}">{}</span>', CONTRACT_BADGES[status], status.label)
