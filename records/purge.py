"""What is past its term, and removing it (docs/retention.md §2): the dry run (`plan`) and the run
(`purge`), called alike by `manage.py purge_records`, the nightly job and the report page.

Never what a legal hold protects: a held project's lines are listed as skipped and left alone.
Files first, then rows, in batches of PURGE_BATCH, each batch in its own transaction; one audit row
per project and class with the counts (docs/architecture.md pattern 2). A run stopped half-way
leaves nothing inconsistent: the next run finds the rest.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import models, transaction
from django.db.models import Count, Exists, OuterRef
from django.utils import timezone

from attendance import partition_retention, partitions
from attendance.models import Punch
from contracts.models import Contract, ContractScan
from jmzhgd.core import audit
from jmzhgd.core.actor import Actor
from jmzhgd.core.codes import ProjectStatus
from jmzhgd.core.months import add_months
from projects.models import Project
from wages.models import LineSignature, Payroll, PayrollRow
from workforce.models import RosterEntry

from . import retention
from .models import LegalHold
from .retention import RecordClass

logger = logging.getLogger(__name__)

PURGE_BATCH = 500
HELD_NOTE = "法律保全中，跳过"


@dataclass
class Line:
    """One line of the report: a class of record of one project (or one month of punches)."""

    record_class: RecordClass
    project: Project | None
    rows: int
    files: int = 0
    note: str = ""
    held: bool = False
    month: datetime.date | None = None  # punches: the month whose partition leaves

    @property
    def where(self) -> str:
        if self.project is not None:
            return f"{self.project.name}（{self.project.code}）"
        return f"{self.month:%Y-%m} 全市考勤分区" if self.month else "全市"


@dataclass
class Plan:
    today: datetime.date
    lines: list[Line] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def due(self) -> list[Line]:
        return [line for line in self.lines if not line.held]

    @property
    def skipped(self) -> list[Line]:
        return [line for line in self.lines if line.held]


def held_project_ids() -> set[int]:
    return set(LegalHold.objects.active().values_list("project_id", flat=True))


def _file_names(rows: Iterable[models.Model], *fields: str) -> list:
    return [getattr(row, name) for row in rows for name in fields if getattr(row, name)]


def _delete_files(files) -> int:
    """Delete stored files; one already gone counts as deleted (a run stopped half-way)."""
    deleted = 0
    for fieldfile in files:
        try:
            fieldfile.storage.delete(fieldfile.name)
        except FileNotFoundError:
            pass
        deleted += 1
    return deleted


# --- Attendance photos -----------------------------------------------------------------------


def _due_photos(today: datetime.date):
    return Punch.objects.filter(work_date__lt=retention.photo_cutoff(today)).exclude(photo="")


def _photo_lines(today: datetime.date, held: set[int]) -> list[Line]:
    counts = _due_photos(today).values("project_id").annotate(n=Count("id")).order_by("project_id")
    projects = Project.objects.in_bulk([row["project_id"] for row in counts])
    return [
        Line(
            retention.ATTENDANCE_PHOTOS,
            projects[row["project_id"]],
            rows=row["n"],
            files=row["n"],
            held=row["project_id"] in held,
            note=HELD_NOTE if row["project_id"] in held else f"考勤日期早于 {retention.photo_cutoff(today)}",
        )
        for row in counts
        if row["project_id"] in projects
    ]


def _purge_photos(line: Line, today: datetime.date) -> int:
    done = 0
    rows = _due_photos(today).filter(project=line.project).order_by("pk")
    while batch := list(rows.only("pk", "photo", "work_date")[:PURGE_BATCH]):
        _delete_files(row.photo for row in batch)
        with transaction.atomic():
            done += Punch.objects.filter(pk__in=[row.pk for row in batch]).update(photo="")
    return done


# --- Punches: the monthly partitions (attendance.partition_retention) -------------------------


def _punch_lines(today: datetime.date, held: set[int], plan: Plan) -> list[Line]:
    connection = partitions.database()
    if not partitions.is_partitioned(connection):
        plan.notes.append("考勤记录表未分区（SQLite 或尚未迁移）：过期的考勤记录不删除，照片仍按期限删除。")
        return []
    q = connection.ops.quote_name
    with connection.cursor() as cursor:
        attached = partitions.attached_partitions(cursor, q, partitions.punch_table())
    lines = []
    for partition in attached:
        month = partition.month
        if month is None or not partition_retention.may_detach(month, today):
            continue
        in_month = Punch.objects.filter(work_date__gte=month, work_date__lt=add_months(month, 1))
        blocking = sorted(set(in_month.filter(project_id__in=held).values_list("project_id", flat=True)))
        names = "、".join(Project.objects.filter(pk__in=blocking).values_list("name", flat=True))
        lines.append(
            Line(
                retention.PUNCHES,
                None,
                rows=in_month.count(),
                month=month,
                held=bool(blocking),
                note=f"{HELD_NOTE}：{names}的考勤在该月分区中" if blocking else "整月分区分离，待归档",
            )
        )
    return lines


def _detach_month(actor: Actor, line: Line, today: datetime.date) -> int:
    detached = partition_retention.detach_month(actor, line.month, today)  # audited there
    return 0 if detached.already else detached.rows


# --- The project's 用工台账, contracts and wage sheets ------------------------------------------


def _ended_projects(today: datetime.date) -> list[tuple[Project, datetime.date]]:
    ended = []
    for project in Project.objects.filter(status=ProjectStatus.COMPLETED, completion_date__isnull=False):
        end = retention.project_term_end(project)
        if end is not None and end <= today:
            ended.append((project, end))
    return ended


def _unpunched_entries(project):
    punched = Punch.objects.filter(roster_entry=OuterRef("pk"))
    return RosterEntry.objects.filter(project=project).exclude(Exists(punched))


def _project_lines(today: datetime.date, held: set[int]) -> list[Line]:
    lines = []
    for project, end in _ended_projects(today):
        is_held = project.pk in held
        note = HELD_NOTE if is_held else f"保存期限已于 {end} 届满"
        payrolls = Payroll.objects.filter(project=project)
        signatures = LineSignature.objects.filter(payroll__project=project)
        payroll_files = (
            sum(1 for payroll in payrolls.only("voucher", "signature_scan") for f in _payroll_files(payroll))
            + signatures.exclude(image="").count()
        )
        scans = ContractScan.objects.filter(project=project)
        entries = RosterEntry.objects.filter(project=project)
        waiting = entries.count() - _unpunched_entries(project).count()
        roster_note = (
            note if is_held or not waiting else f"{note}；{waiting} 条仍有考勤记录指向，待考勤分区分离后删除"
        )
        for record_class, rows, files, text in (
            (
                retention.PAYROLLS,
                payrolls.count()
                + PayrollRow.objects.filter(payroll__project=project).count()
                + signatures.count(),
                payroll_files,
                note,
            ),
            (
                retention.CONTRACTS,
                Contract.objects.filter(project=project).count() + scans.count(),
                scans.exclude(file="").count() + scans.exclude(thumbnail="").count(),
                note,
            ),
            (retention.ROSTER, entries.count(), 0, roster_note),
        ):
            if rows:
                lines.append(Line(record_class, project, rows=rows, files=files, held=is_held, note=text))
    return lines


def _payroll_files(payroll: Payroll) -> list:
    """Every file kept with a sheet (代发凭证, 签字扫描件, and any sealed PDF stored on it)."""
    return [
        getattr(payroll, f.name)
        for f in Payroll._meta.concrete_fields
        if isinstance(f, models.FileField) and getattr(payroll, f.name)
    ]


def _raw_delete(queryset) -> int:
    """The wage models refuse `delete()` to guard the 工资支付台账 during its term (wages.models);
    once the term is over, the retention run deletes through the plain queryset."""
    return models.QuerySet.delete(queryset)[0]


def _purge_payrolls(project) -> int:
    done = 0
    signatures = LineSignature.objects.filter(payroll__project=project).order_by("pk")
    while batch := list(signatures[:PURGE_BATCH]):
        _delete_files(s.image for s in batch if s.image)
        with transaction.atomic():
            done += _raw_delete(LineSignature.objects.filter(pk__in=[s.pk for s in batch]))
    payrolls = Payroll.objects.filter(project=project).order_by("pk")
    while batch := list(payrolls[:PURGE_BATCH]):
        ids = [p.pk for p in batch]
        _delete_files(f for payroll in batch for f in _payroll_files(payroll))
        with transaction.atomic():
            while row_ids := list(
                PayrollRow.objects.filter(payroll_id__in=ids).values_list("pk", flat=True)[:PURGE_BATCH]
            ):
                done += _raw_delete(PayrollRow.objects.filter(pk__in=row_ids))
            done += _raw_delete(Payroll.objects.filter(pk__in=ids))
    return done


def _purge_contracts(project) -> int:
    done = 0
    scans = ContractScan.objects.filter(project=project).order_by("pk")
    while batch := list(scans[:PURGE_BATCH]):
        _delete_files(f for scan in batch for f in (scan.file, scan.thumbnail) if f)
        with transaction.atomic():
            done += ContractScan.objects.filter(pk__in=[s.pk for s in batch]).delete()[0]
    contracts = Contract.objects.filter(project=project)
    contracts.exclude(renewal_of=None).update(renewal_of=None)  # the chain would PROTECT its links
    while ids := list(contracts.order_by("pk").values_list("pk", flat=True)[:PURGE_BATCH]):
        with transaction.atomic():
            done += Contract.objects.filter(pk__in=ids).delete()[0]
    return done


def _purge_roster(project) -> int:
    done = 0
    while ids := list(_unpunched_entries(project).order_by("pk").values_list("pk", flat=True)[:PURGE_BATCH]):
        with transaction.atomic():
            done += RosterEntry.objects.filter(pk__in=ids).delete()[0]
    return done


PROJECT_PURGES = {
    retention.PAYROLLS.code: _purge_payrolls,
    retention.CONTRACTS.code: _purge_contracts,
    retention.ROSTER.code: _purge_roster,
}


# --- The plan and the run -------------------------------------------------------------------


def plan(today: datetime.date | None = None) -> Plan:
    """The dry run: what would go today, by class and project, held projects listed as skipped."""
    today = today or timezone.localdate()
    held = held_project_ids()
    result = Plan(today)
    result.lines += _photo_lines(today, held)
    result.lines += _punch_lines(today, held, result)
    result.lines += _project_lines(today, held)
    return result


@dataclass
class Done:
    line: Line
    removed: int
    error: str = ""


def purge(actor: Actor, today: datetime.date | None = None) -> list[Done]:
    """Remove what `plan` names as due (held projects never), and audit each line by count."""
    today = today or timezone.localdate()
    result = plan(today)
    done = []
    for line in result.due:
        try:
            removed = _purge_line(actor, line, today)
        except Exception as exc:  # one line's failure (a lock not granted) leaves the others to run
            logger.exception("retention purge of %s %s failed", line.record_class.code, line.where)
            done.append(Done(line, 0, str(exc)[:200]))
            continue
        done.append(Done(line, removed))
    return done


def _purge_line(actor: Actor, line: Line, today: datetime.date) -> int:
    code = line.record_class.code
    if code == retention.PUNCHES.code:
        in_month = Punch.objects.filter(work_date__gte=line.month, work_date__lt=add_months(line.month, 1))
        if in_month.filter(project_id__in=held_project_ids()).exists():  # a hold set since the plan
            return 0
        return _detach_month(actor, line, today)
    if LegalHold.objects.active().filter(project=line.project).exists():  # set since the plan was made
        return 0
    if code == retention.ATTENDANCE_PHOTOS.code:
        removed = _purge_photos(line, today)
        summary = f"删除过期考勤抓拍照片 {removed} 张（考勤日期早于 {retention.photo_cutoff(today)}）"
    else:
        removed = PROJECT_PURGES[code](line.project)
        summary = f"保存期限届满，删除{line.record_class.label} {removed} 条（{line.files} 个文件）"
    audit.record(actor, "records.purge", line.project, project=line.project, summary=summary)
    return removed
