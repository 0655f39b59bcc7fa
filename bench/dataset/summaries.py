"""Daily summaries of the built punches."""

from __future__ import annotations

from django.db import connection as default_connection

# --- Daily summaries ------------------------------------------------------------------------


def build_summaries(project_ids: list[int], connection=default_connection) -> int:
    """Daily summaries of these projects from their punches: attendance.summaries' own rebuild
    (on PostgreSQL one INSERT … SELECT per project-month)."""
    from attendance.summaries import rebuild_daily_summaries

    written = sum(rebuild_daily_summaries(project=pid) for pid in project_ids)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return written
