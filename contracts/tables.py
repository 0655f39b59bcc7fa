"""The contract list page: its columns are the ledger's (contracts.exports.LEDGER_COLUMNS), so the page
and the .xlsx show the same values from the same functions."""

from __future__ import annotations

import datetime

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html

from .exports import LEDGER_COLUMNS, LedgerColumn
from .status import contract_status_badge_class


class LedgerValueColumn(tables.Column):
    def __init__(self, column: LedgerColumn):
        self.ledger_column = column
        super().__init__(
            verbose_name=column.header,
            empty_values=(),
            orderable=bool(column.order_by),
            order_by=column.order_by or None,
            accessor="pk",
            # A person's name is short: kept on one line instead of one character per line.
            attrs={"td": {"class": "text-nowrap"}} if column.key == "name" else {},
        )

    def render(self, record):
        value = self.ledger_column.value(record)
        if isinstance(value, datetime.date):
            # Chromium breaks a date after its hyphens when the column is squeezed.
            return format_html('<span class="text-nowrap">{}</span>', value.strftime("%Y-%m-%d"))
        return "—" if value is None or value == "" else value


class StatusColumn(LedgerValueColumn):
    def render(self, record):
        return format_html(
            '<span class="badge {}" data-testid="contract-status">{}</span>',
            contract_status_badge_class(record.contract_status),
            self.ledger_column.value(record),
        )


# The full ledger is wider than a 1366 px screen (the most common office screen here), which hid
# 【合同】 to the right: the page shows the columns a clerk acts on, the .xlsx export every column.
PAGE_COLUMNS = [
    "name",
    "id_number",
    "status",
    "team",
    "role",
    "signing_unit",
    "contract_type",
    "period_type",
    "start_date",
    "end_date",
]


class ContractLedgerTable(tables.Table):
    actions = tables.Column(verbose_name="操作", empty_values=(), orderable=False, accessor="pk")

    class Meta:
        template_name = "django_tables2/bootstrap5-responsive.html"
        empty_text = "本项目花名册暂无人员"
        attrs = {"class": "table table-sm table-hover align-middle", "data-testid": "contract-table"}

    def __init__(self, *args, project, **kwargs):
        self.project = project
        extra = [
            (c.key, (StatusColumn if c.key == "status" else LedgerValueColumn)(c))
            for c in LEDGER_COLUMNS
            if c.key in PAGE_COLUMNS
        ]
        super().__init__(*args, extra_columns=extra, sequence=[*PAGE_COLUMNS, "actions"], **kwargs)

    def render_actions(self, record):
        url = reverse("contracts:entry", kwargs={"project_id": self.project.pk, "entry_id": record.pk})
        return format_html('<a class="btn btn-sm btn-outline-primary" href="{}">合同</a>', url)
