"""Demo 移动考勤: the 市政 road project's two-part fence, its 考勤员 and phone punches inside and outside."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from attendance import demo_fence
from attendance.models import FenceCheck, FencePunch, FenceReview, Punch
from jmzhgd.accounts.models import User
from jmzhgd.core.codes import ProjectCategory
from jmzhgd.core.demo import DemoContext
from tests import factories

pytestmark = pytest.mark.django_db


def test_the_road_project_gets_a_two_part_fence_and_some_outside_punches_once():
    project = factories.ProjectFactory(category=ProjectCategory.MUNICIPAL)
    team = factories.TeamFactory(unit=factories.UnitFactory(project=project))
    for _ in range(7):
        factories.RosterEntryFactory(team=team, entry_date=timezone.localdate() - datetime.timedelta(days=30))
    context = DemoContext(write=lambda line: None, shared={"projects": [project]})
    demo_fence.seed(context)
    project.refresh_from_db()
    assert [f["type"] for f in project.site_fences] == ["polygon", "polygon"]
    punches = FencePunch.objects.filter(project=project)
    assert punches.filter(review=FenceReview.COUNTED).count() == 4
    assert set(punches.filter(review=FenceReview.PENDING).values_list("fence_check", flat=True)) == {
        FenceCheck.OUTSIDE,
        FenceCheck.INACCURATE,
    }
    assert Punch.objects.filter(project=project, source="mobile").count() == 4
    assert User.objects.get(role="attendant").project_id == project.pk
    demo_fence.seed(context)
    assert punches.count() == 7
