"""The job functions the workers run (Django's Tasks API, docs/jobs.md). Each takes ids only: the
job re-reads everything, and re-checks access, when it runs."""

from __future__ import annotations

from django_tasks import task

from . import runner


@task()
def run_export(export_id: int) -> str:
    return runner.write_export(export_id)
