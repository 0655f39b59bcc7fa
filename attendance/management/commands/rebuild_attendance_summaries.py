"""Rebuild the daily attendance summaries from the raw punches (docs/architecture.md pattern 6)."""

from __future__ import annotations

import datetime

from django.core.management.base import BaseCommand, CommandError

from attendance.summaries import rebuild_daily_summaries


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"日期格式应为 YYYY-MM-DD：{value}") from None


class Command(BaseCommand):
    help = "从原始考勤记录重建每日考勤汇总（可指定项目与日期范围）。"

    def add_arguments(self, parser):
        parser.add_argument("--project", type=int, help="项目ID（默认全部项目）")
        parser.add_argument("--from", dest="date_from", type=_date, help="开始日期 YYYY-MM-DD")
        parser.add_argument("--to", dest="date_to", type=_date, help="结束日期 YYYY-MM-DD")

    def handle(self, *args, project=None, date_from=None, date_to=None, **options):
        if date_from and date_to and date_from > date_to:
            raise CommandError("开始日期不能晚于结束日期。")
        if project is not None:
            from projects.models import Project

            if not Project.objects.filter(pk=project).exists():
                raise CommandError(f"项目不存在：{project}")
        written = rebuild_daily_summaries(project=project, date_from=date_from, date_to=date_to)
        self.stdout.write(self.style.SUCCESS(f"已重建每日考勤汇总 {written} 条。"))
