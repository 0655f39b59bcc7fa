"""`manage.py evaluate_alerts`: the nightly evaluation of every alert rule (docs/deploy.md, daily job)."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError

from alerts.evaluation import evaluate
from alerts.registry import RULES


class Command(BaseCommand):
    help = "评估全部预警规则：新增预警、更新最近发现时间、关闭原因已消除的预警。"

    def add_arguments(self, parser):
        parser.add_argument("--rule", action="append", dest="rules", help="只评估这些规则（可重复）")
        parser.add_argument(
            "--project", action="append", type=int, dest="projects", help="只评估这些项目（ID，可重复）"
        )

    def handle(self, *args, rules=None, projects=None, **options):
        unknown = sorted(set(rules or []) - set(RULES))
        if unknown:
            raise CommandError(f"未知的预警规则：{'、'.join(unknown)}（可用：{'、'.join(RULES)}）")
        started = time.monotonic()
        for code, outcome in evaluate(rules, project_ids=projects).items():
            self.stdout.write(
                f"{code}: 新增 {outcome.opened}，持续 {outcome.lasting}，自动关闭 {outcome.closed}"
            )
        self.stdout.write(f"完成，用时 {time.monotonic() - started:.1f} 秒")
