"""月报: the month's figures by 区县 over the supervisor's scope, the page, and the .xlsx that a
background job keeps in 【我的导出】 for its requester only."""

from __future__ import annotations

import datetime
import io

import openpyxl
import pytest
from django.urls import reverse

from jmzhgd.accounts.models import Role
from jmzhgd.jobs.models import Export, ExportState
from jmzhgd.portal import monthly_report
from tests import factories

from .supervisor_data import build_city

pytestmark = pytest.mark.django_db
PAGE = "projects:monthly_report"


@pytest.fixture
def city():
    return build_city()


def _row(report, label):
    return dict(
        zip(
            monthly_report.DISTRICT_HEADER,
            next(r for r in report.district_rows if r[0] == label),
            strict=True,
        )
    )


def test_the_months_figures_by_district(supervisor, city):
    report = monthly_report.build(supervisor, city.last_month)
    taishan = _row(report, "台山市")
    assert (taishan["项目数"], taishan["进场人数"], taishan["退场人数"], taishan["签订合同"]) == (1, 1, 1, 1)
    assert (taishan["工资表按期发放"], taishan["工资表应发"], taishan["欠薪(班组·月)"]) == (1, 1, 0)
    assert (taishan["新增预警"], taishan["工人反映"]) == (2, 1)
    assert 0 < taishan["出勤率(%)"] <= 100
    pengjiang = _row(report, "蓬江区")
    assert (pengjiang["欠薪(班组·月)"], pengjiang["新增预警"]) == (1, 1)  # a team with no sheet at all
    total = _row(report, "合计")
    assert (total["项目数"], total["新增预警"]) == (2, 3) and len(report.district_rows) == 8
    assert {row[0]: row[-1] for row in report.rule_rows} == {
        "工人反映": 1,
        "工资未按期发放": 1,
        "身份证即将过期或已过期": 1,
    }


def test_a_district_supervisor_reports_on_his_districts_only(city):
    report = monthly_report.build(factories.SupervisorFactory(districts=["440703"]), city.last_month)
    assert [row[0] for row in report.district_rows] == ["蓬江区", "合计"]
    assert report.rule_rows == [["身份证即将过期或已过期", 1, 1]]


def test_the_page_shows_a_past_month_and_refuses_this_one(supervisor_client, city):
    html = supervisor_client.get(reverse(PAGE)).content.decode()  # last month by default
    assert f"{city.last_month:%Y年%m月} 建筑工人实名制管理月报" in html and "台山市" in html
    this_month = city.last_month.replace(day=28) + datetime.timedelta(days=10)
    response = supervisor_client.get(reverse(PAGE), {"month": f"{this_month:%Y-%m}"}, follow=True)
    assert "请选择已结束的月份" in response.content.decode()
    assert supervisor_client.get(reverse(PAGE), {"month": "99999-1"}, follow=True).status_code == 200


def test_the_report_as_a_job_lands_in_my_exports_for_its_requester_only(
    supervisor_client, supervisor, client, city
):
    response = supervisor_client.post(reverse(PAGE), {"month": f"{city.last_month:%Y-%m}"})
    export = Export.objects.get()
    assert response.url.endswith(f"#export-{export.pk}")
    assert (export.project, export.user, export.state) == (None, supervisor, ExportState.READY)
    html = supervisor_client.get(reverse("jobs:export_list")).content.decode()
    assert f"月报 {city.last_month:%Y-%m}" in html and "监管范围" in html
    download = supervisor_client.get(reverse("jobs:export_download", args=[export.pk]))
    book = openpyxl.load_workbook(io.BytesIO(b"".join(download.streaming_content)))
    values = [c for row in book["按区县"].iter_rows(values_only=True) for c in row]
    assert "台山市" in values and "合计" in values and book["预警按规则"].max_row >= 4
    client.force_login(factories.SupervisorFactory())
    assert client.get(reverse("jobs:export_download", args=[export.pk])).status_code == 404


def test_only_supervisors_ask_for_a_report(client, project_user, city):
    client.force_login(project_user)
    assert client.get(reverse(PAGE)).status_code in (403, 404)
    assert client.post(reverse(PAGE), {"month": f"{city.last_month:%Y-%m}"}).status_code in (403, 404)
    assert not Export.objects.exists()


def test_a_report_job_whose_requester_no_longer_supervises_fails_and_leaves_no_file(supervisor, city):
    from jmzhgd.jobs import runner

    export = Export.objects.create(
        user=supervisor,
        exporter=monthly_report.MONTHLY_REPORT,
        label="月报",
        filename="月报.xlsx",
        params={"month": [f"{city.last_month:%Y-%m}"]},
    )
    supervisor.role = Role.ADMIN  # still active, no longer a supervisor
    supervisor.save()
    assert runner.write_export(export.pk) == ExportState.FAILED
    export.refresh_from_db()
    assert export.error == runner.FAILED_NO_ACCESS and not export.file
