"""A completed project whose records are past their term: one worker who left in 2021 with a punch
(and its photo), a contract with a scanned page and a paid wage sheet with its bank voucher; and a
second worker without punches. Built twice: one project free, one under a legal hold."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from contracts.models import ContractScan
from jmzhgd.core.codes import ProjectStatus
from tests import factories
from wages.models import Payroll, PayrollRow, PayrollStatus

TODAY = datetime.date(2026, 12, 7)
JPEG = b"\xff\xd8\xff\xe0" + b"0" * 64


def build_old_project(name: str):
    project = factories.ProjectFactory(
        name=name, status=ProjectStatus.COMPLETED, completion_date=datetime.date(2021, 6, 30)
    )
    team = factories.TeamFactory(unit__project=project, name="木工班", entry_date=datetime.date(2021, 3, 1))
    punched = factories.RosterEntryFactory(
        team=team, entry_date=datetime.date(2021, 3, 1), exit_date=datetime.date(2021, 6, 20)
    )
    quiet = factories.RosterEntryFactory(
        team=team, entry_date=datetime.date(2021, 3, 1), exit_date=datetime.date(2021, 6, 20)
    )
    punch = factories.PunchFactory(
        roster_entry=punched, punched_at=timezone.make_aware(datetime.datetime(2021, 5, 6, 8, 0))
    )
    punch.photo.save("face.jpg", ContentFile(JPEG))
    contract = factories.ContractFactory(
        roster_entry=punched, start_date=datetime.date(2021, 3, 1), end_date=datetime.date(2021, 6, 20)
    )
    scan = ContractScan(project=project, contract=contract, content_type="application/pdf", page=1)
    scan.file.save("contract.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"))
    payroll = Payroll(
        project=project,
        unit=team.unit,
        team=team,
        pay_month=datetime.date(2021, 5, 1),
        status=PayrollStatus.PAID,
        balance_date=datetime.date(2021, 6, 15),
        paid_at=timezone.make_aware(datetime.datetime(2021, 6, 15, 10, 0)),
    )
    payroll.voucher.save("voucher.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"))
    PayrollRow.objects.create(
        payroll=payroll,
        person=punched.person,
        roster_entry=punched,
        days=20,
        total_amount=Decimal("6000.00"),
        actual_amount=Decimal("6000.00"),
    )
    return {
        "project": project,
        "punch": punch,
        "punched": punched,
        "quiet": quiet,
        "scan": scan,
        "payroll": payroll,
        "files": [punch.photo.path, scan.file.path, payroll.voucher.path],
    }


@pytest.fixture
def free(db):
    return build_old_project("已竣工甲项目")


@pytest.fixture
def held(db, supervisor):
    from jmzhgd.core.actor import Actor
    from records import services

    built = build_old_project("争议中乙项目")
    services.set_hold(
        Actor(user=supervisor, ip="127.0.0.1"), built["project"], "劳动争议仲裁 江劳人仲案〔2026〕8号"
    )
    return built
