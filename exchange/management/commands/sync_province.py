"""`manage.py sync_province`: queue changes and push them to the province (cron or a systemd timer)."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from exchange import services
from projects.models import Project


class Command(BaseCommand):
    help = "把项目数据按国家数据标准推送到省平台，并查询异步处理结果"

    def add_arguments(self, parser):
        parser.add_argument("--project", type=int, help="只处理该项目（项目 ID）")
        parser.add_argument("--max-seconds", type=float, default=50, help="本次运行最长时间（秒），默认 50")

    def handle(self, *args, project=None, max_seconds=50, **options):
        if not settings.PROVINCE_SYNC_ENABLED:
            self.stdout.write("省平台数据对接未启用（PROVINCE_SYNC_ENABLED），未推送任何数据。")
            return
        chosen = None
        if project is not None:
            chosen = Project.objects.filter(pk=project).first()
            if chosen is None:
                raise CommandError(f"项目 {project} 不存在。")
        report = services.sync_province(project=chosen, max_seconds=max_seconds)
        self.stdout.write(
            f"新入队 {report.queued}，本地校验未通过 {report.invalid}，已推送 {report.sent}，"
            f"省平台接收 {report.accepted}，退回 {report.refused}，待重试 {report.retrying}"
        )
