"""The nightly retention run as a job (docs/retention.md §2): `purge_records --enqueue` queues it and a
`db_worker` runs it (in `make run`, the worker beside the server)."""

from __future__ import annotations

from django_tasks import task

from jmzhgd.core.actor import Actor

from . import purge


@task()
def purge_records_job() -> dict:
    done = purge.purge(Actor.system("保存期限清理"))
    return {"lines": len(done), "removed": sum(item.removed for item in done)}
