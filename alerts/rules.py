"""The alert rules (预警规则). Each is one small set-based query with its threshold in settings.

A rule returns its findings: the causes that exist now, one per (project, subject). It never loops
over workers in Python: the city has 60,000 on site and 3.7 M punches, and the nightly evaluation
must finish within a minute (bench/alerts_scenario.py). Facts are dates and names, so an alert's
row does not change every night.

The rules are marked with `@rule` (alerts.registry) and listed at start-up by the app's config, with
the 进场 rules (alerts.entry_rules, alerts.key_post_rules) and rule 7 (工资未按期发放) of
alerts.wage_rules after them. Rule 9 (工人反映) is not evaluated: a worker's report
opens it (selfservice) and a supervisor closes it.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import timedelta

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.utils import timezone

from attendance.models import DailySummary, Device, Punch
from contracts.models import Contract
from enterprises.models import ParticipatingUnit, Team
from jmzhgd.core.codes import CorpType, PersonCategory, ProjectStatus
from jmzhgd.core.models import ManagementPost
from jmzhgd.core.seed_tables import WAGE_CLERK_POST
from projects.models import Project
from workforce.models import RosterEntry

from .models import SubjectType
from .registry import Context, Finding, rule


def _years_before(day: datetime.date, years: int) -> datetime.date:
    """The same day `years` earlier (28 Feb for 29 Feb): born on or before it = at least `years` old."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def _on_site(ctx: Context):

    return ctx.scope(RosterEntry.objects.filter(exit_date__isnull=True)).order_by()


PERSON_FIELDS = ("project_id", "person_id", "person__name", "person__id_number_masked", "team__name")


def _person_findings(rows, facts: Callable[[tuple], dict]) -> Iterable[Finding]:
    for row in rows:
        project_id, person_id, name, masked, team = row[:5]
        yield Finding(
            project_id, SubjectType.PERSON, person_id, f"{name}（{masked}）", {"班组": team, **facts(row)}
        )


def _age(born: datetime.date, today: datetime.date) -> int:
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def _date(value) -> str:
    return f"{value:%Y-%m-%d}" if value else ""


@rule(
    "no_attendance",
    "在建项目无考勤",
    "项目状态为在建，但最近 {ALERT_NO_ATTENDANCE_DAYS} 天没有上传任何考勤记录。",
)
def no_attendance(ctx: Context) -> Iterable[Finding]:

    since = ctx.today - timedelta(days=settings.ALERT_NO_ATTENDANCE_DAYS)
    # The project's latest work date: a backward step on the (project, work_date) index per project.
    last = Punch.objects.filter(project=OuterRef("pk")).order_by("-work_date").values("work_date")[:1]
    projects = (
        ctx.scope(Project.objects.all(), "pk")
        .filter(status=ProjectStatus.UNDER_CONSTRUCTION, created_at__date__lt=since)
        .annotate(last_day=Subquery(last))
        .filter(Q(last_day__isnull=True) | Q(last_day__lt=since))
        .order_by()
    )
    for pk, name, last_day in projects.values_list("pk", "name", "last_day"):
        yield Finding(pk, SubjectType.PROJECT, pk, name, {"最近考勤日期": _date(last_day) or "从未上传"})


@rule(
    "contract_missing",
    "在场无劳动合同",
    "人员进场 {ALERT_CONTRACT_GRACE_DAYS} 天后仍未签订劳动合同（条例第二十八条）。",
)
def contract_missing(ctx: Context) -> Iterable[Finding]:

    cutoff = ctx.today - timedelta(days=settings.ALERT_CONTRACT_GRACE_DAYS)
    rows = (
        _on_site(ctx)
        .filter(entry_date__lte=cutoff)
        .filter(~Exists(Contract.objects.filter(roster_entry=OuterRef("pk"))))
        .values_list(*PERSON_FIELDS, "entry_date")
    )
    return _person_findings(rows, lambda row: {"进场日期": _date(row[5])})


@rule(
    "contract_expiring",
    "劳动合同即将到期或已过期",
    "在场人员的劳动合同在 {ALERT_CONTRACT_EXPIRY_DAYS} 天内到期或已经过期。",
)
def contract_expiring(ctx: Context) -> Iterable[Finding]:

    latest = Contract.objects.filter(roster_entry=OuterRef("pk")).order_by("-start_date", "-id")
    rows = (
        _on_site(ctx)
        .annotate(contract_end=Subquery(latest.values("end_date")[:1]))
        .filter(contract_end__lte=ctx.today + timedelta(days=settings.ALERT_CONTRACT_EXPIRY_DAYS))
        .values_list(*PERSON_FIELDS, "contract_end")
    )
    return _person_findings(rows, lambda row: {"合同失效日期": _date(row[5])})


@rule(
    "id_expiring", "身份证即将过期或已过期", "在场人员的身份证在 {ALERT_ID_EXPIRY_DAYS} 天内过期或已经过期。"
)
def id_expiring(ctx: Context) -> Iterable[Finding]:
    rows = (
        _on_site(ctx)
        .filter(person__id_valid_to__lte=ctx.today + timedelta(days=settings.ALERT_ID_EXPIRY_DAYS))
        .values_list(*PERSON_FIELDS, "person__id_valid_to")
    )
    return _person_findings(rows, lambda row: {"证件有效期止": _date(row[5])})


def _over_age_limit(today: datetime.date) -> Q:
    """建筑工人 at or past the age limit of their 工种 and gender (settings.ALERT_AGE_LIMITS)."""
    limits = settings.ALERT_AGE_LIMITS
    special = [code for code in limits if code != "default"]
    condition = Q()
    for code, by_gender in limits.items():
        if code != "default":
            of_work_type = Q(work_type__code=code)
        else:  # every 工种 without a line of its own (and none recorded)
            of_work_type = ~Q(work_type__code__in=special) if special else Q()
        for gender, limit in by_gender.items():
            # Over the limit = past the birthday of (limit + 1): the entry check warns at age > limit.
            born = _years_before(today, limit + 1)
            condition |= of_work_type & Q(person__gender=gender, person__birth_date__lte=born)
    return Q(category=PersonCategory.WORKER) & condition


@rule("age_limit", "年龄超出范围", "建筑工人超过其工种的年龄上限，或在场人员未满 {ALERT_MIN_AGE} 周岁。")
def age_limit(ctx: Context) -> Iterable[Finding]:
    too_young = Q(person__birth_date__gt=_years_before(ctx.today, settings.ALERT_MIN_AGE))
    rows = (
        _on_site(ctx)
        .filter(_over_age_limit(ctx.today) | too_young)
        .values_list(*PERSON_FIELDS, "person__birth_date", "person__gender", "work_type__name")
    )
    return _person_findings(
        rows,
        # 年龄, never 出生日期: beside the 4+4 mask of the label a birth date gives back the hidden
        # digits (docs/security.md, "Birth date"). It changes once a year, on the birthday.
        lambda row: {
            "年龄": f"{_age(row[5], ctx.today)}岁",
            "性别": {"0": "男", "1": "女"}.get(row[6], ""),
            "工种": row[7] or "",
        },
    )


@rule(
    "device_silent", "考勤设备离线", "在建项目的考勤设备已超过 {ALERT_DEVICE_SILENT_HOURS} 小时没有上传数据。"
)
def device_silent(ctx: Context) -> Iterable[Finding]:

    before = ctx.now - timedelta(hours=settings.ALERT_DEVICE_SILENT_HOURS)
    devices = (
        ctx.scope(Device.objects.filter(is_active=True, project__status=ProjectStatus.UNDER_CONSTRUCTION))
        .filter(Q(last_seen_at__lt=before) | Q(last_seen_at__isnull=True, created_at__lt=before))
        .order_by()
    )
    for pk, project_id, serial, name, seen in devices.values_list(
        "pk", "project_id", "serial_number", "name", "last_seen_at"
    ):
        label = f"{name}（{serial}）" if name else serial
        seen_text = f"{timezone.localtime(seen):%Y-%m-%d %H:%M}" if seen else "从未在线"
        yield Finding(project_id, SubjectType.DEVICE, pk, label, {"最后在线": seen_text})


@rule("team_empty", "班组无在场人员", "在场班组进场 {ALERT_EMPTY_TEAM_DAYS} 天后仍没有在场人员。")
def team_empty(ctx: Context) -> Iterable[Finding]:

    members = RosterEntry.objects.filter(team=OuterRef("pk"), exit_date__isnull=True)
    teams = (
        ctx.scope(Team.objects.filter(exit_date__isnull=True))
        .filter(entry_date__lte=ctx.today - timedelta(days=settings.ALERT_EMPTY_TEAM_DAYS))
        .filter(~Exists(members))
        .order_by()
    )
    for pk, project_id, name, unit, entry in teams.values_list(
        "pk", "project_id", "name", "unit__enterprise__name", "entry_date"
    ):
        yield Finding(project_id, SubjectType.TEAM, pk, name, {"所属企业": unit, "进场日期": _date(entry)})


@rule(
    "wage_clerk_missing",
    "参建单位无劳资专管员",
    "在场参建单位进场 {ALERT_WAGE_CLERK_DAYS} 天后仍没有在场的劳资专管员。",
)
def wage_clerk_missing(ctx: Context) -> Iterable[Finding]:

    post = ManagementPost.objects.filter(code=WAGE_CLERK_POST).first()
    if post is None:  # the bureau removed the post from the code table: nothing to check against
        return
    clerks = RosterEntry.objects.filter(unit=OuterRef("pk"), exit_date__isnull=True, post=post)
    units = ctx.scope(ParticipatingUnit.objects.filter(exit_date__isnull=True)).filter(
        entry_date__lte=ctx.today - timedelta(days=settings.ALERT_WAGE_CLERK_DAYS)
    )
    if post.corp_types:  # only the unit types the post is offered for (not 监理, 设计 …)
        units = units.filter(corp_type__in=post.corp_types)
    rows = (
        units.filter(~Exists(clerks))
        .order_by()
        .values_list("pk", "project_id", "enterprise__name", "corp_type")
    )
    for pk, project_id, name, corp_type in rows:
        yield Finding(project_id, SubjectType.UNIT, pk, name, {"参建单位类型": corp_type_label(corp_type)})


def corp_type_label(code: str) -> str:

    return dict(CorpType.choices).get(code, code)


@rule(
    "double_site",
    "同日在两个项目考勤",
    "同一人员在最近 {ALERT_DOUBLE_SITE_DAYS} 天内同一天在两个项目都有考勤：可能挂证或代打卡。",
)
def double_site(ctx: Context) -> Iterable[Finding]:

    window = (ctx.today - timedelta(days=settings.ALERT_DOUBLE_SITE_DAYS - 1), ctx.today)
    days = DailySummary.objects.filter(work_date__range=window).order_by()
    if ctx.project_ids is not None:
        days = days.filter(person_id__in=ctx.scope(days).values("person_id"))
    # Person-days with summaries in more than one project: one GROUP BY over the window.
    doubles = (
        days.values("person_id", "work_date").annotate(n=Count("project_id", distinct=True)).filter(n__gt=1)
    )
    pairs = {(row["person_id"], row["work_date"]) for row in doubles}
    if not pairs:
        return
    rows = days.filter(person_id__in={p for p, _ in pairs}).values_list(
        "project_id", "person_id", "work_date", "person__name", "person__id_number_masked"
    )
    sites: dict[tuple[int, int], set] = defaultdict(set)  # (person, day) -> projects
    labels = {}
    for project_id, person_id, day, name, masked in rows:
        if (person_id, day) in pairs:
            sites[(person_id, day)].add(project_id)
            labels[person_id] = f"{name}（{masked}）"
    names = dict(
        Project.objects.filter(pk__in={p for ps in sites.values() for p in ps}).values_list("pk", "name")
    )
    per_alert: dict[tuple[int, int], dict] = defaultdict(lambda: {"dates": set(), "others": set()})
    for (person_id, day), projects in sites.items():
        for project_id in projects:
            entry = per_alert[(project_id, person_id)]
            entry["dates"].add(day)
            entry["others"].update(names[p] for p in projects if p != project_id)
    for (project_id, person_id), entry in per_alert.items():
        if ctx.project_ids is not None and project_id not in ctx.project_ids:
            continue
        facts = {
            "日期": "、".join(_date(d) for d in sorted(entry["dates"])),
            "同日考勤的其他项目": "、".join(sorted(entry["others"])),
        }
        yield Finding(project_id, SubjectType.PERSON, person_id, labels[person_id], facts)
