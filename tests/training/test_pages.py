"""项目培训 pages: record a training, pick attendees from the roster, delete only while empty, export."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook
from PIL import Image

from jmzhgd.core.models import AuditLog
from tests.factories import RosterEntryFactory
from training.models import Training, TrainingAttendee

from .conftest import make_training

pytestmark = pytest.mark.django_db


def url(name, project, **kwargs):
    return reverse(f"training:{name}", kwargs={"project_id": project.pk, **kwargs})


def test_a_clerk_records_a_training_and_it_is_audited(project_client, project):
    response = project_client.post(
        url("create", project),
        {"training_type": "003002", "name": "入场教育", "training_date": "2026-03-05", "hours": "1.5"},
    )
    training = Training.objects.get(project=project)
    assert response.status_code == 302 and training.get_training_type_display() == "入场教育"
    assert AuditLog.objects.filter(action="training.create", project=project).exists()


@pytest.mark.parametrize("hours", ["0", "-1", "1000", "1e9", "abc", "NaN"])
def test_hours_out_of_bounds_are_a_form_error_not_a_500(project_client, project, hours):
    response = project_client.post(
        url("create", project),
        {"training_type": "003001", "name": "安全", "training_date": "2026-03-05", "hours": hours},
    )
    assert response.status_code == 200 and not Training.objects.exists()


def test_a_whole_team_is_recorded_as_attendees_in_one_step(project_client, project, team, roster):
    training = make_training(project)
    response = project_client.post(
        url("attendees", project, training_id=training.pk),
        {"action": "add_team", "team": team.pk, "passed": "1"},
    )
    assert response.status_code == 302
    assert set(training.attendees.values_list("person_id", flat=True)) == {e.person_id for e in roster}
    page = project_client.get(url("detail", project, training_id=training.pk))
    assert page.context["passed"] == 3 and not page.context["candidates"]


def test_the_picker_searches_the_roster_and_records_one_as_failed(project_client, project, roster):
    training = make_training(project)
    target = roster[0].person
    page = project_client.get(url("detail", project, training_id=training.pk), {"q": target.name})
    assert [e.person_id for e in page.context["candidates"]] == [target.pk]
    project_client.post(
        url("attendees", project, training_id=training.pk),
        {"action": "add", "person": [target.pk], "passed": "0"},
    )
    assert TrainingAttendee.objects.get(training=training).passed is False
    attendee = training.attendees.get()
    project_client.post(
        url("attendees", project, training_id=training.pk), {"action": "pass", "attendee": [attendee.pk]}
    )
    attendee.refresh_from_db()
    assert attendee.passed


def test_a_person_off_the_roster_is_not_recorded(project_client, project, other_project):
    training = make_training(project)
    stranger = RosterEntryFactory(team__unit__project=other_project).person
    project_client.post(
        url("attendees", project, training_id=training.pk), {"action": "add", "person": [stranger.pk]}
    )
    assert not training.attendees.exists()


def test_a_training_is_deleted_only_while_nobody_is_recorded(project_client, project, roster):
    training = make_training(project, [roster[0].person])
    project_client.post(url("delete", project, training_id=training.pk))
    assert Training.objects.filter(pk=training.pk).exists()
    empty = make_training(project)
    response = project_client.post(url("delete", project, training_id=empty.pk))
    assert response.status_code == 302 and not Training.objects.filter(pk=empty.pk).exists()


def test_the_list_filters_by_type_and_date_and_exports(project_client, project):
    make_training(project, day=date(2026, 3, 1))
    make_training(project, day=date(2026, 4, 1), kind="003004")
    page = project_client.get(url("list", project), {"training_type": "003004"})
    assert [t.training_date for t in page.context["table"].data] == [date(2026, 4, 1)]
    page = project_client.get(url("list", project), {"date_to": "2026-03-15"})
    assert [t.training_date for t in page.context["table"].data] == [date(2026, 3, 1)]
    export = project_client.get(url("export", project))
    assert export.status_code == 200
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")


def test_another_projects_training_shows_only_type_and_date_on_the_person_page(
    project_client, project, other_project, roster
):
    person = roster[0].person
    make_training(other_project, [person], day=date(2026, 2, 1)).name = "乙项目秘密培训"
    Training.objects.filter(project=other_project).update(name="乙项目秘密培训")
    make_training(project, [person], day=date(2026, 3, 5))
    page = project_client.get(
        reverse("workforce:person_detail", kwargs={"project_id": project.pk, "person_id": person.pk})
    )
    html = page.content.decode()
    assert "乙项目秘密培训" not in html and "其他项目组织的培训" in html and "2026-02-01" in html
    assert "三级安全教育" in html


def test_a_supervisor_reads_but_cannot_record(supervisor_client, project):
    training = make_training(project)
    assert supervisor_client.get(url("detail", project, training_id=training.pk)).status_code == 200
    assert supervisor_client.get(url("create", project)).status_code == 403


def _sign_in(rows) -> SimpleUploadedFile:
    out = io.BytesIO()
    book = Workbook()
    book.active.append(["姓名", "证件号码", "考核结果"])
    for row in rows:
        book.active.append(row)
    book.save(out)
    return SimpleUploadedFile("签到表.xlsx", out.getvalue())


def test_an_uploaded_sign_in_list_records_its_rows_with_their_results(project_client, project, roster):
    training = make_training(project)
    a, b = roster[0].person, roster[1].person
    sheet = _sign_in([[a.name, a.id_number, "合格"], [b.name, b.id_number, "不合格"]])
    project_client.post(
        url("attendees", project, training_id=training.pk), {"action": "upload", "sign_in": sheet}
    )
    assert dict(training.attendees.values_list("person_id", "passed")) == {a.pk: True, b.pk: False}


def test_a_sign_in_list_with_errors_records_nobody_and_names_each_row(
    project_client, project, roster, other_project
):
    training = make_training(project)
    a, stranger = roster[0].person, RosterEntryFactory(team__unit__project=other_project).person
    sheet = _sign_in([[a.name, a.id_number, "优秀"], ["某人", stranger.id_number, ""], ["张三", "", ""]])
    response = project_client.post(
        url("attendees", project, training_id=training.pk),
        {"action": "upload", "sign_in": sheet},
        follow=True,
    )
    html = response.content.decode()
    assert (
        "第2行 考核结果" in html
        and "第3行 证件号码: 此人不在本项目花名册中" in html
        and "第4行 证件号码: 不能为空" in html
    )
    assert not training.attendees.exists()
    bad = SimpleUploadedFile("x.xlsx", b"not a workbook")
    response = project_client.post(
        url("attendees", project, training_id=training.pk), {"action": "upload", "sign_in": bad}, follow=True
    )
    assert "xlsx" in response.content.decode()


def test_the_signed_sheet_scan_is_kept_and_served_to_the_project(project_client, project):
    out = io.BytesIO()
    Image.new("RGB", (30, 30), "white").save(out, "PNG")
    scan = SimpleUploadedFile("签到表.png", out.getvalue(), content_type="image/png")
    project_client.post(
        url("create", project),
        {
            "training_type": "003001",
            "name": "安全",
            "training_date": "2026-03-05",
            "hours": "2",
            "sign_in_file": scan,
        },
    )
    training = Training.objects.get()
    assert training.sign_in_scan and training.sign_in_scan_name == "签到表.png"
    assert project_client.get(url("sign_in_scan", project, training_id=training.pk)).status_code == 200
