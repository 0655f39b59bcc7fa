from django.core.management.base import BaseCommand

from jmzhgd.jobs import services, stall


class Command(BaseCommand):
    help = "删除超过保留期限（默认 7 天）的导出文件，并处理后台进程中断的导出与批量导入。每天运行（docs/deploy.md）。"

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None, help="保留天数（默认 EXPORT_RETENTION_DAYS）")

    def handle(self, *args, days=None, **options):
        # Every job that registered its recovery (exports, 批量人员进场 commits).
        recovered = sum(stall.recover_all().values())
        purged = services.purge_exports(days=days)
        self.stdout.write(f"已删除过期导出 {purged} 个，处理中断的后台任务 {recovered} 个。")
