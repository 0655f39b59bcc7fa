"""`manage.py db_worker`: django-tasks-db's command with the platform's worker (jmzhgd/jobs/worker.py),
which outlives a lost database, survives a failed job and writes a heartbeat."""

from django_tasks_db.management.commands import db_worker as base

from jmzhgd.jobs import worker


class Command(base.Command):
    help = "运行后台任务进程（导出、批量导入等）；数据库断开后自动重连，并写入心跳（docs/jobs.md）。"

    def handle(self, *args, **options):
        original = base.Worker
        base.Worker = worker.Worker  # the base command builds its worker from this module attribute
        try:
            return super().handle(*args, **options)
        finally:
            base.Worker = original
