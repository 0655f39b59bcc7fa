"""The platform's `db_worker` (docs/jobs.md "Faults"): django-tasks-db's worker, made to outlive the
database and to say that it lives.

- **A lost database** (a restart, a dropped connection, a lock wait that timed out) no longer ends
  the process: the worker closes its connections, waits (1 s, doubling up to 10 s, with jitter) and
  polls again; once the database answers it goes on where it was.
- **A job that fails**, or whose failure cannot even be recorded because the database is gone,
  ends that job only. The job's own row (an export, an import batch) then says what happened, or
  is handed on by the stall recovery when the database is back.
- **A heartbeat**: a thread writes the worker's `WorkerHeartbeat` every WORKER_HEARTBEAT_SECONDS on
  its own connection, naming the job it runs (so a long import commit is not taken for a dead
  worker) and whether the worker's user can write the media directory (/healthz reads both); once a
  minute it also runs every registered stall recovery, so a job whose worker died is handed on
  within minutes without waiting for the hourly housekeeping.
"""

from __future__ import annotations

import datetime
import logging
import os
import random
import socket
import tempfile
import threading
import time

from django.conf import settings
from django.db import DatabaseError, close_old_connections, connection, connections
from django.utils import timezone
from django_tasks_db.management.commands import db_worker as base

from . import stall
from .models import WorkerHeartbeat

logger = logging.getLogger("jmzhgd.jobs.worker")

BACKOFF_FIRST_SECONDS = 1.0
BACKOFF_MAX_SECONDS = 10.0
RECOVERY_EVERY_SECONDS = 60
# Heartbeats of workers gone this long are deleted (a restarted worker has a new id).
FORGET_AFTER = datetime.timedelta(days=1)


class Backoff:
    """1, 2, 4 … BACKOFF_MAX_SECONDS seconds, each with up to a quarter of jitter (workers restarted
    together do not knock together); reset once the database answers again."""

    def __init__(self) -> None:
        self.failures = 0

    def next(self) -> float:
        delay = min(BACKOFF_MAX_SECONDS, BACKOFF_FIRST_SECONDS * 2**self.failures)
        self.failures += 1
        return delay * (1 + random.random() / 4)  # noqa: S311 (jitter, not a secret)

    def reset(self) -> None:
        self.failures = 0


def media_problem() -> str:
    """'' when this process can write a file where exports are stored, else the cause in Chinese."""
    from .runner import storage_error_reason

    directory = os.path.join(settings.MEDIA_ROOT, "exports")
    try:
        os.makedirs(directory, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=directory, prefix=".worker-check-"):
            pass
    except OSError as exc:
        logger.error("the worker cannot write %s: %s", directory, exc)
        return storage_error_reason(exc)
    return ""


class Heartbeat(threading.Thread):
    """Writes the worker's heartbeat and runs the stall recoveries (see the module docstring)."""

    def __init__(self, worker_id: str, on_success=None):
        super().__init__(name="worker-heartbeat", daemon=True)
        self.worker_id, self.on_success = worker_id, on_success
        self.started_at = timezone.now()
        self.stopping = threading.Event()
        self.recovered_at = 0.0

    def run(self) -> None:
        while True:
            self.beat()
            if self.stopping.wait(settings.WORKER_HEARTBEAT_SECONDS):
                break
        connection.close()

    def beat(self) -> None:
        try:
            close_old_connections()
            now = timezone.now()
            WorkerHeartbeat.objects.update_or_create(
                worker_id=self.worker_id,
                defaults={
                    "host": socket.gethostname()[:255],
                    "pid": os.getpid(),
                    "started_at": self.started_at,
                    "seen_at": now,
                    "job": stall.current_job(),
                    "media_error": media_problem(),
                },
            )
            if time.monotonic() - self.recovered_at >= RECOVERY_EVERY_SECONDS:
                self.recovered_at = time.monotonic()
                WorkerHeartbeat.objects.filter(seen_at__lt=now - FORGET_AFTER).delete()
                handled = stall.recover_all()
                if any(handled.values()):
                    logger.warning("stalled jobs handed on: %s", handled)
        except DatabaseError as exc:
            logger.warning("worker heartbeat not written (database unavailable): %s", exc)
            connection.close()
        except Exception:
            logger.exception("worker heartbeat failed")
        else:
            if self.on_success is not None:
                self.on_success()

    def stop(self) -> None:
        self.stopping.set()


class Worker(base.Worker):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.backoff = Backoff()

    def run(self) -> None:
        heartbeat = Heartbeat(self.worker_id, on_success=self.backoff.reset)
        heartbeat.start()
        try:
            while True:
                try:
                    return super().run()
                except DatabaseError as exc:
                    if not self.running:
                        raise
                    delay = self.backoff.next()
                    logger.warning("database unavailable (%s); polling again in %.1f s", exc, delay)
                    self.forget_connections()
                    time.sleep(delay)
                    self.startup_delay = False
        finally:
            heartbeat.stop()

    def run_task(self, db_task_result) -> None:
        """A job that fails ends that job only, also when its failure cannot be recorded."""
        try:
            super().run_task(db_task_result)
        except DatabaseError as exc:
            logger.error("the outcome of task %s could not be recorded: %s", db_task_result.id, exc)
            self.forget_connections()

    @staticmethod
    def forget_connections() -> None:
        for conn in connections.all(initialized_only=True):
            try:
                conn.close()
            except DatabaseError:
                pass  # the connection is gone already
