"""预警 (alerts): what is wrong on a site, found by the rules in alerts.rules, handled by people.

An alert is one cause (rule + project + subject) while it lasts: the nightly evaluation and the
hooks after each action keep `last_seen_at` current and set `cleared_at` once the cause is gone
(the alert closes by itself). If the cause comes back later, it is a new alert. People move the
state (未处理 → 处理中 → 已处理, or 已忽略 with a note); every move is audited.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from enterprises.models import ProjectScopedQuerySet

from .registry import WORKER_REPORT_RULE, rule_label


class AlertState(models.TextChoices):
    OPEN = "open", "未处理"
    IN_PROGRESS = "in_progress", "处理中"
    RESOLVED = "resolved", "已处理"
    IGNORED = "ignored", "已忽略"


# The states that still ask for someone's attention (the header badge counts these).
ACTIVE_STATES = (AlertState.OPEN, AlertState.IN_PROGRESS)


class SubjectType(models.TextChoices):
    PROJECT = "project", "项目"
    UNIT = "unit", "参建单位"
    TEAM = "team", "班组"
    PERSON = "person", "人员"
    DEVICE = "device", "考勤设备"
    SHEET = "sheet", "工资表"
    TEAM_MONTH = "team_month", "班组月度工资"  # rule 7: subject_id = team id × 10⁶ + YYYYMM
    REPORT = "report", "工人反映"
    DEPOSIT = "deposit", "工资保证金"


class AlertQuerySet(ProjectScopedQuerySet):
    def active(self):
        return self.filter(state__in=ACTIVE_STATES)

    def live(self):
        """Alerts whose cause is still there (whatever their state)."""
        return self.filter(cleared_at__isnull=True)


class Alert(models.Model):
    project = models.ForeignKey(
        "projects.Project", verbose_name="项目", on_delete=models.CASCADE, related_name="alerts"
    )
    rule = models.CharField("预警规则", max_length=32)
    subject_type = models.CharField("对象类型", max_length=16, choices=SubjectType.choices)
    subject_id = models.BigIntegerField("对象ID")
    subject_label = models.CharField("对象", max_length=200)
    # The facts behind the alert, as dates and names (never ages or day counts, which would change
    # every night and cost an UPDATE per alert): the pages derive "N 天" from them.
    facts = models.JSONField("预警依据", default=dict, blank=True)
    first_seen_at = models.DateTimeField("首次发现", db_index=True)
    last_seen_at = models.DateTimeField("最近发现")
    cleared_at = models.DateTimeField("原因消除时间", null=True, blank=True)
    state = models.CharField("处理状态", max_length=16, choices=AlertState.choices, default=AlertState.OPEN)
    note = models.TextField("处理说明", max_length=1000, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="处理人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    handled_at = models.DateTimeField("处理时间", null=True, blank=True)

    objects = AlertQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "预警"
        ordering = ["-first_seen_at", "-id"]
        constraints = [
            # One live alert per cause: the evaluation inserts with ON CONFLICT DO NOTHING, so the
            # nightly run and a hook racing it cannot open the same alert twice.
            models.UniqueConstraint(
                fields=["rule", "project", "subject_type", "subject_id"],
                # Rule 9 (工人反映): every report is an alert of its own, not unique per subject.
                condition=models.Q(cleared_at__isnull=True) & ~models.Q(rule=WORKER_REPORT_RULE),
                name="one_live_alert_per_cause",
            ),
        ]
        indexes = [
            models.Index(fields=["project", "state"]),
            models.Index(fields=["state", "rule"]),
            # The 预警中心's first page (pending, newest first) read in order from the index, however
            # many alerts the city or province holds.
            models.Index(
                fields=["-first_seen_at", "-id"],
                condition=models.Q(state__in=ACTIVE_STATES),
                name="alert_pending_newest_first",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rule_label}：{self.subject_label}"

    # Facts an older evaluation stored that no page may show any more (a birth date beside the mask).
    HIDDEN_FACTS = ("出生日期",)

    @property
    def shown_facts(self) -> dict:
        return {k: v for k, v in self.facts.items() if k not in self.HIDDEN_FACTS}

    @property
    def rule_label(self) -> str:
        return rule_label(self.rule)

    @property
    def is_active(self) -> bool:
        return self.state in ACTIVE_STATES


class PendingAlertCount(models.Model):
    """How many pending alerts (`Alert.objects.active()`) one project has under one rule.

    Kept by database triggers on alerts_alert (migration 0003, alerts.counts): statement-level on
    PostgreSQL, row-level on SQLite, so every write path (the ORM, bulk updates, the evaluation's
    raw statements, a project's cascade) keeps it right. The 预警中心's counts sum these few rows
    instead of counting every pending alert. A row whose count falls to 0 is deleted, so a deleted
    project leaves nothing behind: the project link has no database constraint, because the
    triggers decrement while the project's alerts are deleted, in whatever order the cascade runs.
    `manage.py recount_alerts` recomputes the table from the alerts.
    """

    project = models.ForeignKey(
        "projects.Project",
        verbose_name="项目",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,  # the unique (project, rule) index serves lookups by project
        related_name="+",
    )
    rule = models.CharField("预警规则", max_length=32)
    n = models.IntegerField("待处理数")

    class Meta:
        verbose_name = verbose_name_plural = "待处理预警计数"
        constraints = [
            models.UniqueConstraint(fields=["project", "rule"], name="one_pending_count_per_project_rule")
        ]
        # The triggers delete the counts that fell to 0 after each statement: found here, not by a scan.
        indexes = [models.Index(fields=["project"], condition=models.Q(n=0), name="pending_count_zero")]

    def __str__(self) -> str:
        return f"{self.project_id}/{self.rule}: {self.n}"


class RuleRun(models.Model):
    """When a rule last ran over the whole city, so the next nightly run re-examines only what changed
    since (alerts.nightly, docs/alerts.md). Written only after the rule's run has committed."""

    rule = models.CharField("预警规则", max_length=32, unique=True)
    last_run_at = models.DateTimeField("最近评估时间")  # the run's start: changes after it are the next run's
    last_day = models.DateField("最近评估日期")  # the calendar day the run evaluated (deadlines up to it)
    last_full_at = models.DateTimeField("最近全量评估时间", null=True, blank=True)
    fingerprint = models.CharField("规则参数指纹", max_length=64, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "预警规则评估记录"

    def __str__(self) -> str:
        return f"{self.rule}: {self.last_run_at:%Y-%m-%d %H:%M}"
