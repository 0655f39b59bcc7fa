"""项目总览, the supervisor's dashboard and the project list: their figures count units, workers and
attendance, so they live on the top floor (README "Floors"); the project's own pages stay in projects."""

from __future__ import annotations

import django_tables2 as tables
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from attendance.key_posts import average_rate, key_post_duty
from jmzhgd.core.access import project_for, require_supervisor
from jmzhgd.core.list_views import SupervisorListView
from jmzhgd.core.tables import paginate_table
from jmzhgd.db.routers import reads_from_replica
from projects.filters import ProjectFilter
from projects.models import Project
from projects.tables import DashboardProjectTable, ProjectTable
from projects.views import map_settings

from . import district_map, figures, trends


@login_required
def overview(request, project_id):
    """项目总览 (docs/requirements.md §3)."""
    project = project_for(request, project_id)
    return render(
        request,
        "projects/overview.html",
        {"project": project, "figures": figures.project_figures(project)},
    )


class KeyPostRateColumn(tables.Column):
    """This month's 关键岗位到岗率 of the project (attendance.key_posts), read for the shown page only."""

    def __init__(self):
        super().__init__(
            verbose_name="关键岗位到岗率（本月）",
            empty_values=(),
            orderable=False,
            accessor="pk",
            attrs={"td": {"class": "text-end", "data-testid": "key-post-rate"}},
        )

    def render(self, record, table):
        duties = getattr(table, "key_post_duty", {}).get(record.pk, [])
        rate = average_rate(duties)
        vacant = sum(1 for d in duties if d.vacant)
        text = "—" if rate is None else f"{rate}%"
        return f"{text}（空缺 {vacant} 岗）" if vacant else text


@login_required
@reads_from_replica
def dashboard(request):
    """监管总览: pending declarations, projects by status and 区县, workers on site, today's
    attendance per project, the district map with the projects' pins, and the trends.

    `?district=` (one of the supervisor's 区县, as a click on the map sends) narrows the page to it;
    `?project=` (a project in scope) adds its line to the attendance trend."""
    require_supervisor(request.user)
    districts = dict(district_map.district_choices(request.user))
    district = request.GET.get("district")
    if district not in districts:
        district = None
    scope = Project.objects.visible_to(request.user)
    in_view = scope.filter(district=district) if district else scope
    chosen = _chosen_project(request, scope)
    projects = figures.with_site_counts(in_view)
    table = DashboardProjectTable(
        projects.order_by("-workers_on_site", "-id"), extra_columns=[("key_posts", KeyPostRateColumn())]
    )
    paginate_table(request, table, 10)
    today = timezone.localdate()
    table.key_post_duty = key_post_duty([row.record.pk for row in table.page.object_list], today, today)
    scope_label = district_map.scope_label(request.user)
    numbers = figures.dashboard_figures(request.user, today=today, district=district)
    metric = request.GET.get("metric")
    return render(
        request,
        "projects/dashboard.html",
        {
            "figures": numbers,
            "district_figures": {
                "rows": [row.as_json() for row in numbers["districts"]],
                "metrics": district_map.METRICS,
                "selected": district,
                "severity": district_map.SEVERITY_LABELS,
            },
            "metric": metric if metric in district_map.METRIC_KEYS else district_map.METRIC_KEYS[0],
            "table": table,
            "map_settings": map_settings(),
            "district": district,
            "district_label": districts.get(district, ""),
            "scope_label": scope_label,
            "chosen_project": chosen,
            "metrics": district_map.METRICS,
            "severity_legend": district_map.severity_legend(),
            "charts": trends.dashboard_trends(
                scope,
                today,
                scope_label=scope_label,
                district=(district, districts[district]) if district else None,
                project=chosen,
            ),
        },
    )


def _chosen_project(request, scope):
    """The project of `?project=` if the user may see it (anything else is ignored)."""
    value = request.GET.get("project", "")
    if not (value.isascii() and value.isdigit()) or len(value) > 12:
        return None
    return scope.filter(pk=int(value)).only("id", "name").first()


class ProjectLibraryView(SupervisorListView):
    """项目库 (supervisor): every project in scope, sortable and filterable, opening the card."""

    template_name = "projects/list.html"
    title = "项目库"
    filterset_class = ProjectFilter

    def get_queryset(self):
        return figures.with_site_counts(Project.objects.visible_to(self.request.user))

    def get_table(self, filterset):
        return ProjectTable(filterset.qs.order_by("-created_at", "-id"))
