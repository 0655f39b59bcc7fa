"""`manage.py keep_worker`: one `db_worker` kept alive beside `make run`'s server (docs/jobs.md).

Production runs its workers under systemd (Restart=always); `make run` has no such supervisor, so
this command is one: it starts `manage.py db_worker`, starts it again whenever it exits (after
RESTART_DELAY_SECONDS, longer if it keeps exiting at once), says so on the console, and stops it
when itself is stopped (SIGTERM, SIGINT).
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand

RESTART_DELAY_SECONDS = 2.0
MAX_DELAY_SECONDS = 30.0
# A worker that ran at least this long before exiting starts again after the first delay.
STEADY_SECONDS = 60.0


class Command(BaseCommand):
    help = "运行一个后台任务进程（db_worker），退出后自动重新启动（make run 使用）。"

    def add_arguments(self, parser):
        parser.add_argument("worker_args", nargs="*", help="传给 db_worker 的参数")

    def handle(self, *args, worker_args=(), **options):
        command = [
            sys.executable,
            str(settings.BASE_DIR / "manage.py"),
            "db_worker",
            "--no-reload",
            *worker_args,
        ]
        child: subprocess.Popen | None = None
        stopping = False

        def stop(signum, frame):
            nonlocal stopping
            stopping = True
            if child is not None and child.poll() is None:
                child.terminate()

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        delay = RESTART_DELAY_SECONDS
        while not stopping:
            started = time.monotonic()
            child = subprocess.Popen(command)
            self.stdout.write(
                f"后台任务进程已启动（导出、批量导入；进程号 {child.pid}），退出后会自动重新启动。"
            )
            code = child.wait()
            if stopping:
                break
            delay = (
                RESTART_DELAY_SECONDS
                if time.monotonic() - started >= STEADY_SECONDS
                else min(MAX_DELAY_SECONDS, delay * 2)
            )
            self.stderr.write(f"后台任务进程已退出（代码 {code}），{delay:.0f} 秒后重新启动。")
            time.sleep(delay)
        if child is not None:
            try:
                child.wait(timeout=30)
            except subprocess.TimeoutExpired:
                child.kill()
