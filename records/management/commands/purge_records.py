"""Remove what is past its retention term (docs/retention.md §2), never what a legal hold protects.

manage.py purge_records --dry-run     what would go, by class and project (nothing changes)
manage.py purge_records               remove it: files first, then rows, in batches; audited
manage.py purge_records --enqueue     queue the same run for a db_worker (the nightly timer)
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from jmzhgd.core.actor import Actor
from records import purge, report


class Command(BaseCommand):
    help = (
        "删除超过法定保存期限的记录（先删文件，后删记录，分批进行，记入审计日志）；法律保全中的项目不删除。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="只列出将删除的内容，不做任何修改")
        parser.add_argument("--enqueue", action="store_true", help="交给后台任务进程执行")

    def handle(self, *args, dry_run: bool, enqueue: bool, **options):
        if enqueue and not dry_run:
            from records.tasks import purge_records_job

            result = purge_records_job.enqueue()
            self.stdout.write(f"已排队，由后台任务进程执行（任务 {result.id}）。")
            return
        plan = purge.plan()
        for line in report.plan_lines(plan):
            self.stdout.write(line)
        if dry_run:
            self.stdout.write("（试运行：未删除任何内容。）")
            return
        done = purge.purge(Actor.system("保存期限清理"), plan.today)
        for line in report.done_lines(done):
            self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS(f"完成：共删除 {sum(d.removed for d in done)} 条记录。"))
