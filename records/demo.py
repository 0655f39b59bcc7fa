"""Demo data of retention (docs/retention.md): two small projects finished five years ago, their
workers gone and their wages paid, so the 保存期限 page's dry run has something to name; one of them
under a legal hold, which the dry run lists as skipped.

Idempotent: the projects are found by their codes.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from django.utils import timezone

from contracts.models import Contract
from enterprises.models import Enterprise, ParticipatingUnit, Team
from jmzhgd.core.actor import Actor
from jmzhgd.core.codes import (
    ConstructionNature,
    CorpType,
    District,
    PersonCategory,
    ProjectCategory,
    ProjectStatus,
)
from projects.demo import demo_credit_code
from projects.models import Project
from wages.models import Payroll, PayrollRow, PayrollStatus
from workforce.demo import _new_persons
from workforce.models import RosterEntry

from . import services
from .models import LegalHold

CONTRACTOR = "江门市示范建筑劳务有限公司"
OLD_PROJECTS = [  # code, name, held
    (f"{District.PENGJIANG}20269901", "蓬江区滨江安置房一期（已竣工）", False),
    (f"{District.JIANGHAI}20269902", "江海区厂房扩建工程（已竣工，劳动争议中）", True),
]
HOLD_REASON = "劳动争议仲裁 江劳人仲案〔2026〕17号：工人申请确认2021年5月工资，保全全部用工及工资记录"


def seed(demo) -> None:
    year = timezone.localdate().year - 5
    enterprise, _ = Enterprise.objects.get_or_create(
        credit_code=demo_credit_code(CONTRACTOR), defaults={"name": CONTRACTOR, "legal_rep": "陈志强"}
    )
    for code, name, held in OLD_PROJECTS:
        if Project.objects.filter(code=code).exists():
            continue
        project = Project.objects.create(
            code=code,
            name=name,
            category=ProjectCategory.BUILDING,
            nature=ConstructionNature.NEW,
            district=code[:6],
            address=f"{name[:3]}示范路1号",
            builder_name="江门市示范建设投资有限公司",
            builder_code=demo_credit_code("江门市示范建设投资有限公司"),
            contractor_name=CONTRACTOR,
            contractor_code=enterprise.credit_code,
            start_date=date(year, 3, 1),
            completion_date=date(year, 6, 30),
            status=ProjectStatus.COMPLETED,
            description=f"{name}，保存期限演示项目。",
        )
        _seed_records(demo, project, enterprise, year)
        if held:
            _hold(demo, project)
    demo.write(
        f"保存期限：{len(OLD_PROJECTS)} 个五年前竣工的项目，其中 1 个法律保全中（{demo.base_url}/records/retention/ 查看清理预览）"
    )


def _seed_records(demo, project, enterprise, year: int) -> None:
    unit = ParticipatingUnit.objects.create(
        project=project,
        enterprise=enterprise,
        corp_type=CorpType.LABOUR_SUB,
        entry_date=date(year, 3, 1),
        exit_date=date(year, 6, 30),
    )
    team = Team.objects.create(
        project=project,
        unit=unit,
        name="木工班",
        leader_name="黄师傅",
        entry_date=date(year, 3, 1),
        exit_date=date(year, 6, 30),
    )
    payroll = Payroll.objects.create(
        project=project,
        unit=unit,
        team=team,
        pay_month=date(year, 5, 1),
        status=PayrollStatus.CONFIRMED,
        balance_date=date(year, 6, 15),
        paid_at=timezone.make_aware(datetime(year, 6, 15, 10, 0)),
    )
    for person in _new_persons(demo, 2):
        entry = RosterEntry.objects.create(
            project=project,
            unit=unit,
            team=team,
            person=person,
            category=PersonCategory.WORKER,
            entry_date=date(year, 3, 2),
            exit_date=date(year, 6, 20),
        )
        Contract.objects.create(
            project=project,
            roster_entry=entry,
            person=person,
            unit=unit,
            start_date=date(year, 3, 2),
            end_date=date(year, 6, 20),
        )
        PayrollRow.objects.create(
            payroll=payroll,
            person=person,
            roster_entry=entry,
            days=22,
            total_amount=Decimal("6600.00"),
            actual_amount=Decimal("6600.00"),
            signed=True,
        )


def _hold(demo, project) -> None:
    from jmzhgd.accounts.models import User

    if LegalHold.objects.active().filter(project=project).exists():
        return
    supervisor = User.objects.filter(username="jgf").first()
    if supervisor is not None:
        services.set_hold(Actor(user=supervisor, ip="127.0.0.1"), project, HOLD_REASON)
    else:  # no demo supervisor: the hold is still there to look at
        LegalHold.objects.create(project=project, reason=HOLD_REASON)
