"""【项目月考勤】 and 【导出月考勤】: one row generator for the page and the file."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from attendance.models import Punch
from attendance.reports import ABSENT, NOT_YET, OFF_ROSTER, PRESENT, MonthReport, entries_in_month
from attendance.summaries import refresh_daily_summaries
from jmzhgd.core.models import AuditLog
from tests import factories

from .conftest import at, work_day

pytestmark = pytest.mark.django_db
APRIL = datetime.date(2026, 4, 1)


def month_url(project, **params):
    query = "&".join(f"{k}={v}" for k, v in {"month": "2026-04", **params}.items())
    return f"{reverse('attendance:month', kwargs={'project_id': project.pk})}?{query}"


def export_url(project, **params):
    query = "&".join(f"{k}={v}" for k, v in {"month": "2026-04", **params}.items())
    return f"{reverse('attendance:month_export', kwargs={'project_id': project.pk})}?{query}"


def rows_by_name(response):
    return {row.person.name: row for row in response.context["rows"]}


def workbook_of(response):
    return openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))


def test_the_grid_lists_everyone_on_the_roster_during_the_month_and_nobody_else(project_client, site):
    response = project_client.get(month_url(site.project))
    assert response.status_code == 200
    assert sorted(rows_by_name(response)) == sorted(["张全勤", "李中途", "王离场", "赵管理"])


def test_a_worker_who_entered_mid_month_is_off_roster_before_entry_not_absent(project_client, site):
    row = rows_by_name(project_client.get(month_url(site.project)))["李中途"]
    assert row.marks[:14] == [OFF_ROSTER] * 14
    assert row.marks[14:16] == [PRESENT, PRESENT]
    assert row.marks[16] == ABSENT
    assert (row.days_present, row.hours) == (2, Decimal("19.00"))
    assert row.entry_date == datetime.date(2026, 4, 15)


def test_a_worker_who_left_mid_month_is_off_roster_after_exit(project_client, site):
    row = rows_by_name(project_client.get(month_url(site.project)))["王离场"]
    assert row.marks[:3] == [PRESENT, PRESENT, ABSENT]
    assert row.marks[9] == ABSENT  # the exit day itself is still on the roster
    assert row.marks[10:] == [OFF_ROSTER] * 20
    assert row.exit_date == datetime.date(2026, 4, 10)


def test_totals_of_days_and_hours_per_row_and_per_day(project_client, site):
    response = project_client.get(month_url(site.project))
    row = rows_by_name(response)["张全勤"]
    assert row.days_present == 6
    assert row.hours == Decimal("9.5") * 5 + Decimal("13.00")  # the late exit on the 9th counts its hours
    totals = response.context["totals"]
    assert totals[8] == 3  # April 1st: 张全勤, 王离场, 赵管理
    assert totals[-2:] == [6 + 2 + 2 + 1, sum(r.hours for r in response.context["rows"])]


def test_a_person_with_two_stays_in_the_month_is_one_row_off_roster_between_them(project_client, site):
    factories.RosterEntryFactory(
        team=site.formwork, person=site.left.person, entry_date=datetime.date(2026, 4, 20)
    )
    response = project_client.get(month_url(site.project))
    assert [r.person.name for r in response.context["rows"]].count("王离场") == 1
    row = rows_by_name(response)["王离场"]
    assert row.marks[10:19] == [OFF_ROSTER] * 9
    assert row.marks[19] == ABSENT


def test_filters_narrow_the_grid_by_team_category_and_name_or_id_tail(project_client, site):
    by_team = rows_by_name(project_client.get(month_url(site.project, team=site.rebar.pk)))
    assert sorted(by_team) == ["张全勤", "李中途"]
    by_category = rows_by_name(project_client.get(month_url(site.project, category="manager")))
    assert list(by_category) == ["赵管理"]
    by_name = rows_by_name(project_client.get(month_url(site.project, q="中途")))
    assert list(by_name) == ["李中途"]
    tail = site.whole_month.person.id_number[-4:]
    by_tail = rows_by_name(project_client.get(month_url(site.project, q=tail)))
    assert "张全勤" in by_tail


def test_a_team_of_another_project_is_not_a_choice(project_client, site):
    response = project_client.get(month_url(site.project, team=site.foreign.team.pk))
    assert response.context["filter"].form.errors
    assert site.foreign.team not in response.context["filter"].form.fields["team"].queryset


def test_the_month_defaults_to_this_month_and_a_bad_month_is_explained(project_client, site):
    url = reverse("attendance:month", kwargs={"project_id": site.project.pk})
    from django.utils import timezone

    response = project_client.get(url)
    assert response.context["report"].start == timezone.localdate().replace(day=1)
    assert response.context["filter"].form["month"].value() == f"{timezone.localdate():%Y-%m}"
    response = project_client.get(f"{url}?month=2026-13")
    assert response.status_code == 200
    assert "月份应为 YYYY-MM 格式，在 1950-01 至 2100-12 之间" in response.content.decode()
    assert response.context["report"].start == timezone.localdate().replace(day=1)


def test_the_grid_is_paged_by_persons_and_numbering_continues(project_client, site, monkeypatch):
    monkeypatch.setattr("attendance.views_reports.MONTH_PAGE_SIZE", 3)
    first = project_client.get(month_url(site.project))
    second = project_client.get(month_url(site.project, page=2))
    assert len(first.context["rows"]) == 3
    assert [r.number for r in second.context["rows"]] == [4]


def test_the_grid_page_uses_a_constant_number_of_queries(project_client, site):
    def count():
        project_client.get(month_url(site.project))  # warm the session
        with CaptureQueriesContext(connection) as queries:
            assert project_client.get(month_url(site.project)).status_code == 200
        return len(queries)

    before = count()
    for _ in range(15):
        entry = factories.RosterEntryFactory(team=site.rebar, entry_date=datetime.date(2026, 4, 3))
        work_day(entry, 3)
        refresh_daily_summaries(site.project.pk, [(entry.person_id, datetime.date(2026, 4, 3))])
    assert count() == before


def test_a_resent_punch_does_not_change_the_totals(project_client, site):
    before = rows_by_name(project_client.get(month_url(site.project)))["张全勤"]
    resent = Punch.objects.filter(person=site.whole_month.person).first()
    copy = Punch(
        project=resent.project,
        person=resent.person,
        roster_entry=resent.roster_entry,
        id_number=resent.id_number,
        punched_at=resent.punched_at,
        work_date=resent.work_date,
        direction=resent.direction,
    )
    Punch.objects.bulk_create([copy], ignore_conflicts=True)  # what an idempotent ingest does
    refresh_daily_summaries(site.project.pk, [(resent.person_id, resent.work_date)])
    after = rows_by_name(project_client.get(month_url(site.project)))["张全勤"]
    assert Punch.objects.filter(person=site.whole_month.person).count() == 12
    assert (after.days_present, after.hours, after.marks) == (before.days_present, before.hours, before.marks)


def _normalise(value):
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, (Decimal, float, int)):
        return f"{Decimal(str(value)).normalize():f}"  # Excel stores 19.00 as 19
    return str(value)


def test_the_grid_and_its_export_agree_cell_by_cell(project_client, site):
    page = project_client.get(month_url(site.project))
    export = project_client.get(export_url(site.project))
    assert export.status_code == 200
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = workbook_of(export).active
    cells = [[_normalise(c) for c in row] for row in sheet.iter_rows(values_only=True)]
    assert cells[0][0] == f"{site.project.name} 2026年04月考勤表"
    header = page.context["header"]
    assert cells[1] == [*header, "签名"]
    page_rows = [[_normalise(v) for v in row.values()] for row in page.context["rows"]]
    export_rows = [row[: len(header)] for row in cells[2 : 2 + len(page_rows)]]
    assert export_rows == page_rows
    assert all(row[len(header)] == "" for row in cells[2 : 2 + len(page_rows)])  # the 签名 column
    assert cells[2 + len(page_rows)][: len(header)] == [_normalise(v) for v in page.context["totals"]]
    assert sheet.freeze_panes == "A3"


def test_the_export_contains_every_page_and_is_filtered_like_the_page(project_client, site, monkeypatch):
    monkeypatch.setattr("attendance.views_reports.MONTH_PAGE_SIZE", 1)
    sheet = workbook_of(project_client.get(export_url(site.project, team=site.rebar.pk))).active
    names = [row[1] for row in sheet.iter_rows(min_row=3, values_only=True)]
    assert names == ["张全勤", "李中途", "2人"]


def test_the_export_reads_in_chunks_whatever_the_number_of_persons(site):
    report = MonthReport(project=site.project, start=APRIL, entries=entries_in_month(site.project, APRIL))
    assert [r.person.name for r in report.all_rows(chunk_size=1)] == [
        r.person.name for r in report.all_rows()
    ]
    assert [r.number for r in report.all_rows(chunk_size=3)] == [1, 2, 3, 4]


def test_the_export_is_audit_logged(project_client, site):
    project_client.get(export_url(site.project))
    assert AuditLog.objects.filter(action="attendance.export_month", project=site.project).exists()


def test_the_export_of_another_projects_month_is_404(client, other_user, site):
    client.force_login(other_user)
    assert client.get(export_url(site.project)).status_code == 404
    assert client.get(month_url(site.project)).status_code == 404


def test_a_supervisor_reads_the_grid_and_exports_it(supervisor_client, site):
    assert supervisor_client.get(month_url(site.project)).status_code == 200
    assert supervisor_client.get(export_url(site.project)).status_code == 200


def test_the_menu_links_to_the_month_page(project_client, site):
    response = project_client.get(reverse("home"), follow=True)
    assert reverse("attendance:month", kwargs={"project_id": site.project.pk}) in response.content.decode()


def test_a_late_punch_after_midnight_counts_on_its_shanghai_day(project_client, site):
    factories.PunchFactory(roster_entry=site.mid_month, punched_at=at(20, 0, 30), direction="01")
    refresh_daily_summaries(site.project.pk, [(site.mid_month.person_id, datetime.date(2026, 4, 20))])
    row = rows_by_name(project_client.get(month_url(site.project)))["李中途"]
    assert row.marks[19] == PRESENT and row.marks[18] == ABSENT


def test_a_name_in_the_grid_links_to_that_persons_details_of_the_month(project_client, site):
    content = project_client.get(month_url(site.project, q="中途")).content.decode()
    details = reverse("attendance:details", kwargs={"project_id": site.project.pk})
    link = f"{details}?date_from=2026-04-01&amp;date_to=2026-04-30&amp;q=%E6%9D%8E%E4%B8%AD%E9%80%94"
    assert link in content
    response = project_client.get(link.replace("&amp;", "&"))
    assert {row.cells[2] for row in response.context["rows"]} == {"李中途"}


def test_today_stays_blank_until_the_day_is_over_instead_of_absent(site):
    # The legend says days not reached yet are blank: before the day ends nobody is absent yet.
    today = datetime.date(2026, 4, 20)
    entries = entries_in_month(site.project, APRIL)
    report = MonthReport(project=site.project, start=APRIL, entries=entries, today=today)
    row = next(r for r in report.all_rows() if r.person.name == "李中途")
    assert row.marks[today.day - 2] == ABSENT
    assert row.marks[today.day - 1] == NOT_YET


def test_the_export_button_says_it_exports_the_current_filter_and_how_many(project_client, site):
    page = project_client.get(month_url(site.project, month="2026-04")).content.decode()
    count = project_client.get(month_url(site.project, month="2026-04")).context["page_obj"].paginator.count
    assert count > 0
    assert f"导出当前筛选（2026年4月，{count} 人）" in page
