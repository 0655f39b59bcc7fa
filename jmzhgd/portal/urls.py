"""The top floor's pages, mounted by the root URLconf into the namespaces their apps own.

Their names and paths are the ones they always had (projects:overview, workforce:roster, …): the
root joins these lists to the apps' own, so a template or a test cannot tell where a view lives.
"""

from __future__ import annotations

from django.urls import path

from . import projects, reports, roster

P = "projects/<int:project_id>/"

projects_urlpatterns = [
    path("dashboard/", projects.dashboard, name="dashboard"),
    path("dashboard/monthly/", reports.monthly_report, name="monthly_report"),
    path("projects/", projects.ProjectLibraryView.as_view(), name="list"),
    path(P, projects.overview, name="overview"),
]

workforce_urlpatterns = [
    path(P + "roster/", roster.RosterListView.as_view(), name="roster"),
    path(P + "roster/export/", roster.roster_export, name="roster_export"),
    path(P + "persons/<int:person_id>/", roster.person_detail, name="person_detail"),
    path(P + "persons/<int:person_id>/reveal/", roster.person_reveal, name="person_reveal"),
]
