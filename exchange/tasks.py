"""The province sync as a job (docs/jobs.md): one pass of `services.sync_province` over every project.

A pass is idempotent and re-entrant, so a job, the `sync_province` command and another worker's job
may run side by side: a record is claimed by a status transition under skip_locked, a poll by moving
its due time, and a change already queued is not queued again. The job takes no arguments but the
pass's time budget and returns the pass's counts (JSON, kept by the job backend).
"""

from __future__ import annotations

import dataclasses

from django.conf import settings
from django_tasks import task

from . import services

# A worker held longer than this by one pass is a worker not running exports; the rest is the next pass's.
PASS_SECONDS = 50.0


@task()
def sync_province_pass(max_seconds: float = PASS_SECONDS) -> dict:
    if not settings.PROVINCE_SYNC_ENABLED:  # the same switch as the command: off sends nothing
        return {"enabled": False}
    report = services.sync_province(max_seconds=max_seconds)
    return {"enabled": True, **dataclasses.asdict(report)}
