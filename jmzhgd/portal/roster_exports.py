"""导出花名册: one row generator for the .xlsx. Every text stays text; ID numbers and phones are masked
unless the viewer explicitly asked for full numbers (allowed to whoever may reveal them on the person
page, and audited the same way)."""

from __future__ import annotations

from collections.abc import Iterator

from django.utils import timezone

from contracts.models import annotate_contract_status
from contracts.status import ContractStatus
from jmzhgd.core.excel import Sheet
from jmzhgd.jobs.registry import Prepared, exporter
from workforce.models import RosterEntry

from .roster_filters import RosterFilter

ROSTER = "workforce:roster"

ROSTER_HEADER = [
    "姓名",
    "证件类型",
    "证件号码",
    "性别",
    "年龄",
    "手机号",
    "所属企业",
    "参建单位类型",
    "所属班组",
    "人员类别",
    "工种/岗位",
    "班组长",
    "进场日期",
    "退场日期",
    "状态",
    "合同状态",
]
TEXT_COLUMNS = [0, 2, 5, 6, 8, 10]


def roster_rows(entries, *, full_ids: bool = False) -> Iterator[list]:
    """Rows of `entries` (person, unit__enterprise, team, work_type, post selected; contract_status annotated)."""
    for entry in entries.iterator(chunk_size=1000):
        person = entry.person
        yield [
            person.name,
            person.get_id_type_display(),
            person.id_number if full_ids else person.id_number_masked,
            person.get_gender_display(),
            person.age,
            person.phone if full_ids else person.phone_masked,
            entry.unit.enterprise.name,
            entry.unit.get_corp_type_display(),
            entry.team.name,
            entry.get_category_display(),
            entry.role_label,
            entry.is_team_leader,
            entry.entry_date,
            entry.exit_date,
            entry.status_label,
            ContractStatus(entry.contract_status).label,
        ]


def roster_sheet(project, entries, *, full_ids: bool = False) -> Sheet:
    return Sheet(
        name="花名册",
        title=f"{project.name} 项目人员花名册（导出日期 {timezone.localdate():%Y-%m-%d}）",
        header=ROSTER_HEADER,
        rows=roster_rows(entries, full_ids=full_ids),
        column_widths=[10, 12, 22, 6, 6, 14, 30, 12, 16, 10, 16, 8, 12, 12, 8, 10],
        text_columns=TEXT_COLUMNS,
    )


def roster_queryset(project):
    entries = RosterEntry.objects.filter(project=project).select_related(
        "person", "unit__enterprise", "team", "work_type", "post"
    )
    return annotate_contract_status(entries)


def roster_filter(params, project) -> RosterFilter:
    return RosterFilter(params, queryset=roster_queryset(project), project=project)


@exporter(ROSTER)
def roster_export(project, params, user=None) -> Prepared:
    """导出花名册 with the list's filters; full ID numbers only when `full_ids=1` was asked for."""
    entries = roster_filter(params, project).qs.order_by("unit_id", "team_id", "person__name", "id")
    full_ids = params.get("full_ids") == "1"
    return Prepared(
        label="花名册（含完整证件号码）" if full_ids else "花名册",
        filename=f"花名册-{project.code}-{timezone.localdate():%Y%m%d}.xlsx",
        sheets=[roster_sheet(project, entries, full_ids=full_ids)],
        rows=entries.count(),
    )
