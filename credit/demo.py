"""Demo 诚信 records (docs/credit.md §6): on the first demo project a good and a bad record of two of
its workers and a bad record it proposed (待确认); on the second, a unit's enterprise on the
失信联合惩戒对象名单 (three years from its listing) with the objection its project filed for it.

Runs after the workforce and enterprises seeders, through the same actions the pages call, acting as
the city supervisor (`jgf`) and the projects' own accounts; a demo that has records is left alone.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from jmzhgd.core.actor import Actor

from . import services
from .codes import BadCategory, GoodCategory, RecordKind
from .models import CreditRecord

ISSUER = "江门市住房和城乡建设局"


def seed(demo) -> None:
    from django.contrib.auth import get_user_model

    from enterprises.models import ParticipatingUnit
    from workforce.models import RosterEntry

    projects = demo.shared.get("projects", [])
    supervisor = get_user_model().objects.filter(username="jgf").first()
    if CreditRecord.objects.exists() or supervisor is None or len(projects) < 2:
        return
    today = timezone.localdate()
    bureau = Actor(user=supervisor, label="演示数据")
    first, second = projects[0], projects[1]
    workers = [
        e.person
        for e in RosterEntry.objects.filter(project=first).select_related("person").order_by("id")[:3]
    ]
    if len(workers) == 3:
        services.save_new_record(
            bureau,
            {
                "kind": RecordKind.GOOD,
                "category": GoodCategory.SKILL_CONTEST,
                "start_date": today - timedelta(days=120),
                "end_date": today + timedelta(days=365 * 2),
                "project": first,
                "issuer": "江门市人力资源和社会保障局",
                "description": "江门市建筑业职业技能竞赛钢筋工项目二等奖。",
            },
            person=workers[0],
        )
        services.save_new_record(
            bureau,
            {
                "kind": RecordKind.BAD,
                "category": BadCategory.SAFETY,
                "start_date": today - timedelta(days=40),
                "end_date": today + timedelta(days=325),
                "project": first,
                "issuer": ISSUER,
                "description": "高处作业未系安全带，经劝阻仍不改正。",
            },
            person=workers[1],
        )
        account = first.accounts.filter(role="project").first()
        if account is not None:
            services.save_new_record(
                Actor(user=account, label="演示数据"),
                {
                    "kind": RecordKind.BAD,
                    "category": BadCategory.FALSIFIED,
                    "start_date": today - timedelta(days=3),
                    "end_date": None,
                    "issuer": first.name,
                    "description": "冒用他人身份证件办理进场。",
                },
                person=workers[2],
                proposing_project=first,
            )
    unit = (
        ParticipatingUnit.objects.filter(project=second)
        .exclude(corp_type__in=["008", "009"])
        .select_related("enterprise")
        .order_by("id")
        .first()
    )
    if unit is not None:
        listed_on = today - timedelta(days=200)
        record = services.save_new_record(
            bureau,
            {
                "kind": RecordKind.JOINT,
                "start_date": listed_on,
                "end_date": listed_on + timedelta(days=365 * 3),
                "issuer": "江门市人力资源和社会保障局",
                "description": "拖欠农民工工资，经责令限期支付逾期未支付（人社部令第45号第六条）。",
            },
            enterprise=unit.enterprise,
        )
        account = second.accounts.filter(role="project").first()
        if account is not None:
            services.file_objection(
                Actor(user=account, label="演示数据"),
                record,
                "所欠工资已于列入后一个月内全部支付，请求提前移出名单。",
                via=services.VIA_PROJECT,
                project=second,
            )
        demo.write(
            f"  诚信：{unit.enterprise.name} 列入失信联合惩戒对象名单（至{record.end_date:%Y-%m-%d}），已申诉"
        )
    demo.write(f"  诚信：记录 {CreditRecord.objects.count()} 条")
