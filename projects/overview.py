"""The figures of 项目总览, each computed from real rows (none is faked)."""

from __future__ import annotations

from django.db.models import Count, Q

from jmzhgd.core.codes import PersonCategory


def project_figures(project) -> dict:
    from enterprises.models import ParticipatingUnit, Team
    from workforce.models import RosterEntry

    on_site = RosterEntry.objects.filter(project=project, exit_date__isnull=True)
    by_category = dict(on_site.values_list("category").annotate(n=Count("id")).values_list("category", "n"))
    units = ParticipatingUnit.objects.filter(project=project).aggregate(
        total=Count("id"), on_site=Count("id", filter=Q(exit_date__isnull=True))
    )
    teams = Team.objects.filter(project=project).aggregate(
        total=Count("id"), on_site=Count("id", filter=Q(exit_date__isnull=True))
    )
    return {
        "units_on_site": units["on_site"],
        "units_total": units["total"],
        "teams_on_site": teams["on_site"],
        "teams_total": teams["total"],
        "workers_on_site": sum(by_category.values()),
        "by_category": [(label, by_category.get(value, 0)) for value, label in PersonCategory.choices],
        "recent_entries": RosterEntry.objects.filter(project=project)
        .select_related("person", "team")
        .order_by("-updated_at")[:10],
    }
