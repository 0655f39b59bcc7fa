"""项目总览, the supervisor's dashboard and the project list: their figures count units, workers and
attendance, so they live on the top floor (README "Floors"); the project's own pages stay in projects."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from jmzhgd.core.access import project_for, require_supervisor
from jmzhgd.core.tables import paginate_table
from projects.filters import ProjectFilter
from projects.models import Project
from projects.tables import DashboardProjectTable, ProjectTable
from projects.views import map_settings

from . import figures


@login_required
def overview(request, project_id):
    """项目总览 (docs/requirements.md §3)."""
    project = project_for(request, project_id)
    return render(
        request,
        "projects/overview.html",
        {"project": project, "figures": figures.project_figures(project)},
    )


@login_required
def dashboard(request):
    """监管总览: pending declarations, projects by status and 区县, workers on site, today's
    attendance per project, and a map of the projects."""
    require_supervisor(request.user)
    projects = figures.with_site_counts(Project.objects.visible_to(request.user))
    table = DashboardProjectTable(projects.order_by("-workers_on_site", "-id"))
    paginate_table(request, table, 10)
    return render(
        request,
        "projects/dashboard.html",
        {
            "figures": figures.dashboard_figures(request.user),
            "table": table,
            "map_settings": map_settings(),
        },
    )


@login_required
def project_list(request):
    """项目库 (supervisor): every project in scope, sortable and filterable, opening the card."""
    require_supervisor(request.user)
    projects = figures.with_site_counts(Project.objects.visible_to(request.user))
    filterset = ProjectFilter(request.GET, queryset=projects)
    table = ProjectTable(filterset.qs.order_by("-created_at", "-id"))
    paginate_table(request, table)
    return render(request, "projects/list.html", {"filter": filterset, "table": table})
