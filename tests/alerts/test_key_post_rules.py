"""关键岗位空缺 and 关键岗位人员未到岗: opened and closed as the posts are filled and attended."""

from __future__ import annotations

import datetime
from datetime import date

import pytest
from django.utils import timezone

from alerts.evaluation import evaluate
from alerts.models import Alert
from attendance.models import DailySummary
from jmzhgd.core.codes import CorpType, PersonCategory, ProjectStatus
from jmzhgd.core.models import ManagementPost
from tests import factories

pytestmark = pytest.mark.django_db

TODAY = date(2026, 6, 15)  # a Monday
NOW = timezone.make_aware(datetime.datetime(2026, 6, 15, 3, 30))


def run(rule):
    return evaluate([rule], today=TODAY, now=NOW)[rule]


def live(rule):
    return list(Alert.objects.filter(rule=rule, cleared_at__isnull=True))


def manager(unit, code):
    return factories.RosterEntryFactory(
        team__unit=unit, category=PersonCategory.MANAGER, post=ManagementPost.objects.get(code=code)
    )


@pytest.fixture
def site():
    project = factories.ProjectFactory(status=ProjectStatus.UNDER_CONSTRUCTION)
    builder = factories.UnitFactory(project=project, corp_type=CorpType.GENERAL_CONTRACTOR)
    return project, builder


def test_vacant_key_posts_open_one_alert_naming_them_and_filling_them_closes_it(site):
    project, builder = site
    supervision = factories.UnitFactory(project=project, corp_type=CorpType.SUPERVISION)
    for code in ("P01", "P02", "P03"):
        manager(builder, code)
    run("key_post_vacant")
    [alert] = live("key_post_vacant")
    assert alert.subject_id == project.pk and alert.facts["空缺岗位"] == "质量负责人、总监理工程师"
    manager(builder, "P04")
    manager(supervision, "P21")
    run("key_post_vacant")
    assert not live("key_post_vacant")


def test_a_unit_entered_yesterday_or_a_finished_project_has_no_vacancy_alert(site):
    project, builder = site
    builder.entry_date = TODAY
    builder.save()
    done = factories.ProjectFactory(status=ProjectStatus.COMPLETED)
    factories.UnitFactory(project=done, corp_type=CorpType.GENERAL_CONTRACTOR)
    run("key_post_vacant")
    assert not live("key_post_vacant")


def test_a_holder_absent_three_working_days_opens_and_a_day_present_closes_it(site):
    project, builder = site
    pm = manager(builder, "P01")
    # The last three working days before Monday the 15th: Thursday 11th, Friday 12th, Saturday 13th.
    DailySummary.objects.create(
        project=project, person=pm.person, work_date=date(2026, 6, 10), is_present=True
    )
    run("key_post_absent")
    [alert] = live("key_post_absent")
    assert alert.subject_id == pm.person_id and alert.facts["最近到岗日期"] == "2026-06-10"
    DailySummary.objects.create(
        project=project, person=pm.person, work_date=date(2026, 6, 13), is_present=True
    )
    run("key_post_absent")
    assert not live("key_post_absent")
