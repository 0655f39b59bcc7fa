"""【我的导出】 in the browser: an unfinished export's row polls its status and turns into a download
link by itself, under the strict CSP (no inline script)."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from jmzhgd.jobs.models import Export, ExportState
from tests.e2e.conftest import login
from tests.factories import TEST_PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_progress_bar_follows_the_job_and_ends_with_a_download_link(page, project_user):
    violations = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    export = Export.objects.create(
        user=project_user,
        project=project_user.project,
        exporter="attendance:details",
        label="考勤明细 2026-04-01 至 2026-04-30",
        filename="考勤明细.xlsx",
        state=ExportState.RUNNING,
        total_rows=10_000,
        done_rows=2_500,
        heartbeat_at=timezone.now(),
    )
    login(page, project_user.username, TEST_PASSWORD)
    page.get_by_test_id("my-exports").click()
    row = page.locator(f"#export-{export.pk}")
    assert row.locator("[data-field='bar']").inner_text() == "25%"

    Export.objects.filter(pk=export.pk).update(done_rows=7_500, heartbeat_at=timezone.now())
    row.locator("[data-field='bar']", has_text="75%").wait_for()

    export.file.save(export.storage_name.removeprefix("exports/"), ContentFile(b"PK"), save=False)
    Export.objects.filter(pk=export.pk).update(state=ExportState.READY, file=export.file.name, size=2)
    row.get_by_role("link", name="下载").wait_for()
    assert row.locator("[data-field='state']").inner_text() == "可下载"
    assert violations == []


def test_a_stuck_export_is_cancelled_and_retried_from_the_page_and_counts_its_rows_afresh(page, project_user):
    """A run that stopped moving (its worker gone) says so, offers 【取消】, then 【重试】 runs it again
    (here at once: the tests' immediate backend) and the count reads this run's rows."""
    from tests import factories

    project = project_user.project
    entry = factories.RosterEntryFactory(team__unit__project=project)
    day = timezone.make_aware(datetime.datetime(2026, 4, 9, 7, 0))
    for i in range(3):
        factories.PunchFactory(roster_entry=entry, punched_at=day + datetime.timedelta(hours=i))
    export = Export.objects.create(
        user=project_user,
        project=project,
        exporter="attendance:details",
        label="考勤明细 2026-04-09",
        filename="考勤明细.xlsx",
        params={"date_from": ["2026-04-09"], "date_to": ["2026-04-09"]},
        state=ExportState.RUNNING,
        attempts=1,
        total_rows=6463,
        done_rows=18450,
        heartbeat_at=timezone.now() - datetime.timedelta(seconds=90),
    )
    login(page, project_user.username, TEST_PASSWORD)
    page.get_by_test_id("my-exports").click()
    row = page.locator(f"#export-{export.pk}")
    row.locator("[data-field='notice']", has_text="取消").wait_for()
    assert row.locator("[data-field='rows']").inner_text() == "6463 / 6463 行"

    row.get_by_role("button", name="取消").click()
    row = page.locator(f"#export-{export.pk}")
    assert "已取消" in row.locator("[data-field='state']").inner_text()
    row.get_by_role("button", name="重试").click()
    row = page.locator(f"#export-{export.pk}")
    row.get_by_role("link", name="下载").wait_for()
    assert row.locator("[data-field='rows']").inner_text() == "3 / 3 行"
    page.set_viewport_size({"width": 1366, "height": 768})
    box = row.get_by_role("link", name="下载").bounding_box()
    assert box and box["x"] + box["width"] <= 1366
