"""监管总览's district map and trends: figures per 区县, the district filter, the pins' alert colours,
and the three trend series (with the data tables the page prints under the charts)."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from jmzhgd.portal import district_map, trends
from projects.models import Project
from tests import factories

from .supervisor_data import build_city

pytestmark = pytest.mark.django_db


@pytest.fixture
def city():
    cache.clear()
    return build_city()


def test_each_district_row_counts_workers_attendance_alerts_and_arrears(city):
    rows = {
        r.code: r
        for r in district_map.district_rows(
            Project.objects.all(), district_map.District.choices, timezone.localdate()
        )
    }
    assert len(rows) == 7 and rows["440705"].projects == 0
    taishan, pengjiang = rows["440781"], rows["440703"]
    assert (taishan.projects, taishan.on_site, taishan.present, taishan.rate) == (1, 7, 3, 42.9)
    assert (taishan.alerts, taishan.arrears) == (2, 1)
    assert (pengjiang.on_site, pengjiang.rate, pengjiang.alerts, pengjiang.arrears) == (2, 50.0, 0, 0)


def test_a_pin_takes_the_colour_of_its_projects_worst_pending_alert(city):
    assert district_map.worst_alerts(Project.objects.all()) == {city.taishan.pk: 3}


def test_a_district_click_narrows_the_page_to_it(supervisor_client, city):
    page = reverse("projects:dashboard")
    html = supervisor_client.get(page).content.decode()
    assert "蓬江安置房" in html and "台山大桥" in html and 'data-testid="dashboard-scope">全市' in html
    response = supervisor_client.get(page, {"district": "440781", "metric": "alerts"})
    html = response.content.decode()
    assert "台山大桥" in html and "蓬江安置房" not in html
    assert 'data-testid="dashboard-scope">台山市' in html and '<option value="alerts" selected>' in html
    assert response.context["figures"]["on_site"] == 7
    # The map keeps every district's figures while the page is narrowed.
    assert [row["code"] for row in response.context["district_figures"]["rows"]][-1] == "440785"


def test_a_district_outside_the_supervisors_scope_is_not_a_filter(client, city):
    client.force_login(factories.SupervisorFactory(districts=["440703"]))
    response = client.get(reverse("projects:dashboard"), {"district": "440781"})
    html = response.content.decode()
    assert response.context["district"] is None
    assert "蓬江安置房" in html and "台山大桥" not in html
    assert [row["code"] for row in response.context["district_figures"]["rows"]] == ["440703"]


def test_a_project_outside_the_scope_adds_no_trend_line(client, city):
    client.force_login(factories.SupervisorFactory(districts=["440703"]))
    charts = client.get(reverse("projects:dashboard"), {"project": city.taishan.pk}).context["charts"]
    assert [s["label"] for s in charts[0]["series"]] == ["蓬江区"]
    for odd in ({"project": "²"}, {"project": "9" * 40}, {"district": "4407"}, {"metric": "<b>"}):
        response = client.get(reverse("projects:dashboard"), odd)
        assert response.status_code == 200 and response.context["district"] is None
        assert response.context["chosen_project"] is None and response.context["metric"] == "on_site"


def test_the_three_trends_and_their_tables(supervisor_client, city):
    response = supervisor_client.get(
        reverse("projects:dashboard"), {"district": "440781", "project": city.taishan.pk}
    )
    attendance, wages, alerts = response.context["charts"]
    assert [s["label"] for s in attendance["series"]] == ["全市", "台山市", "台山大桥"]
    city_line, district_line, project_line = (s["values"] for s in attendance["series"])
    assert len(city_line) == trends.TREND_DAYS
    assert city_line[-1] == 44.4 and district_line[-1] == project_line[-1] == 42.9
    assert city_line[0] == 0.0  # nobody present 29 days ago
    paid = dict(zip(wages["labels"], wages["series"][0]["values"], strict=True))
    assert sum(paid.values()) == 1 and len(paid) == trends.WAGE_MONTHS
    assert sum(alerts["series"][0]["values"]) == 2  # opened in 台山市 (the district narrows it)
    html = response.content.decode()
    assert html.count("<summary") == 3 and "逾期未发放" in html


def test_trend_rates_follow_entries_and_exits():
    today = timezone.localdate()
    project = factories.ProjectFactory()
    team = factories.TeamFactory(unit=factories.UnitFactory(project=project))
    stayed = factories.RosterEntryFactory(team=team, entry_date=today - timezone.timedelta(days=40))
    left = factories.RosterEntryFactory(team=team, entry_date=today - timezone.timedelta(days=40))
    left.exit_date = today - timezone.timedelta(days=1)
    left.save()
    from attendance.models import DailySummary

    for day in (2, 0):
        DailySummary.objects.create(
            project=project,
            person=stayed.person,
            work_date=today - timezone.timedelta(days=day),
            is_present=True,
        )
    rates = trends.attendance_rates(Project.objects.all(), today)
    assert rates[-3:] == [50.0, 0.0, 100.0]  # two on site, then one after the exit


def test_the_narrowed_dashboard_keeps_a_constant_number_of_queries(supervisor_client, city):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    query = {"district": "440781", "project": city.taishan.pk}
    cache.clear()
    with CaptureQueriesContext(connection) as few:
        supervisor_client.get(reverse("projects:dashboard"), query)
    for _ in range(4):
        build_city()
    cache.clear()
    with CaptureQueriesContext(connection) as many:
        supervisor_client.get(reverse("projects:dashboard"), query)
    assert len(few) == len(many)
