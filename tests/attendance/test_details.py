"""【考勤明细】 and 【导出明细】, and the access-checked punch photo."""

from __future__ import annotations

import datetime
import io

import openpyxl
import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from jmzhgd.core.models import AuditLog
from tests import factories

from .conftest import at, unmatched_punch

pytestmark = pytest.mark.django_db


def details_url(project, **params):
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return f"{reverse('attendance:details', kwargs={'project_id': project.pk})}?{query}"


def export_url(project, **params):
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return f"{reverse('attendance:details_export', kwargs={'project_id': project.pk})}?{query}"


def names(response):
    return [row.cells[2] for row in response.context["rows"]]


def png() -> ContentFile:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "gray").save(buffer, "PNG")
    return ContentFile(buffer.getvalue(), name="snap.png")


def test_details_default_to_today(project_client, site):
    factories.PunchFactory(roster_entry=site.whole_month, punched_at=timezone.now())
    response = project_client.get(details_url(site.project))
    assert names(response) == ["张全勤"]
    today = f"{timezone.localdate():%Y-%m-%d}"
    assert response.context["filter"].form.data["date_from"] == today


def test_one_day_lists_each_punch_in_time_order_with_direction_device_and_method(project_client, site):
    response = project_client.get(details_url(site.project, date_from="2026-04-09"))
    rows = [row.cells for row in response.context["rows"]]
    assert [(r[0], r[6], r[7], r[8]) for r in rows] == [
        (datetime.datetime(2026, 4, 9, 8, 0), "入场", "东门闸机", "人脸识别"),
        (datetime.datetime(2026, 4, 9, 21, 0), "出场", "东门闸机", "人脸识别"),
    ]
    assert rows[0][4:6] == [site.unit.enterprise.name, "钢筋班"]


def test_a_range_and_the_filters_narrow_the_punches(project_client, site):
    url = lambda **p: details_url(site.project, date_from="2026-04-01", date_to="2026-04-30", **p)  # noqa: E731
    assert len(project_client.get(url()).context["rows"]) == 22
    assert set(names(project_client.get(url(team=site.formwork.pk)))) == {"王离场", "赵管理"}
    assert set(names(project_client.get(url(device=site.device.pk)))) == {"张全勤"}
    assert len(project_client.get(url(direction="02")).context["rows"]) == 11
    tail = site.mid_month.person.id_number[-4:]
    assert set(names(project_client.get(url(q=tail)))) >= {"李中途"}
    assert set(names(project_client.get(url(q="离场")))) == {"王离场"}


def test_another_projects_punches_never_show(project_client, site):
    response = project_client.get(details_url(site.project, date_from="2026-04-01"))
    assert "孙别处" not in names(response)


def test_an_impossible_date_is_named_once(project_client, site):
    response = project_client.get(details_url(site.project, date_from="2026-02-30"))
    page = response.content.decode()
    assert response.context["rows"] == []
    assert (
        page.count("开始日期应为有效日期") == 1 and "结束日期应为" not in page
    )  # the end date was copied from it
    both = project_client.get(details_url(site.project, date_from="2026-02-30", date_to="x")).content.decode()
    assert both.count("开始日期应为有效日期") == 1 and both.count("结束日期应为有效日期") == 1


def test_a_backwards_range_is_explained(project_client, site):
    response = project_client.get(details_url(site.project, date_from="2026-04-10", date_to="2026-04-01"))
    assert response.context["rows"] == []
    assert "开始日期不能晚于结束日期" in response.content.decode()


def test_the_photo_is_served_to_the_project_and_404_for_another_project(
    client, project_user, other_user, site
):
    punch = factories.PunchFactory(roster_entry=site.whole_month, punched_at=at(20, 8), photo=png())
    url = reverse("attendance:punch_photo", kwargs={"project_id": site.project.pk, "punch_id": punch.pk})
    client.force_login(project_user)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    page = client.get(details_url(site.project, date_from="2026-04-20"))
    assert url in page.content.decode()
    client.force_login(other_user)
    assert client.get(url).status_code == 404
    own_id = reverse(
        "attendance:punch_photo", kwargs={"project_id": site.foreign.project_id, "punch_id": punch.pk}
    )
    assert client.get(own_id).status_code == 404


def test_a_punch_without_photo_has_no_photo_to_serve(project_client, site):
    punch = factories.PunchFactory(roster_entry=site.whole_month, punched_at=at(21, 8))
    url = reverse("attendance:punch_photo", kwargs={"project_id": site.project.pk, "punch_id": punch.pk})
    assert project_client.get(url).status_code == 404


def test_the_export_writes_the_whole_range_like_the_page(project_client, site, monkeypatch):
    monkeypatch.setattr("attendance.views_reports.DETAIL_PAGE_SIZE", 5)
    params = {"date_from": "2026-04-01", "date_to": "2026-04-30", "team": site.rebar.pk}
    pages = []
    for number in (1, 2, 3, 4):
        pages += [
            row.cells
            for row in project_client.get(details_url(site.project, page=number, **params)).context["rows"]
        ]
    response = project_client.get(export_url(site.project, **params))
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == f"{site.project.name} 考勤明细 2026-04-01 至 2026-04-30"
    assert rows[1][0] == "打卡时间"
    body = [list(r) for r in rows[2:]]
    assert len(body) == len(pages) == 16
    for exported, shown in zip(body, pages, strict=True):
        assert exported[0] == shown[0]
        assert exported[1].date() == shown[1]
        assert [v if v is not None else "" for v in exported[2:]] == shown[2:]  # "" reads back as None
    assert AuditLog.objects.filter(action="attendance.export_details", project=site.project).exists()


def test_anomalies_show_their_status_in_the_details(project_client, site):
    unmatched_punch(site.project, at(22, 8))
    rows = project_client.get(details_url(site.project, date_from="2026-04-22")).context["rows"]
    assert [(r.cells[2], r.cells[-1]) for r in rows] == [("陌生人", "待处理")]


def test_the_details_export_of_another_project_is_404(client, other_user, site):
    client.force_login(other_user)
    assert client.get(export_url(site.project, date_from="2026-04-01")).status_code == 404


def test_the_details_export_reads_punches_in_one_streamed_query_whatever_their_number(project_client, site):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from .conftest import work_day

    def queries():
        with CaptureQueriesContext(connection) as captured:
            response = project_client.get(
                export_url(site.project, date_from="2026-04-01", date_to="2026-04-30")
            )
            b"".join(response.streaming_content)
        return len(captured)

    before = queries()
    for day in range(17, 30):
        work_day(site.mid_month, day)
    assert queries() == before


def test_the_export_button_says_it_exports_the_current_filter_and_how_many(project_client, site):
    response = project_client.get(details_url(site.project, date_from="2026-04-01", date_to="2026-04-30"))
    count = response.context["page_obj"].paginator.count
    assert count > 0
    assert f"导出当前筛选（{count} 条）" in response.content.decode()
