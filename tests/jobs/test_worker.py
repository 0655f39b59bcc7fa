"""The real queue: a job enqueued on the database backend is picked up by a real
`manage.py db_worker` process, as `make run` and the systemd units start it (docs/jobs.md)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection

from jmzhgd.jobs.models import Export, ExportState
from jmzhgd.jobs.tasks import run_export

ROOT = Path(__file__).resolve().parents[2]


def database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    credentials = quote(db["USER"] or "") + (f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else "")
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.mark.django_db(transaction=True)
def test_a_real_db_worker_takes_a_queued_export_to_ready(queued, settings):
    from django_tasks_db.models import DBTaskResult

    export = queued
    result = run_export.using(backend="database").enqueue(export.pk)
    assert DBTaskResult.objects.get(id=result.id).status == "READY"
    assert Export.objects.get(pk=export.pk).state == ExportState.QUEUED

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "jmzhgd.settings_test",
        "DATABASE_URL": database_url(),
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
    }
    worker = subprocess.run(
        [sys.executable, "manage.py", "db_worker", "--backend", "database", "--batch", "--no-reload"]
        + ["--no-startup-delay", "--interval", "0"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert worker.returncode == 0, worker.stderr

    assert DBTaskResult.objects.get(id=result.id).status == "SUCCESSFUL"
    export.refresh_from_db()
    assert (export.state, export.done_rows, export.attempts) == (ExportState.READY, 5, 1)
    assert (Path(settings.MEDIA_ROOT) / export.storage_name).stat().st_size == export.size
