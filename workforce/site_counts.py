"""Rebuilding the per-project on-site counts (ProjectSiteCount) from the roster rows.

The triggers of migration 0007_project_site_counts keep the counts as the rows change; this is for after a manual
repair that went around them (a restore of one table, a count edited by hand), the way
`rebuild_attendance_summaries` rebuilds the derived summaries from the punches (docs/architecture.md pattern 6).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Count

from projects.models import Project

from .models import ProjectSiteCount, RosterEntry


@dataclass(frozen=True)
class Correction:
    project_id: int
    stored: int
    counted: int


def recount_on_site(project_id: int | None = None) -> tuple[int, list[Correction]]:
    """Set every project's stored count (or one project's) to its rows' count; return how many
    projects were checked and the corrections made."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # No roster write may land between the count and the correction (the triggers would
            # apply it to the corrected number twice or not at all); readers are not blocked.
            with connection.cursor() as cursor:
                cursor.execute(f"LOCK TABLE {RosterEntry._meta.db_table} IN SHARE MODE")
        projects = Project.objects.order_by("pk")
        if project_id is not None:
            projects = projects.filter(pk=project_id)
        project_ids = list(projects.values_list("pk", flat=True))
        counted = dict(
            RosterEntry.objects.on_site()
            .filter(project_id__in=project_ids)
            .order_by()
            .values_list("project_id")
            .annotate(n=Count("id"))
            .values_list("project_id", "n")
        )
        stored = dict(
            ProjectSiteCount.objects.filter(project_id__in=project_ids).values_list(
                "project_id", "on_site_count"
            )
        )
        corrections = [
            Correction(pk, stored.get(pk, 0), counted.get(pk, 0))
            for pk in project_ids
            if stored.get(pk, 0) != counted.get(pk, 0)
        ]
        for c in corrections:
            ProjectSiteCount.objects.update_or_create(
                project_id=c.project_id, defaults={"on_site_count": c.counted}
            )
    return len(project_ids), corrections
