"""异常考勤: unmatched punches are resolved by linking a roster person, or dismissed with a reason."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from attendance.models import AnomalyStatus, DailySummary, Punch
from jmzhgd.core.models import AuditLog

from .conftest import at, unmatched_punch

pytestmark = pytest.mark.django_db


@pytest.fixture
def anomaly(site):
    # sent before the entry was recorded
    return unmatched_punch(site.project, at(20, 7, 55), "李中途", id_number=site.mid_month.person.id_number)


def url(name, punch):
    return reverse(f"attendance:{name}", kwargs={"project_id": punch.project_id, "punch_id": punch.pk})


def test_open_anomalies_are_listed_and_handled_ones_are_not_by_default(project_client, site, anomaly):
    unmatched_punch(site.project, at(3, 9), "早已忽略", AnomalyStatus.DISMISSED)
    response = project_client.get(reverse("attendance:anomalies", kwargs={"project_id": site.project.pk}))
    content = response.content.decode()
    assert "李中途" in content and "早已忽略" not in content
    assert url("anomaly_resolve", anomaly) in content
    everything = project_client.get(
        reverse("attendance:anomalies", kwargs={"project_id": site.project.pk}) + "?status="
    )
    assert "早已忽略" in everything.content.decode()


def test_the_resolve_form_offers_the_roster_of_that_day_and_suggests_the_matching_id(
    project_client, site, anomaly
):
    form = project_client.get(url("anomaly_resolve", anomaly)).context["form"]
    offered = set(form.fields["entry"].queryset)
    assert site.mid_month in offered and site.whole_month in offered
    assert site.left not in offered  # left on 04-10
    assert site.foreign not in offered
    assert form.initial["entry"] == site.mid_month.pk


def test_resolving_links_the_person_and_the_day_now_counts(project_client, site, anomaly):
    response = project_client.post(
        url("anomaly_resolve", anomaly), {"entry": site.mid_month.pk, "note": "补录花名册后关联"}
    )
    assert response.status_code == 302
    anomaly.refresh_from_db()
    assert (anomaly.person, anomaly.roster_entry) == (site.mid_month.person, site.mid_month)
    assert anomaly.is_anomaly and anomaly.anomaly_status == AnomalyStatus.RESOLVED
    assert anomaly.resolved_by is not None and anomaly.resolved_at is not None
    summary = DailySummary.objects.get(person=site.mid_month.person, work_date=datetime.date(2026, 4, 20))
    assert summary.is_present and summary.punch_count == 1
    log = AuditLog.objects.get(action="punch.resolve")
    assert log.project == site.project and "李中途" in log.summary


def test_a_person_not_on_the_roster_that_day_cannot_be_linked(project_client, site, anomaly):
    response = project_client.post(url("anomaly_resolve", anomaly), {"entry": site.left.pk})
    assert response.status_code == 200
    assert "所选人员不在本项目该日的花名册中" in response.content.decode()
    anomaly.refresh_from_db()
    assert anomaly.anomaly_status == AnomalyStatus.OPEN


def test_another_projects_roster_entry_cannot_be_linked(project_client, site, anomaly):
    response = project_client.post(url("anomaly_resolve", anomaly), {"entry": site.foreign.pk})
    assert response.status_code == 200
    assert Punch.objects.get(pk=anomaly.pk).person is None


def test_dismissing_needs_a_reason_and_keeps_the_punch(project_client, site, anomaly):
    response = project_client.post(url("anomaly_dismiss", anomaly), {"reason": "  "}, follow=True)
    assert "请填写忽略原因" in response.content.decode()
    assert Punch.objects.get(pk=anomaly.pk).anomaly_status == AnomalyStatus.OPEN
    project_client.post(url("anomaly_dismiss", anomaly), {"reason": "访客误刷"})
    anomaly.refresh_from_db()
    assert (anomaly.anomaly_status, anomaly.resolution_note) == (AnomalyStatus.DISMISSED, "访客误刷")
    assert not DailySummary.objects.filter(work_date=datetime.date(2026, 4, 20)).exists()
    assert AuditLog.objects.filter(action="punch.dismiss", project=site.project).exists()


def test_a_handled_anomaly_cannot_be_handled_again(project_client, site, anomaly):
    project_client.post(url("anomaly_dismiss", anomaly), {"reason": "访客误刷"})
    response = project_client.post(url("anomaly_resolve", anomaly), {"entry": site.mid_month.pk})
    assert "该异常考勤已处理" in response.content.decode()
    response = project_client.post(url("anomaly_dismiss", anomaly), {"reason": "再次"}, follow=True)
    assert "该异常考勤已处理" in response.content.decode()
    assert Punch.objects.get(pk=anomaly.pk).resolution_note == "访客误刷"


def test_a_supervisor_reads_anomalies_but_cannot_handle_them(supervisor_client, site, anomaly):
    assert (
        supervisor_client.get(
            reverse("attendance:anomalies", kwargs={"project_id": site.project.pk})
        ).status_code
        == 200
    )
    assert supervisor_client.post(url("anomaly_dismiss", anomaly), {"reason": "x"}).status_code == 403
    assert (
        supervisor_client.post(url("anomaly_resolve", anomaly), {"entry": site.mid_month.pk}).status_code
        == 403
    )
    assert Punch.objects.get(pk=anomaly.pk).anomaly_status == AnomalyStatus.OPEN


def test_a_matched_punch_is_not_an_anomaly_to_handle(project_client, site):
    punch = Punch.objects.filter(person=site.whole_month.person).first()
    assert project_client.get(url("anomaly_resolve", punch)).status_code == 404
    assert project_client.post(url("anomaly_dismiss", punch), {"reason": "x"}).status_code == 404
