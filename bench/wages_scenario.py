"""工资管理 rows of `make bench` (保障农民工工资支付条例 art. 31: a sheet per team and month):

- 【生成工资表】 for the big project's largest team (≈300 workers): ≤ 1 s;
- the project's whole month, every worker team (≈2,000 workers): ≤ 5 s;
- the bank's 代发 files of that month (≈2,000 rows): ≤ 2 s.

Generation is a POST action with its writes, so it is timed in the harness process on the bench
database, through wages.services as the page calls it, inside a transaction that is rolled back:
sheets are never deleted (条例 art. 15), and the next run must see the same data.
"""

from __future__ import annotations

import io
import time

from django.db import transaction
from django.db.models import Count, Q

from bench import yardsticks
from bench.harness import Bench, Row, _ms

TEAM_LIMIT_S, MONTH_LIMIT_S, BANK_FILE_LIMIT_S = 1.0, 5.0, 2.0


class _Rollback(Exception):
    pass


def _row(bench: Bench, scenario: str, size: str, limit: float, seconds: float, yardstick: str) -> None:
    # Generation reads the month's daily summaries as the raw month aggregate does; the bank files
    # are openpyxl write-only dumps like the month grid's: each is judged on its ratio to that.
    row = Row(scenario, size, f"≤ {limit:g} s", True, _ms(seconds), _ms(seconds))
    yardsticks.judge(row, yardstick, bench.yardstick(yardstick), seconds * 1000, limit * 1000)
    bench.rows.append(row)
    bench.log(f"  {scenario}: {row.median_ms} ms")


def run(bench: Bench) -> None:
    from enterprises.models import Team
    from jmzhgd.core.actor import Actor
    from jmzhgd.core.excel import write_workbook
    from wages import exports, services
    from wages.models import Payroll, PayrollRow, PayrollStatus

    in_month = Q(roster__entry_date__lte=bench.month_end) & (
        Q(roster__exit_date__isnull=True) | Q(roster__exit_date__gte=bench.month_start)
    )
    teams = list(
        Team.objects.filter(project_id=bench.project_id, entry_date__lte=bench.month_end)
        .normal()
        .annotate(workers=Count("roster", filter=in_month))
        .filter(workers__gt=0)
        .order_by("-workers", "id")
    )
    if not teams:
        bench.missing("payroll generation", "", "≤ 1 s", "a team with workers in the bench month")
        return
    actor = Actor.system("基准测试")
    try:
        with transaction.atomic():
            started = time.perf_counter()
            services.generate_payroll(actor, teams[0], bench.month_start)
            one_team = time.perf_counter() - started
            started = time.perf_counter()
            for team in teams[1:]:
                services.generate_payroll(actor, team, bench.month_start)
            whole_month = one_team + time.perf_counter() - started
            sheets = Payroll.objects.filter(project_id=bench.project_id, pay_month=bench.month_start)
            sheets.update(status=PayrollStatus.APPROVED)
            # The bench's persons have no wage cards; give every row one (encrypted by the field).
            PayrollRow.objects.filter(payroll__in=sheets).update(
                actual_amount=100, bank_card_number="6217000012345678"
            )
            started = time.perf_counter()
            lines = 0
            for sheet in sheets.select_related("team", "project", "unit__enterprise"):
                out = io.BytesIO()
                write_workbook(exports.bank_file_sheets(sheet)[0], out)
                lines += sheet.rows.count()
            bank_files = time.perf_counter() - started
            raise _Rollback
    except _Rollback:
        pass
    workers = sum(t.workers for t in teams)
    size = f"{teams[0].workers:,} workers"
    _row(bench, "payroll generation, one team", size, TEAM_LIMIT_S, one_team, "raw_aggregate")
    size = f"{len(teams)} teams, {workers:,} workers"
    _row(bench, "payroll generation, whole month", size, MONTH_LIMIT_S, whole_month, "raw_aggregate")
    _row(bench, "bank 代发 files", f"{lines:,} rows", BANK_FILE_LIMIT_S, bank_files, "month_dump")
