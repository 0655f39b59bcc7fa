"""项目总览, the supervisor dashboard and project list: real figures, constant query counts."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from attendance.models import DailySummary
from contracts.models import Contract
from jmzhgd.core.codes import ContractPeriodType, ContractType, PersonCategory
from jmzhgd.portal.figures import dashboard_figures, project_figures, with_site_counts
from projects.models import Project
from tests import factories

from .helpers import make_declaration

pytestmark = pytest.mark.django_db


def populate(project, workers: int, today):
    """Units, teams and `workers` on site, half present today, one with a valid contract."""
    team = factories.TeamFactory(unit=factories.UnitFactory(project=project))
    entries = []
    for i in range(workers):
        person = factories.PersonFactory(id_valid_to=today + timedelta(days=10) if i == 0 else None)
        entries.append(
            factories.RosterEntryFactory(team=team, person=person, entry_date=today - timedelta(days=5))
        )
        if i % 2 == 0:
            DailySummary.objects.create(
                project=project, person=person, work_date=today, punch_count=2, is_present=True
            )
        DailySummary.objects.create(
            project=project,
            person=person,
            work_date=today - timedelta(days=1),
            punch_count=1,
            is_present=True,
        )
    Contract.objects.create(
        project=project,
        roster_entry=entries[0],
        person=entries[0].person,
        unit=entries[0].unit,
        contract_type=ContractType.LABOUR_CONTRACT,
        period_type=ContractPeriodType.FIXED,
        start_date=today - timedelta(days=5),
        end_date=today + timedelta(days=300),
    )
    exited = factories.RosterEntryFactory(team=team, entry_date=today - timedelta(days=9))
    exited.exit_date = today - timedelta(days=2)
    exited.save()
    return entries


def test_overview_figures_come_from_real_rows(project):
    today = timezone.localdate()
    populate(project, 4, today)
    figures = project_figures(project, today=today)
    assert figures["units_on_site"] == 1 and figures["teams_on_site"] == 1
    assert figures["workers_on_site"] == 4
    assert dict(figures["by_category"])[PersonCategory.WORKER.label] == 4
    assert figures["present_today"] == 2 and figures["attendance_rate"] == 50.0
    assert figures["without_contract"] == 3
    assert figures["ids_expiring"] == 1
    assert figures["chart"]["values"][-1] == 2 and figures["chart"]["values"][-2] == 4
    assert len(figures["chart"]["labels"]) == 30
    kinds = [m["kind"] for m in figures["recent_moves"]]
    assert kinds[0] == "退场" and "进场" in kinds


def test_an_empty_project_shows_zeros(project_client, project):
    html = project_client.get(reverse("projects:overview", args=[project.pk])).content.decode()
    for testid in (
        "units-on-site",
        "teams-on-site",
        "workers-on-site",
        "present-today",
        "without-contract",
        "ids-expiring",
    ):
        assert f'data-testid="{testid}">0<' in html, testid
    assert "0.0%" in html and "vendor/chartjs/chart.umd.min.js" in html


def test_overview_query_count_does_not_grow_with_the_data(project, other_project):
    today = timezone.localdate()
    populate(project, 2, today)
    populate(other_project, 12, today)
    with CaptureQueriesContext(connection) as small:
        project_figures(project, today=today)
    with CaptureQueriesContext(connection) as large:
        project_figures(other_project, today=today)
    assert len(small) == len(large)


def test_dashboard_figures_and_markers(supervisor, project, other_project):
    today = timezone.localdate()
    populate(project, 4, today)
    project.lat, project.lng = 22.6, 113.08
    project.save()
    make_declaration()
    figures = dashboard_figures(supervisor, today=today)
    assert figures["pending_declarations"] == 1
    assert figures["project_count"] == 2 and figures["on_site"] == 4
    assert figures["present_today"] == 2 and figures["attendance_rate"] == 50.0
    assert dict(figures["by_district"])["蓬江区"] == 2
    assert figures["marker_count"] == 1 and _markers(figures) == [
        {
            "id": project.pk,
            "name": project.name,
            "code": project.code,
            "lat": 22.6,
            "lng": 113.08,
            "url": f"/projects/{project.pk}/",
        }
    ]
    # Kept until a project changes: a save (or a new located project) shows at once.
    project.name = "改名后的项目"
    project.save()
    assert [m["name"] for m in _markers(dashboard_figures(supervisor, today=today))] == ["改名后的项目"]
    other_project.lat, other_project.lng = 22.5, 113.1
    other_project.save()
    assert dashboard_figures(supervisor, today=today)["marker_count"] == 2
    # A district supervisor's markers are his own, never another scope's kept copy.
    district_only = factories.SupervisorFactory(districts=["440781"])
    assert dashboard_figures(district_only, today=today)["marker_count"] == 0


def _markers(figures) -> list[dict]:
    import json
    import re

    return json.loads(re.search(r">(.*)</script>", figures["markers_script"], re.S).group(1))


def test_a_district_supervisor_counts_only_its_districts(client, project):
    factories.ProjectFactory(district="440781")
    make_declaration(district="440781")
    figures = dashboard_figures(factories.SupervisorFactory(districts=["440703"]))
    assert figures["project_count"] == 1 and figures["pending_declarations"] == 0
    assert [label for label, _ in figures["by_district"]] == ["蓬江区"]


def test_dashboard_page_shows_attendance_per_project_with_constant_queries(supervisor_client, project):
    today = timezone.localdate()
    populate(project, 2, today)
    cache.clear()  # the map's markers and the trends are kept in the cache: both requests build them
    with CaptureQueriesContext(connection) as few:
        html = supervisor_client.get(reverse("projects:dashboard")).content.decode()
    assert "50.0%" in html and "vendor/leaflet/leaflet.js" in html
    for _ in range(6):
        populate(factories.ProjectFactory(lat=22.5, lng=113.0), 3, today)
    cache.clear()
    with CaptureQueriesContext(connection) as many:
        supervisor_client.get(reverse("projects:dashboard"))
    assert len(few) == len(many)
    with CaptureQueriesContext(connection) as kept:
        supervisor_client.get(reverse("projects:dashboard"))
    # The markers (1 query) and the trends (3 for attendance, 1 for wages, 2 for alerts) were kept.
    assert len(kept) == len(many) - 1 - 6


def test_project_list_filters_sorts_and_searches(supervisor_client):
    a = factories.ProjectFactory(name="蓬江在建项目", district="440703", status="003", category="01")
    b = factories.ProjectFactory(name="台山停工项目", district="440781", status="005", category="02")
    page = reverse("projects:list")
    html = supervisor_client.get(page, {"district": "440781"}).content.decode()
    assert b.name in html and a.name not in html
    html = supervisor_client.get(page, {"status": "003"}).content.decode()
    assert a.name in html and b.name not in html
    html = supervisor_client.get(page, {"category": "02"}).content.decode()
    assert b.name in html and a.name not in html
    html = supervisor_client.get(page, {"q": b.code}).content.decode()
    assert b.name in html and a.name not in html
    html = supervisor_client.get(page, {"sort": "code"}).content.decode()
    assert html.index(a.code) < html.index(b.code)
    html = supervisor_client.get(page, {"sort": "-code"}).content.decode()
    assert html.index(b.code) < html.index(a.code)
    assert supervisor_client.get(page, {"sort": "-workers_on_site"}).status_code == 200
    assert reverse("projects:card", args=[a.pk]) in supervisor_client.get(page).content.decode()


def test_dashboard_and_project_list_sort_by_the_kept_on_site_counts(supervisor, supervisor_client):
    today = timezone.localdate()
    small, large, empty = (factories.ProjectFactory(name=n) for n in ("小项目", "大项目", "空项目"))
    populate(small, 1, today)
    populate(large, 3, today)
    # An exit moves the figures at once: the large project keeps 2 on site, still the most.
    large_entry = large.roster.filter(exit_date__isnull=True).first()
    large_entry.exit_date = today
    large_entry.save()
    assert dashboard_figures(supervisor, today=today)["on_site"] == 3
    projects = with_site_counts(Project.objects.all(), today=today).order_by("-workers_on_site", "name")
    assert [(p.name, p.workers_on_site) for p in projects] == [("大项目", 2), ("小项目", 1), ("空项目", 0)]
    html = supervisor_client.get(reverse("projects:dashboard")).content.decode()
    assert html.index(large.name) < html.index(small.name) < html.index(empty.name)
    html = supervisor_client.get(reverse("projects:list"), {"sort": "-workers_on_site"}).content.decode()
    assert html.index(large.name) < html.index(small.name) < html.index(empty.name)
    html = supervisor_client.get(reverse("projects:list"), {"sort": "workers_on_site"}).content.decode()
    assert html.index(empty.name) < html.index(small.name) < html.index(large.name)
