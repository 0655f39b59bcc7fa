"""The job functions the workers run (Django's Tasks API, docs/jobs.md). Each takes ids only: the
job re-reads everything, and re-checks access, when it runs."""

from __future__ import annotations

from django_tasks import task


@task()
def run_export(export_id: int) -> str:
    from . import services

    return services.run_export(export_id)
