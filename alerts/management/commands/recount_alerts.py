"""`manage.py recount_alerts`: rebuild the 预警中心's pending-alert counts from the alerts."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from alerts.counts import recount


class Command(BaseCommand):
    help = "按预警记录重新统计各项目、各规则的待处理预警数（预警中心的计数），修正不一致之处。"

    def handle(self, *args, **options):
        result = recount()
        self.stdout.write(
            f"待处理预警 {result.pending} 条，涉及 {result.rows} 个项目与规则的组合；"
            + (f"已修正 {result.corrected} 处计数。" if result.corrected else "计数无误，无需修正。")
        )
