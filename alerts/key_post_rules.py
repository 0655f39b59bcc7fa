"""关键岗位 rules (attendance.key_posts): a key post vacant, or its holder absent.

- 关键岗位空缺: a project under construction whose construction units have been on site
  ALERT_KEY_POST_DAYS has no one on site in 项目经理, 技术负责人, 安全负责人 or 质量负责人, or whose 监理
  has no 总监理工程师. (劳资专管员 is the older rule wage_clerk_missing, per unit.)
- 关键岗位人员未到岗: a holder of a key post on site without a day of attendance in the last
  KEY_POST_ABSENT_DAYS working days (today excluded: absence is known once the day is over).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.db.models import Max

from jmzhgd.core.codes import CorpType, PersonCategory, ProjectStatus

from .models import SubjectType
from .registry import Context, Finding, rule
from .rules import PERSON_FIELDS, _date, _on_site, _person_findings

KEY_POST_RULES = ("key_post_vacant", "key_post_absent")
SUPERVISION_POSTS = ("P21",)
WAGE_CLERK_POST = "P05"  # its own rule, per unit


@rule(
    "key_post_vacant",
    "关键岗位空缺",
    "在建项目的施工单位进场 {ALERT_KEY_POST_DAYS} 天后，项目经理、技术负责人、安全负责人、质量负责人或总监理工程师仍无人在场。",
)
def key_post_vacant(ctx: Context) -> Iterable[Finding]:
    from enterprises.models import ParticipatingUnit

    cutoff = ctx.today - timedelta(days=settings.ALERT_KEY_POST_DAYS)
    units = (
        ctx.scope(ParticipatingUnit.objects.filter(exit_date__isnull=True, entry_date__lte=cutoff))
        .filter(project__status=ProjectStatus.UNDER_CONSTRUCTION)
        .order_by()
        .values_list("project_id", "project__name", "corp_type")
    )
    posts = {code: name for code, name in settings.KEY_POSTS if code != WAGE_CLERK_POST}
    needed: dict[int, set[str]] = {}
    names: dict[int, str] = {}
    for project_id, name, corp_type in units:
        names[project_id] = name
        wanted = needed.setdefault(project_id, set())
        if corp_type == CorpType.SUPERVISION:
            wanted.update(c for c in posts if c in SUPERVISION_POSTS)
        else:
            wanted.update(c for c in posts if c not in SUPERVISION_POSTS)
    if not needed:
        return
    held = set(
        _on_site(ctx)
        .filter(project_id__in=needed, category=PersonCategory.MANAGER, post__code__in=posts)
        .values_list("project_id", "post__code")
        .distinct()
    )
    order = list(posts)
    for project_id, wanted in needed.items():
        vacant = sorted((c for c in wanted if (project_id, c) not in held), key=order.index)
        if vacant:
            facts = {"空缺岗位": "、".join(posts[c] for c in vacant)}
            yield Finding(project_id, SubjectType.PROJECT, project_id, names[project_id], facts)


@rule(
    "key_post_absent",
    "关键岗位人员未到岗",
    "关键岗位人员最近 {KEY_POST_ABSENT_DAYS} 个工作日没有考勤记录。",
)
def key_post_absent(ctx: Context) -> Iterable[Finding]:
    from attendance.key_posts import working_days
    from attendance.models import DailySummary

    span = settings.KEY_POST_ABSENT_DAYS
    days = working_days(ctx.today - timedelta(days=span * 3 + 7), ctx.today - timedelta(days=1))[-span:]
    if len(days) < span or span <= 0:
        return
    posts = dict(settings.KEY_POSTS)
    holders = list(
        _on_site(ctx)
        .filter(category=PersonCategory.MANAGER, post__code__in=posts, entry_date__lte=days[0])
        .values_list(*PERSON_FIELDS, "post__code")
    )
    if not holders:
        return
    pairs = {(row[0], row[1]) for row in holders}
    seen = (
        DailySummary.objects.filter(
            project_id__in={p for p, _ in pairs}, person_id__in={q for _, q in pairs}, is_present=True
        )
        .order_by()
        .values("project_id", "person_id")
        .annotate(last=Max("work_date"))
        .values_list("project_id", "person_id", "last")
    )
    last_seen = {(project_id, person_id): last for project_id, person_id, last in seen}

    def away(row) -> bool:
        last = last_seen.get((row[0], row[1]))
        return last is None or last < days[0]

    absent = [row for row in holders if away(row)]
    yield from _person_findings(
        absent,
        lambda row: {
            "岗位": posts.get(row[5], row[5]),
            "最近到岗日期": _date(last_seen.get((row[0], row[1]))) or "无考勤记录",
        },
    )
