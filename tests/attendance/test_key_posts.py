"""关键岗位到岗: each key post's days on duty and 到岗率 from attendance, on 项目总览, the supervisor's
dashboard and the month table export."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from attendance.key_posts import key_post_duty, working_days
from attendance.models import DailySummary
from jmzhgd.core.codes import CorpType, PersonCategory
from jmzhgd.core.models import ManagementPost
from tests import factories

pytestmark = pytest.mark.django_db
TODAY = date(2026, 6, 10)  # a Wednesday: June 1–10 has 9 working days (Monday to Saturday)


def holder(project, code, **kwargs):
    unit = factories.UnitFactory(
        project=project, corp_type=kwargs.pop("corp_type", CorpType.GENERAL_CONTRACTOR)
    )
    return factories.RosterEntryFactory(
        team__unit=unit,
        category=PersonCategory.MANAGER,
        post=ManagementPost.objects.get(code=code),
        entry_date=date(2026, 5, 1),
        **kwargs,
    )


def present(entry, *days):
    for day in days:
        DailySummary.objects.create(
            project=entry.project, person=entry.person, work_date=day, punch_count=2, is_present=True
        )


def test_working_days_are_monday_to_saturday():
    assert len(working_days(date(2026, 6, 1), TODAY)) == 9


def test_a_post_is_on_duty_on_a_working_day_when_any_holder_is_present(project):
    manager, deputy = holder(project, "P01"), holder(project, "P01")
    present(manager, date(2026, 6, 1), date(2026, 6, 2), date(2026, 6, 7))  # the 7th is a Sunday
    present(deputy, date(2026, 6, 2), date(2026, 6, 3))
    duties = {d.code: d for d in key_post_duty([project.pk], TODAY, TODAY)[project.pk]}
    pm = duties["P01"]
    assert pm.present_days == 3 and pm.rate == Decimal("33.3") and len(pm.holders) == 2
    assert duties["P02"].vacant and duties["P02"].rate_label == "岗位空缺"


def test_the_overview_shows_the_posts_and_exports_the_month_table(project_client, project):
    manager = holder(project, "P01")
    present(manager, date(2026, 6, 1))
    page = project_client.get(reverse("projects:overview", kwargs={"project_id": project.pk}))
    html = page.content.decode()
    assert 'data-testid="key-posts"' in html and "项目经理" in html and "岗位空缺" in html
    url = reverse("attendance:key_posts_export", kwargs={"project_id": project.pk})
    response = project_client.get(url, {"month": "2026-06"})
    sheet = load_workbook(
        io.BytesIO(b"".join(response.streaming_content if response.streaming else [response.content]))
    ).active
    rows = [[c for c in row] for row in sheet.iter_rows(values_only=True)]
    header = next(r for r in rows if r and r[0] == "岗位")
    pm = next(r for r in rows if r and r[0] == "项目经理")
    assert pm[1] == manager.person.name and pm[header.index("1")] == "√" and pm[header.index("7")] == "—"
    assert project_client.get(url, {"month": "2026-13"}).status_code == 302


def test_the_dashboard_shows_each_projects_rate(supervisor_client, project):
    present(holder(project, "P01"), date(2026, 6, 1))
    page = supervisor_client.get(reverse("projects:dashboard"))
    assert "关键岗位到岗率（本月）" in page.content.decode() and "空缺" in page.content.decode()
