"""The demo's share: two projects finished five years ago, one under a legal hold, which the dry run
names as due and as skipped."""

from __future__ import annotations

import pytest

from jmzhgd.core.demo import DemoContext
from records import demo, purge
from records.models import LegalHold

pytestmark = pytest.mark.django_db


def test_the_demo_has_one_held_project_that_the_dry_run_skips(supervisor):
    context = DemoContext(write=lambda text: None)
    demo.seed(context)
    demo.seed(context)  # idempotent

    held = LegalHold.objects.active().get()
    assert "劳动争议中" in held.project.name
    plan = purge.plan()
    assert {line.project.name for line in plan.due} == {"蓬江区滨江安置房一期（已竣工）"}
    assert {line.project for line in plan.skipped} == {held.project}
    assert {line.record_class.code for line in plan.due} == {"payrolls", "contracts", "roster"}
