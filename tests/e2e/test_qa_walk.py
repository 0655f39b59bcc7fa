"""QA walk findings, checked in the browser as a user sees them."""

from __future__ import annotations

import pytest

from jmzhgd.core import audit
from jmzhgd.core.actor import Actor
from tests.e2e.conftest import login
from tests.factories import TEST_PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PAGE_OVERFLOW = "document.documentElement.scrollWidth - window.innerWidth"


def test_a_wide_audit_log_scrolls_inside_its_table_not_the_whole_page(page, project, project_user):
    for n in range(3):
        audit.record(
            Actor.system("演示数据"),
            "contract.renew",
            project,
            project=project,
            summary=f"续签合同：第{n}份（2026-05-10 至 2027-10-01，原合同 2026-03-11 至 2026-05-09）" * 2,
        )
    login(page, project_user.username, TEST_PASSWORD)
    page.goto(f"/projects/{project.pk}/audit/")
    assert page.get_by_role("cell", name="续签合同").first.is_visible()
    assert page.evaluate(PAGE_OVERFLOW) <= 0
