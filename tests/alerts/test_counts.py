"""The pending-alert counts kept by the database (PendingAlertCount) and the 预警中心 built on them.

Every write path is checked against the truth, `Alert.objects.active()` counted per (project, rule):
the nightly evaluation, 处理, bulk updates, deletes and a deleted project; on PostgreSQL through the
statement-level triggers, on SQLite through the row-level ones.
"""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from alerts.evaluation import evaluate
from alerts.models import Alert, AlertState, PendingAlertCount
from alerts.services import handle_alert
from jmzhgd.core.actor import Actor
from jmzhgd.core.codes import District
from tests import factories
from tests.alerts.test_pages import make_alert

pytestmark = pytest.mark.django_db

NOW = timezone.make_aware(datetime.datetime(2026, 6, 15, 3, 30))


def kept() -> dict:
    return {(c.project_id, c.rule): c.n for c in PendingAlertCount.objects.all()}


def truth() -> dict:
    rows = Alert.objects.active().order_by().values_list("project_id", "rule").annotate(n=Count("id"))
    return {(project_id, rule): n for project_id, rule, n in rows}


def assert_counts_kept() -> dict:
    assert kept() == truth()
    return kept()


def test_the_evaluation_opening_and_closing_alerts_keeps_the_counts():
    entries = [factories.RosterEntryFactory() for _ in range(3)]  # on site without a contract
    outcome = evaluate(["contract_missing"], now=NOW)["contract_missing"]
    assert outcome.opened == 3
    assert assert_counts_kept() == {(e.project_id, "contract_missing"): 1 for e in entries}
    factories.ContractFactory(roster_entry=entries[0], start_date=entries[0].entry_date)
    assert evaluate(["contract_missing"], now=NOW)["contract_missing"].closed == 1  # 自动关闭
    assert Alert.objects.filter(state=AlertState.RESOLVED).count() == 1
    assert (entries[0].project_id, "contract_missing") not in assert_counts_kept()


def test_handling_moves_an_alert_out_of_and_back_into_the_counts(supervisor):
    project = factories.ProjectFactory()
    alert = make_alert(project)
    second = make_alert(project, subject_id=2)
    assert assert_counts_kept() == {(project.pk, "no_attendance"): 2}
    actor = Actor(user=supervisor)
    handle_alert(actor, alert, AlertState.IN_PROGRESS, "")  # still pending
    assert assert_counts_kept() == {(project.pk, "no_attendance"): 2}
    handle_alert(actor, alert, AlertState.RESOLVED, "已整改")
    handle_alert(actor, second, AlertState.IGNORED, "停工")
    assert assert_counts_kept() == {}
    handle_alert(actor, second, AlertState.OPEN, "")  # reopened
    assert assert_counts_kept() == {(project.pk, "no_attendance"): 1}


def test_bulk_updates_of_state_rule_and_project_and_deletes_keep_the_counts():
    a, b = factories.ProjectFactory(), factories.ProjectFactory()
    for i in range(4):
        make_alert(a, subject_id=i)
        make_alert(b, rule="device_silent", subject_type="device", subject_id=i)
    make_alert(a, subject_id=99, state=AlertState.IGNORED)
    assert assert_counts_kept() == {(a.pk, "no_attendance"): 4, (b.pk, "device_silent"): 4}
    Alert.objects.filter(project=a, subject_id__lt=2).update(state=AlertState.RESOLVED)
    Alert.objects.filter(state=AlertState.IGNORED).update(state=AlertState.IN_PROGRESS)
    Alert.objects.filter(project=b, subject_id=0).update(rule="no_attendance", project=a)
    Alert.objects.filter(project=b).update(last_seen_at=NOW)  # no count changes
    assert assert_counts_kept() == {
        (a.pk, "no_attendance"): 4,
        (b.pk, "device_silent"): 3,
    }
    Alert.objects.filter(project=b, subject_id__in=[1, 2]).delete()
    Alert.objects.filter(project=a, state=AlertState.RESOLVED).delete()  # not pending: no change
    assert assert_counts_kept() == {(a.pk, "no_attendance"): 4, (b.pk, "device_silent"): 1}


def test_a_deleted_project_leaves_no_counts_behind():
    gone, stays = factories.ProjectFactory(), factories.ProjectFactory()
    for i in range(3):
        make_alert(gone, subject_id=i)
    make_alert(stays)
    gone.delete()
    assert assert_counts_kept() == {(stays.pk, "no_attendance"): 1}


def test_recount_alerts_repairs_a_broken_count():
    project = factories.ProjectFactory()
    make_alert(project)
    make_alert(project, rule="device_silent", subject_type="device", subject_id=1)
    out = StringIO()
    call_command("recount_alerts", stdout=out)
    assert out.getvalue().strip() == "待处理预警 2 条，涉及 2 个项目与规则的组合；计数无误，无需修正。"
    PendingAlertCount.objects.filter(rule="device_silent").update(n=7)
    PendingAlertCount.objects.create(project=factories.ProjectFactory(), rule="no_attendance", n=3)
    PendingAlertCount.objects.filter(rule="no_attendance", project=project).delete()
    out = StringIO()
    call_command("recount_alerts", stdout=out)
    assert out.getvalue().strip() == "待处理预警 2 条，涉及 2 个项目与规则的组合；已修正 3 处计数。"
    assert assert_counts_kept() == {(project.pk, "no_attendance"): 1, (project.pk, "device_silent"): 1}


# --- The 预警中心 ---------------------------------------------------------------------------


@pytest.fixture
def province():
    """Pending and handled alerts over three districts and two rules."""
    projects = [
        factories.ProjectFactory(district=d)
        for d in (District.PENGJIANG, District.PENGJIANG, District.XINHUI, District.TAISHAN)
    ]
    for n, project in enumerate(projects):
        for i in range(n + 1):
            make_alert(project, subject_id=i, days_ago=i * 5)
            make_alert(project, rule="device_silent", subject_type="device", subject_id=i)
        make_alert(project, subject_id=50, state=AlertState.IN_PROGRESS, days_ago=8)
        make_alert(project, subject_id=60, state=AlertState.RESOLVED)
        make_alert(project, subject_id=70, state=AlertState.IGNORED)
    return projects


@pytest.mark.parametrize("districts", [[], [District.PENGJIANG, District.TAISHAN]])
def test_the_centers_counts_equal_a_direct_count_in_the_supervisors_scope(client, province, districts):
    user = factories.SupervisorFactory(districts=districts)
    client.force_login(user)
    context = client.get(reverse("alerts:center")).context
    pending = Alert.objects.visible_to(user).active().order_by()
    expected_district = dict(pending.values_list("project__district").annotate(n=Count("id")))
    expected_rule = dict(pending.values_list("rule").annotate(n=Count("id")))
    assert {v: n for v, _label, n in context["by_district"] if n} == expected_district
    assert {v: n for v, _label, n in context["by_rule"] if n} == expected_rule
    assert context["pending_total"] == pending.count() == (17 if districts else 24)
    assert context["open_alert_count"] == pending.count()  # the header badge
    if districts:
        assert District.XINHUI not in expected_district


FROM_COUNTS = [
    {},
    {"rule": "device_silent"},
    {"district": District.PENGJIANG},
    {"district": District.PENGJIANG, "rule": "no_attendance"},
    {"district": District.XINHUI},  # outside a scoped supervisor's districts: the filter ignores it
    {"state": "pending", "rule": "no_attendance"},
]
COUNTED = [
    {"state": ""},
    {"state": AlertState.RESOLVED},
    {"state": AlertState.IN_PROGRESS},
    {"age": "7"},
    {"project": "项目"},
    {"state": "bogus"},  # not a choice: every state is listed
    {"rule": "device_silent", "age": "3"},
]


@pytest.mark.parametrize("districts", [[], [District.PENGJIANG, District.TAISHAN]])
@pytest.mark.parametrize("query", FROM_COUNTS + COUNTED)
def test_the_tables_total_equals_what_the_filter_selects(client, province, districts, query):
    from alerts.filters import AlertFilter
    from alerts.views import _with_pending_default
    from jmzhgd.core.tables import KnownCountPaginator

    user = factories.SupervisorFactory(districts=districts)
    client.force_login(user)
    table = client.get(reverse("alerts:center"), {**query, "per_page": 2}).context["table"]
    request = type("Request", (), {"GET": _QueryDict(query)})()
    filterset = AlertFilter(
        _with_pending_default(request), queryset=Alert.objects.visible_to(user), user=user
    )
    assert table.paginator.count == filterset.qs.count()
    assert len(table.page.object_list) == min(2, filterset.qs.count())
    assert isinstance(table.paginator, KnownCountPaginator) == (query in FROM_COUNTS)


def _QueryDict(query):
    from django.http import QueryDict

    data = QueryDict(mutable=True)
    data.update(query)
    return data


def test_the_default_page_does_not_count_the_alerts(supervisor_client, province):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        supervisor_client.get(reverse("alerts:center"))
    on_alerts = [q["sql"] for q in queries if '"alerts_alert"' in q["sql"] and "COUNT(" in q["sql"].upper()]
    assert on_alerts == []


def test_an_evaluation_that_opens_many_alerts_refreshes_the_planner_statistics(monkeypatch):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from alerts import evaluation

    monkeypatch.setattr(evaluation, "ANALYZE_AFTER", 3)
    factories.RosterEntryFactory()
    factories.RosterEntryFactory()
    with CaptureQueriesContext(connection) as few:
        evaluate(["contract_missing"], now=NOW)  # opens 2
    factories.RosterEntryFactory()
    factories.RosterEntryFactory()
    factories.RosterEntryFactory()
    with CaptureQueriesContext(connection) as many:
        evaluate(["contract_missing"], now=NOW)  # opens 3
    analyzed = [q["sql"] for q in many if q["sql"].startswith("ANALYZE")]
    assert not [q for q in few if q["sql"].startswith("ANALYZE")]
    if connection.vendor != "postgresql":
        assert analyzed == []
        return
    assert analyzed == ["ANALYZE alerts_alert"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = 'alerts_alert'")
        assert cursor.fetchone()[0] == 5
