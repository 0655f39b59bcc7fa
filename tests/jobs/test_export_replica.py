"""An export job reads its rows from the standby when one is configured (jmzhgd/db/routers.py), and
writes its state and progress to the primary."""

from __future__ import annotations

import pytest

from jmzhgd.jobs import runner
from jmzhgd.jobs.models import ExportState
from tests.core.test_replica_router import BOTH, captured, tables, with_replica  # noqa: F401


@pytest.mark.django_db(transaction=True, databases=BOTH)
def test_the_export_job_reads_its_rows_from_the_replica_and_writes_its_state_to_the_primary(
    with_replica,  # noqa: F811
    queued,
    monkeypatch,
):
    monkeypatch.setattr(runner, "PROGRESS_EVERY_ROWS", 2)  # progress written between the rows
    primary, replica = captured()
    with primary, replica:
        assert runner.write_export(queued.pk) == ExportState.READY
    assert "attendance_punch" in tables(replica.captured_queries)
    assert "attendance_punch" not in tables(primary.captured_queries)
    assert "UPDATE" in tables(primary.captured_queries) and "UPDATE" not in tables(replica.captured_queries)
