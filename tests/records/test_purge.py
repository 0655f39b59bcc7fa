"""The retention purge (docs/retention.md §2): the dry run names what would go and skips the held
project; the run removes files, then rows, and audits the counts; a held project keeps everything."""

from __future__ import annotations

import os
from io import StringIO

from django.core.management import call_command

from attendance.models import Punch
from contracts.models import Contract, ContractScan
from jmzhgd.core.actor import Actor
from jmzhgd.core.models import AuditLog
from records import purge, retention
from wages.models import Payroll, PayrollRow
from workforce.models import RosterEntry

from .conftest import TODAY


def classes_of(lines, project):
    return {line.record_class.code for line in lines if line.project == project}


def test_the_dry_run_names_what_would_go_and_skips_the_held_project(free, held):
    plan = purge.plan(TODAY)

    assert classes_of(plan.due, free["project"]) == {"attendance_photos", "payrolls", "contracts", "roster"}
    assert classes_of(plan.skipped, held["project"]) == {
        "attendance_photos",
        "payrolls",
        "contracts",
        "roster",
    }
    assert not classes_of(plan.due, held["project"])
    photos = next(line for line in plan.due if line.record_class is retention.ATTENDANCE_PHOTOS)
    assert (photos.rows, photos.files) == (1, 1)

    out = StringIO()
    call_command("purge_records", "--dry-run", stdout=out)
    text = out.getvalue()
    assert "[删除] 考勤抓拍照片 | 已竣工甲项目" in text
    assert "[跳过] 用工台账（花名册进出场记录） | 争议中乙项目" in text and "法律保全中" in text
    assert "未删除任何内容" in text
    assert all(os.path.exists(path) for path in free["files"] + held["files"])  # nothing changed
    assert Payroll.objects.count() == 2 and not AuditLog.objects.filter(action="records.purge").exists()


def test_recent_records_and_an_unsettled_project_are_not_due(free):
    Payroll.objects.filter(pk=free["payroll"].pk).update(status="approved")  # 工资未结清
    assert {line.record_class.code for line in purge.plan(TODAY).lines} == {"attendance_photos"}
    assert purge.plan(free["punch"].work_date).lines == []  # the day itself: nothing is two years old


def test_the_purge_removes_files_then_rows_and_audits_counts(free, held):
    done = purge.purge(Actor.system("保存期限清理"), TODAY)

    assert not any(item.error for item in done)
    assert not any(os.path.exists(path) for path in free["files"])
    punch = Punch.objects.get(pk=free["punch"].pk)
    assert not punch.photo  # the photo went; the punch itself stays (the partitions' business)
    assert not Payroll.objects.filter(project=free["project"]).exists()
    assert not PayrollRow.objects.filter(payroll__project=free["project"]).exists()
    assert not ContractScan.objects.filter(project=free["project"]).exists()
    assert not Contract.objects.filter(project=free["project"]).exists()
    # The worker without punches leaves the roster; the one a punch still points at waits for its month.
    assert list(RosterEntry.objects.filter(project=free["project"])) == [free["punched"]]

    audits = {a.summary for a in AuditLog.objects.filter(action="records.purge", project=free["project"])}
    assert "删除过期考勤抓拍照片 1 张（考勤日期早于 2024-12-01）" in audits
    assert any(s.startswith("保存期限届满，删除工资支付台账") and "2 条（1 个文件）" in s for s in audits)
    assert any(s.startswith("保存期限届满，删除劳动合同及扫描件 2 条") for s in audits)
    assert any(s.startswith("保存期限届满，删除用工台账（花名册进出场记录） 1 条") for s in audits)

    # The held project keeps every file and row, and no purge is logged for it.
    assert all(os.path.exists(path) for path in held["files"])
    assert Punch.objects.get(pk=held["punch"].pk).photo
    assert Payroll.objects.filter(project=held["project"]).count() == 1
    assert RosterEntry.objects.filter(project=held["project"]).count() == 2
    assert not AuditLog.objects.filter(action="records.purge", project=held["project"]).exists()

    # A second run finds nothing more of the free project.
    assert not classes_of(purge.plan(TODAY).due, free["project"]) - {"roster"}


def test_a_month_of_punches_leaves_by_its_partition_unless_a_held_project_has_punches_in_it(free, held):
    from django.db import connection

    from attendance import partitions
    from records import services

    if connection.vendor != "postgresql":
        plan = purge.plan(TODAY)
        assert not [line for line in plan.lines if line.record_class is retention.PUNCHES]
        assert any("考勤记录表未分区" in note for note in plan.notes)
        return
    partitions.create_partitions(3, since=free["punch"].work_date)  # May 2021 gets its partition
    month = [line for line in purge.plan(TODAY).lines if line.record_class is retention.PUNCHES]
    may = next(line for line in month if f"{line.month:%Y-%m}" == "2021-05")
    assert may.held and "争议中乙项目" in may.note and may.rows == 2

    purge.purge(Actor.system("保存期限清理"), TODAY)
    assert Punch.objects.filter(work_date__year=2021).count() == 2  # the month stayed attached

    hold = held["project"].legal_holds.get()
    services.end_hold(Actor(user=hold.set_by), hold, "仲裁已结案")
    purge.purge(Actor.system("保存期限清理"), TODAY)
    assert not Punch.objects.filter(work_date__year=2021).exists()  # detached, kept in its own table
    assert AuditLog.objects.filter(action="punch.partition_detach", summary__contains="2021-05").exists()
