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
        )

    def render(self, record):
        value = self.ledger_column.value(record)
        if isinstance(value, datetime.date):
            return value.strftime("%Y-%m-%d")
        return "—" if value is None or value == "" else value


class StatusColumn(LedgerValueColumn):
    def render(self, record):
        return format_html(
            '<span class="badge {}" data-testid="contract-status">{}</span>',
            contract_status_badge_class(record.contract_status),
            self.ledger_column.value(record),
        )


class ContractLedgerTable(tables.Table):
    actions = tables.Column(verbose_name="操作", empty_values=(), orderable=False, accessor="pk")

    class Meta:
        template_name = "django_tables2/bootstrap5-responsive.html"
        empty_text = "本项目花名册暂无人员"
        attrs = {"class": "table table-sm table-hover align-middle", "data-testid": "contract-table"}

    def __init__(self, *args, project, **kwargs):
        self.project = project
        extra = [
            (c.key, (StatusColumn if c.key == "status" else LedgerValueColumn)(c)) for c in LEDGER_COLUMNS
        ]
        # The ledger is wider than a 1366 px screen: status and 【合同】 come right after the worker, so
        # they are never scrolled out of sight.
        first = ["name", "id_number", "status", "actions"]
        sequence = first + [c.key for c in LEDGER_COLUMNS if c.key not in first]
        super().__init__(*args, extra_columns=extra, sequence=sequence, **kwargs)

    def render_actions(self, record):
        url = reverse("contracts:entry", kwargs={"project_id": self.project.pk, "entry_id": record.pk})
        return format_html('<a class="btn btn-sm btn-outline-primary" href="{}">合同</a>', url)
