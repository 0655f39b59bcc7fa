"""`manage.py evaluate_alerts`: the nightly evaluation of every alert rule (docs/deploy.md, daily job;
docs/alerts.md: incremental, with a full pass on demand and weekly)."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError

from alerts.evaluation import evaluate
from alerts.nightly import run
from alerts.registry import RULES


class Command(BaseCommand):
    help = (
        "评估预警规则：新增预警、更新最近发现时间、关闭原因已消除的预警。默认只复查上次评估以来有变化的项目。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--rule", action="append", dest="rules", help="只评估这些规则（可重复）")
        parser.add_argument(
            "--project", action="append", type=int, dest="projects", help="只评估这些项目（ID，可重复）"
        )
        parser.add_argument("--full", action="store_true", help="全量评估：复查全部项目，不论有无变化")

    def handle(self, *args, rules=None, projects=None, full=False, **options):
        unknown = sorted(set(rules or []) - set(RULES))
        if unknown:
            raise CommandError(f"未知的预警规则：{'、'.join(unknown)}（可用：{'、'.join(RULES)}）")
        if projects and full:
            raise CommandError("--full 评估全部项目，不能与 --project 同时使用。")
        started = time.monotonic()
        if projects:  # these projects only, now: the rules' last runs stay as they are
            for code, outcome in evaluate(rules, project_ids=projects).items():
                self.stdout.write(
                    f"{code}: 新增 {outcome.opened}，持续 {outcome.lasting}，自动关闭 {outcome.closed}"
                )
        else:
            for code, report in run(rules, full=full).items():
                outcome = report.outcome
                mode = f"全量：{report.reason}" if report.full else f"增量：复查 {report.projects} 个项目"
                self.stdout.write(
                    f"{code}: 新增 {outcome.opened}，持续 {outcome.lasting}，自动关闭 {outcome.closed}（{mode}）"
                )
        self.stdout.write(f"完成，用时 {time.monotonic() - started:.1f} 秒")
