"""The demo projects of `manage.py seed_demo` are found again by their 项目编码, whatever their name."""

from __future__ import annotations

import pytest

from jmzhgd.core.demo import DemoContext
from projects import demo as projects_demo
from projects.models import Project

pytestmark = pytest.mark.django_db


def test_seeding_again_after_a_demo_project_is_renamed_creates_no_second_project():
    projects_demo.seed(DemoContext(write=lambda line: None))
    codes = set(Project.objects.values_list("code", flat=True))
    renamed = Project.objects.get(name=projects_demo.DEMO_PROJECTS[0][0])
    renamed.name = "改过名字的演示项目"
    renamed.save()

    projects_demo.seed(DemoContext(write=lambda line: None))
    assert set(Project.objects.values_list("code", flat=True)) == codes
    assert Project.objects.get(pk=renamed.pk).name == "改过名字的演示项目"
