"""`manage.py sync_province`: queue changes and push them to the province (cron or a systemd timer).

With `--enqueue` the pass runs as a job on a `db_worker` instead (exchange.tasks), and the command
returns at once: for a timer on a machine that serves pages, the work goes to the workers.
"""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from exchange import services
from exchange.tasks import PASS_SECONDS, sync_province_pass
from projects.models import Project


class Command(BaseCommand):
    help = "把项目数据按国家数据标准推送到省平台，并查询异步处理结果"

    def add_arguments(self, parser):
        parser.add_argument("--project", type=int, help="只处理该项目（项目 ID）")
        parser.add_argument(
            "--max-seconds", type=float, default=PASS_SECONDS, help="本次运行最长时间（秒），默认 50"
        )
        parser.add_argument(
            "--enqueue", action="store_true", help="不在本进程运行，而是交给后台任务进程（db_worker）运行一次"
        )

    def handle(self, *args, project=None, max_seconds=PASS_SECONDS, enqueue=False, **options):
        if not settings.PROVINCE_SYNC_ENABLED:
            self.stdout.write("省平台数据对接未启用（PROVINCE_SYNC_ENABLED），未推送任何数据。")
            return
        if enqueue:
            if project is not None:
                raise CommandError("--enqueue 对全部项目运行一次，不能与 --project 同时使用。")
            result = sync_province_pass.enqueue(max_seconds=max_seconds)
            self.stdout.write(f"已加入后台任务队列（任务 {result.id}）。")
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
