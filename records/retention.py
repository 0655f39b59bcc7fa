"""The retention table: each class of record, its legal minimum, the rule that ends it and how it
leaves (docs/retention.md §1). `records.purge` reads the table; the 保存期限 page and the dry run show
it. A class whose end depends on the project (用工台账, contracts, wage sheets) ends for the whole
project at once: the wage rows and contracts point at the roster rows, so none outlives the others.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Max

from jmzhgd.core.codes import ProjectStatus
from jmzhgd.core.months import add_months

PROJECT_YEARS = 3  # 条例 art. 15 and art. 28: three years


@dataclass(frozen=True)
class RecordClass:
    code: str
    label: str
    minimum: str  # the legal minimum, as the law states it
    basis: str  # the article that sets it
    ends: str  # the rule that ends the platform's keeping of it
    leaves: str  # how it leaves


ATTENDANCE_PHOTOS = RecordClass(
    "attendance_photos",
    "考勤抓拍照片",
    "不少于2年",
    "《建筑工人实名制管理办法（试行）》第十三条（电子考勤和图像、影像等电子档案保存期限不少于2年）",
    "考勤月份结束后满 ATTENDANCE_PHOTO_RETENTION_MONTHS 个月（默认24个月）",
    "删除照片文件，再清空考勤记录的照片字段（考勤记录本身按下一类保存）",
)
PUNCHES = RecordClass(
    "punches",
    "考勤记录（打卡）",
    "不少于2年；平台保存36个月，因工资支付台账的工作时间以其为据",
    "《建筑工人实名制管理办法（试行）》第十三条；《保障农民工工资支付条例》第十五条",
    "考勤月份结束后满 PUNCH_RETENTION_MONTHS 个月（默认36个月）",
    "PostgreSQL：整月分区分离（punch_partitions），记录留在独立表中待归档后手工删除；SQLite：不删除",
)
PAYROLLS = RecordClass(
    "payrolls",
    "工资支付台账（工资支付表、明细、电子签名、代发凭证、签字扫描件）",
    "不少于3年",
    "《保障农民工工资支付条例》第十五条",
    "与用工台账同时结束（项目完工、工资全部结清后满3年，必晚于各月工资表满3年）",
    "先删文件，再删电子签名、明细行、工资支付表",
)
CONTRACTS = RecordClass(
    "contracts",
    "劳动合同及扫描件",
    "解除或终止后至少2年；作为用工管理台账的一部分，至工程完工且工资全部结清后至少3年",
    "《劳动合同法》第五十条；《保障农民工工资支付条例》第二十八条",
    "与用工台账同时结束",
    "先删扫描件文件，再删扫描件记录和合同",
)
ROSTER = RecordClass(
    "roster",
    "用工台账（花名册进出场记录）",
    "工程完工且工资全部结清后至少3年",
    "《保障农民工工资支付条例》第二十八条",
    "项目状态为完工并登记竣工日期、无在场人员、工资支付表全部已发放或已确认；"
    "自竣工日期、最后发放日期和最后退场日期中最晚者起满3年",
    "删除花名册记录；仍有考勤记录指向的，待该月考勤分区分离后再删",
)

TABLE = (ATTENDANCE_PHOTOS, PUNCHES, PAYROLLS, CONTRACTS, ROSTER)
PROJECT_CLASSES = (PAYROLLS, CONTRACTS, ROSTER)  # leave together, in this order


def photo_cutoff(today: datetime.date) -> datetime.date:
    """Photos of a work date before this day are past their term (whole months)."""
    months = max(24, settings.ATTENDANCE_PHOTO_RETENTION_MONTHS)  # never below the law's 2 years
    return add_months(today.replace(day=1), -months)


def add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def project_term_end(project) -> datetime.date | None:
    """The day the project's 用工台账 (and with it its contracts and wage sheets) may go, or None
    while its term cannot start: not 完工 with a 竣工日期, someone still on site, or a wage sheet not
    yet paid (工资未结清)."""
    from wages.models import PAID_STATES, Payroll
    from workforce.models import RosterEntry

    if project.status != ProjectStatus.COMPLETED or project.completion_date is None:
        return None
    entries = RosterEntry.objects.filter(project=project)
    if entries.filter(exit_date__isnull=True).exists():
        return None
    payrolls = Payroll.objects.filter(project=project)
    if payrolls.exclude(status__in=PAID_STATES).exists():
        return None
    last_paid = payrolls.aggregate(day=Max("balance_date"), at=Max("paid_at"))
    last_exit = entries.aggregate(day=Max("exit_date"))["day"]
    days = [project.completion_date, last_exit, last_paid["day"]]
    if last_paid["at"] is not None:
        days.append(last_paid["at"].date())
    return add_years(max(day for day in days if day is not None), PROJECT_YEARS)
