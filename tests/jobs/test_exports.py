"""Large exports run as jobs and land in 【我的导出】 (docs/jobs.md): the page that asks only queues
the job; the file is the same workbook the page would have streamed, private to the one who asked."""

from __future__ import annotations

import io
from datetime import timedelta

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from jmzhgd.jobs.models import Export, ExportState
from tests import factories

pytestmark = pytest.mark.django_db

DETAILS_QUERY = "?date_from=2026-04-09&date_to=2026-04-09"


def details_export_url(project) -> str:
    return reverse("attendance:details_export", kwargs={"project_id": project.pk}) + DETAILS_QUERY


def workbook_rows(response) -> list[tuple]:
    data = b"".join(response.streaming_content)
    return list(openpyxl.load_workbook(io.BytesIO(data), read_only=True).active.iter_rows(values_only=True))


def test_a_small_export_still_streams_at_once(project_client, project, punches):
    response = project_client.get(details_export_url(project))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert not Export.objects.exists()


def test_a_large_export_becomes_a_job_and_its_file_appears_in_my_exports(
    project_client, project, punches, as_jobs
):
    response = project_client.get(details_export_url(project))
    export = Export.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"#export-{export.pk}")
    assert export.state == ExportState.READY and export.exporter == "attendance:details"
    assert (export.total_rows, export.done_rows, export.percent) == (5, 5, 100)
    assert export.size > 0 and export.label == "考勤明细 2026-04-09 至 2026-04-09"

    listing = project_client.get(reverse("jobs:export_list"))
    assert "考勤明细 2026-04-09 至 2026-04-09" in listing.content.decode()

    status = project_client.get(reverse("jobs:export_status", args=[export.pk])).json()
    assert status["state"] == "ready" and status["percent"] == 100 and status["final"]
    assert status["download_url"] == reverse("jobs:export_download", args=[export.pk])

    download = project_client.get(status["download_url"])
    assert "attachment" in download["Content-Disposition"]
    rows = workbook_rows(download)
    assert rows[1][0] == "打卡时间" and len(rows) == 2 + 5  # title, header, the five punches


@pytest.mark.parametrize(
    "url_name, query, header",
    [
        ("attendance:month_export", "?month=2026-04", "序号"),
        ("workforce:roster_export", "", "姓名"),
        ("contracts:export", "", "姓名"),
    ],
)
def test_every_large_report_export_becomes_a_job(project_client, project, as_jobs, url_name, query, header):
    for _ in range(3):
        factories.ContractFactory(roster_entry__team__unit__project=project)
    url = reverse(url_name, kwargs={"project_id": project.pk}) + query
    assert project_client.get(url).status_code == 302
    export = Export.objects.get()
    assert export.state == ExportState.READY and export.total_rows == 3
    rows = workbook_rows(project_client.get(reverse("jobs:export_download", args=[export.pk])))
    assert rows[1][0] == header


def test_another_users_export_is_a_404_everywhere(client, project, project_user, punches, as_jobs):
    client.force_login(project_user)
    client.get(details_export_url(project))
    export = Export.objects.get()
    colleague = factories.SupervisorFactory()  # may see the project, but the export is not his
    client.force_login(colleague)
    for name in ("jobs:export_status", "jobs:export_download"):
        assert client.get(reverse(name, args=[export.pk])).status_code == 404
    assert "考勤明细" not in client.get(reverse("jobs:export_list")).content.decode()


def test_an_export_is_gone_once_its_owner_may_no_longer_see_the_project(client, project, punches, as_jobs):
    supervisor = factories.SupervisorFactory(districts=[project.district])
    client.force_login(supervisor)
    client.get(details_export_url(project))
    export = Export.objects.get(state=ExportState.READY)
    other_district = "440704" if project.district != "440704" else "440703"
    supervisor.districts = [other_district]
    supervisor.save()
    assert client.get(reverse("jobs:export_download", args=[export.pk])).status_code == 404
    assert client.get(reverse("jobs:export_status", args=[export.pk])).status_code == 404


def test_a_bad_filter_gets_a_chinese_message_and_queues_nothing(project_client, project, as_jobs):
    url = reverse("attendance:details_export", kwargs={"project_id": project.pk}) + "?date_from=2026-13-01"
    response = project_client.get(url, follow=True)
    assert "日期" in "".join(str(m) for m in response.context["messages"])
    assert not Export.objects.exists()


def test_an_export_past_its_retention_is_refused_at_download_before_the_purge_runs(
    project_client, project, punches, as_jobs, settings
):
    project_client.get(details_export_url(project))
    export = Export.objects.get()
    Export.objects.filter(pk=export.pk).update(
        created_at=timezone.now() - timedelta(days=settings.EXPORT_RETENTION_DAYS, minutes=1)
    )
    response = project_client.get(reverse("jobs:export_download", args=[export.pk]), follow=True)
    html = response.content.decode()
    assert "Content-Disposition" not in response and "该导出已超过保留期限" in html and "已过期" in html
    assert Export.objects.filter(pk=export.pk).exists()  # not purged yet: refused all the same
