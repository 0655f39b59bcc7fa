"""预警中心 pages: scoping, counts, filters, 处理 (audited), the overview panel and the header badge."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from alerts.models import Alert, AlertState
from jmzhgd.core.codes import District
from jmzhgd.core.models import AuditLog
from tests import factories

pytestmark = pytest.mark.django_db


def make_alert(project, rule="no_attendance", days_ago=0, **fields):
    seen = timezone.now() - timedelta(days=days_ago)
    return Alert.objects.create(
        project=project,
        rule=rule,
        subject_type=fields.pop("subject_type", "project"),
        subject_id=fields.pop("subject_id", project.pk),
        subject_label=fields.pop("subject_label", project.name),
        facts=fields.pop("facts", {"最近考勤日期": "2026-06-01"}),
        first_seen_at=seen,
        last_seen_at=seen,
        **fields,
    )


def test_district_supervisor_sees_only_the_districts_alerts(client):
    pj = factories.ProjectFactory(name="蓬江项目", district=District.PENGJIANG)
    xh = factories.ProjectFactory(name="新会项目", district=District.XINHUI)
    own, foreign = make_alert(pj), make_alert(xh)
    client.force_login(factories.SupervisorFactory(districts=[District.PENGJIANG]))
    html = client.get(reverse("alerts:center")).content.decode()
    assert "蓬江项目" in html and "新会项目" not in html
    assert client.get(reverse("alerts:detail", args=[xh.pk, foreign.pk])).status_code == 404
    assert client.get(reverse("alerts:detail", args=[pj.pk, own.pk])).status_code == 200
    response = client.post(
        reverse("alerts:handle", args=[xh.pk, foreign.pk]), {"state": "resolved", "note": "x"}
    )
    assert response.status_code == 404
    assert Alert.objects.get(pk=foreign.pk).state == AlertState.OPEN


def test_center_counts_pending_alerts_per_district_and_rule_and_filters_by_age(supervisor_client):
    pj = factories.ProjectFactory(district=District.PENGJIANG)
    ts = factories.ProjectFactory(district=District.TAISHAN)
    make_alert(pj, days_ago=10)
    make_alert(ts, rule="device_silent", subject_type="device", subject_id=1, subject_label="1号闸机")
    make_alert(ts, state=AlertState.RESOLVED, subject_id=2)
    response = supervisor_client.get(reverse("alerts:center"))
    by_district = {v: n for v, _label, n in response.context["by_district"]}
    by_rule = {v: n for v, _label, n in response.context["by_rule"]}
    assert by_district[District.PENGJIANG] == 1 and by_district[District.TAISHAN] == 1
    assert by_rule["no_attendance"] == 1 and by_rule["device_silent"] == 1
    assert len(response.context["table"].rows) == 2  # the page opens on 待处理
    aged = supervisor_client.get(reverse("alerts:center"), {"age": "7"})
    assert [r.record.project_id for r in aged.context["table"].rows] == [pj.pk]
    everything = supervisor_client.get(reverse("alerts:center"), {"state": ""})
    assert len(everything.context["table"].rows) == 3


def test_center_page_queries_do_not_grow_with_alerts(supervisor_client):
    make_alert(factories.ProjectFactory())
    with CaptureQueriesContext(connection) as few:
        supervisor_client.get(reverse("alerts:center"))
    for _ in range(5):
        make_alert(factories.ProjectFactory())
    with CaptureQueriesContext(connection) as many:
        supervisor_client.get(reverse("alerts:center"))
    assert len(few) == len(many)


def test_supervisor_ignores_an_alert_with_a_note_and_it_is_audited(supervisor_client, project):
    alert = make_alert(project)
    url = reverse("alerts:handle", args=[project.pk, alert.pk])
    refused = supervisor_client.post(url, {"state": "ignored", "note": "  "})
    assert refused.status_code == 400 and "必须填写处理说明" in refused.content.decode()
    assert Alert.objects.get(pk=alert.pk).state == AlertState.OPEN
    response = supervisor_client.post(url, {"state": "ignored", "note": "项目已停工待复工"})
    assert response.status_code == 302
    alert.refresh_from_db()
    assert (
        alert.state == AlertState.IGNORED
        and alert.note == "项目已停工待复工"
        and alert.handled_by is not None
    )
    row = AuditLog.objects.get(action="alert.handle")
    assert row.project_id == project.pk and row.before["state"] == "未处理" and row.after["state"] == "已忽略"
    detail = supervisor_client.get(reverse("alerts:detail", args=[project.pk, alert.pk])).content.decode()
    assert "项目已停工待复工" in detail and "未处理 → 已忽略" in detail


def test_project_account_works_on_its_alerts_but_may_not_ignore_them(project_client, project):
    alert = make_alert(project)
    url = reverse("alerts:handle", args=[project.pk, alert.pk])
    refused = project_client.post(url, {"state": "ignored", "note": "不想处理"})
    assert refused.status_code == 400 and "不能设为该处理状态" in refused.content.decode()
    assert project_client.post(url, {"state": "in_progress", "note": ""}).status_code == 302
    assert Alert.objects.get(pk=alert.pk).state == AlertState.IN_PROGRESS


def test_a_workers_report_is_handled_by_the_supervisor_only(project_client, project):
    report = make_alert(
        project, rule="worker_report", subject_type="person", facts={"问题类型": "工资未按时足额发放"}
    )
    response = project_client.post(
        reverse("alerts:handle", args=[project.pk, report.pk]), {"state": "resolved", "note": "已发"}
    )
    assert response.status_code == 403
    assert Alert.objects.get(pk=report.pk).state == AlertState.OPEN


def test_an_unknown_state_is_refused_with_a_message(supervisor_client, project):
    alert = make_alert(project)
    response = supervisor_client.post(
        reverse("alerts:handle", args=[project.pk, alert.pk]), {"state": "deleted"}
    )
    assert response.status_code == 400 and "不能设为该处理状态" in response.content.decode()


def test_overview_shows_the_projects_pending_alerts_and_the_header_their_count(
    project_client, project, other_project
):
    make_alert(project, subject_label="本项目预警对象")
    make_alert(project, state=AlertState.RESOLVED, subject_id=99, subject_label="已处理对象")
    make_alert(other_project, subject_label="别的项目预警")
    html = project_client.get(reverse("projects:overview", args=[project.pk])).content.decode()
    assert 'data-testid="overview-alerts"' in html and "本项目预警对象" in html
    assert "已处理对象" not in html and "别的项目预警" not in html
    assert 'data-testid="alert-badge"' in html
    assert '<span class="badge text-bg-danger">1</span></a>' in html


def test_project_list_shows_only_its_own_alerts(project_client, project, other_project):
    make_alert(project, subject_label="甲的对象")
    make_alert(other_project, subject_label="乙的对象")
    html = project_client.get(reverse("alerts:project_list", args=[project.pk])).content.decode()
    assert "甲的对象" in html and "乙的对象" not in html
