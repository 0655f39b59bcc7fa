"""The contract ledger (合同台账): one column definition and one row generator for the page and the .xlsx.

Rows are roster entries of the project annotated with their contract status (contracts.status) and
carrying their contracts, newest first, in `contract_history` (see `ledger_queryset`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from jmzhgd.core.excel import Sheet
from jmzhgd.jobs.registry import Prepared, exporter

from .filters import ContractLedgerFilter
from .models import Contract, annotate_contract_status
from .status import ContractStatus

LEDGER = "contracts:ledger"


def ledger_queryset(project, today=None) -> QuerySet:
    from workforce.models import RosterEntry

    history = (
        Contract.objects.select_related("unit__enterprise")
        .annotate(scan_count=Count("scans", filter=Q(scans__removed_at__isnull=True)))
        .order_by("-start_date", "-id")
    )
    entries = (
        RosterEntry.objects.filter(project=project)
        .select_related("person", "unit__enterprise", "team", "work_type", "post")
        .prefetch_related(Prefetch("contracts", queryset=history, to_attr="contract_history"))
        .order_by("exit_date", "person__name", "id")  # on-site (no exit date) first
    )
    return annotate_contract_status(entries, today=today)


def current(entry) -> Contract | None:
    history = entry.contract_history
    return history[0] if history else None


def _contract_value(getter: Callable[[Contract], object]) -> Callable:
    def value(entry):
        contract = current(entry)
        return getter(contract) if contract is not None else ""

    return value


@dataclass(frozen=True)
class LedgerColumn:
    key: str
    header: str
    value: Callable[[object], object]
    width: int = 14
    order_by: tuple[str, ...] = ()


LEDGER_COLUMNS = [
    LedgerColumn("name", "姓名", lambda e: e.person.name, 10, ("person__name",)),
    LedgerColumn("id_number", "证件号码", lambda e: e.person.id_number_masked, 22),
    LedgerColumn("unit", "所属企业", lambda e: e.unit.enterprise.name, 28),
    LedgerColumn("team", "班组", lambda e: e.team.name, 14),
    LedgerColumn("role", "工种/岗位", lambda e: e.role_label, 12),
    LedgerColumn("on_site", "人员状态", lambda e: e.status_label, 8),
    LedgerColumn("signing_unit", "合同签订企业", _contract_value(lambda c: c.unit.enterprise.name), 28),
    LedgerColumn("contract_type", "合同类型", _contract_value(lambda c: c.get_contract_type_display()), 12),
    LedgerColumn("period_type", "合同期限类型", _contract_value(lambda c: c.get_period_type_display()), 20),
    LedgerColumn("start_date", "合同生效日期", _contract_value(lambda c: c.start_date), 12),
    LedgerColumn("end_date", "合同失效日期", _contract_value(lambda c: c.end_date), 12, ("contract_end",)),
    LedgerColumn(
        "status", "合同状态", lambda e: ContractStatus(e.contract_status).label, 10, ("contract_status",)
    ),
    LedgerColumn("renewals", "续签次数", lambda e: max(len(e.contract_history) - 1, 0), 8),
    LedgerColumn("scans", "扫描件页数", _contract_value(lambda c: c.scan_count), 10),
    LedgerColumn("updated_at", "更新日期", _contract_value(lambda c: c.updated_at.date()), 12),
]
TEXT_COLUMNS = [i for i, c in enumerate(LEDGER_COLUMNS) if c.key in ("name", "id_number", "unit", "team")]


def ledger_rows(entries: Iterable) -> Iterator[list]:
    for entry in entries:
        yield [column.value(entry) for column in LEDGER_COLUMNS]


def ledger_sheet(project, entries: Iterable, today) -> Sheet:
    return Sheet(
        name="合同台账",
        title=f"{project.name} 劳动合同台账（{today:%Y-%m-%d}）",
        header=[column.header for column in LEDGER_COLUMNS],
        rows=ledger_rows(entries),
        column_widths=[column.width for column in LEDGER_COLUMNS],
        text_columns=TEXT_COLUMNS,
    )


def ledger_filter(params, project) -> ContractLedgerFilter:
    return ContractLedgerFilter(params, queryset=ledger_queryset(project), project=project)


@exporter(LEDGER)
def ledger_export(project, params, user=None) -> Prepared:
    """【导出合同台账】: the same filtered rows as the page."""
    entries = ledger_filter(params, project).qs
    today = timezone.localdate()
    return Prepared(
        label="合同台账",
        filename=f"{project.name}-合同台账-{today:%Y%m%d}.xlsx",
        sheets=[ledger_sheet(project, entries.iterator(chunk_size=500), today)],
        rows=entries.count(),
    )
