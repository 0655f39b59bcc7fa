from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.shortcuts import render

from jmzhgd.core.access import project_for, require_supervisor
from jmzhgd.core.codes import ProjectStatus

from .models import Project


@login_required
def overview(request, project_id):
    """项目总览 (SPEC §3)."""
    project = project_for(request, project_id)
    from . import overview as figures

    return render(
        request, "projects/overview.html", {"project": project, "figures": figures.project_figures(project)}
    )


@login_required
def card(request, project_id):
    """项目库: the project card (read-only for supervisors)."""
    project = project_for(request, project_id)
    return render(request, "projects/card.html", {"project": project})


@login_required
def dashboard(request):
    """Supervisor dashboard: the projects in scope at a glance."""
    require_supervisor(request.user)
    projects = Project.objects.visible_to(request.user)
    by_status = projects.values("status").annotate(n=Count("id")).order_by("status")
    labels = dict(ProjectStatus.choices)
    from workforce.models import RosterEntry

    on_site = RosterEntry.objects.filter(project__in=projects, exit_date__isnull=True).count()
    context = {
        "project_count": projects.count(),
        "by_status": [
            {"label": labels.get(row["status"], row["status"]), "n": row["n"]} for row in by_status
        ],
        "on_site": on_site,
        "under_construction": projects.filter(status=ProjectStatus.UNDER_CONSTRUCTION).count(),
        "projects_with_counts": projects.annotate(
            workers=Count("roster", filter=Q(roster__exit_date__isnull=True))
        ).order_by("-workers")[:10],
    }
    return render(request, "projects/dashboard.html", context)


@login_required
def project_list(request):
    """Supervisor: every project in scope."""
    require_supervisor(request.user)
    projects = Project.objects.visible_to(request.user).order_by("-created_at")
    return render(request, "projects/list.html", {"projects": projects})
