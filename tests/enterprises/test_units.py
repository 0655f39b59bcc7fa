"""参建单位 (docs/requirements.md §6.1): entry, the 管理人员班组, exit with its teams and workers, deletion, re-entry."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from enterprises.models import Enterprise, ParticipatingUnit, Team
from enterprises.services import enter_unit, exit_unit
from jmzhgd.core.actor import Actor
from jmzhgd.core.codes import CorpType, TeamType
from jmzhgd.core.models import AuditLog
from tests.factories import EnterpriseFactory, RosterEntryFactory, TeamFactory, id_number

pytestmark = pytest.mark.django_db


def add_url(project):
    return reverse("enterprises:unit_add", args=[project.pk])


def unit_data(chosen, **fields):
    data = {
        "intent": "save",
        "enterprise": chosen.pk,
        "corp_type": CorpType.LABOUR_SUB,
        "entry_date": "2026-03-01",
        "pm_name": "梁项目",
        "pm_phone": "13800138000",
    }
    data.update(fields)
    return data


def entered_unit(project, corp_type=CorpType.LABOUR_SUB, day=date(2026, 3, 1)):
    return enter_unit(Actor.system(), project, EnterpriseFactory(), corp_type, day, pm_name="梁项目")


def test_adding_a_unit_enters_it_with_its_management_team_named_after_its_type(project_client, project):
    enterprise = EnterpriseFactory()
    number = id_number()
    response = project_client.post(
        add_url(project), unit_data(enterprise, corp_type=CorpType.SUPERVISION, pm_id_number=number)
    )
    unit = ParticipatingUnit.objects.get(project=project)
    assert response["Location"] == reverse("enterprises:unit_detail", args=[project.pk, unit.pk])
    assert unit.pm_id_number == number and unit.pm_id_number_masked.endswith(number[-4:])
    team = unit.teams.get()
    assert team.team_type == TeamType.MANAGEMENT and team.name == "监理项目部"
    assert AuditLog.objects.filter(action="unit.enter", project=project).exists()
    detail = project_client.get(response["Location"]).content.decode()
    assert "监理项目部" in detail and number not in detail


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"entry_date": (timezone.localdate() + timedelta(days=1)).isoformat()}, "进场日期不能晚于今天"),
        ({"pm_id_number": "440703199001011230"}, "身份证号码校验位不正确"),
        ({"pm_phone": "12345"}, "联系电话应为11位手机号码"),
        ({"pm_name": ""}, "请填写项目负责人姓名"),
        ({"enterprise": ""}, "请先在企业库中查找并选择企业"),
        ({"corp_type": ""}, "请选择参建单位类型"),
    ],
)
def test_adding_a_unit_with_bad_input_names_the_problem(project_client, project, fields, message):
    response = project_client.post(add_url(project), unit_data(EnterpriseFactory(), **fields))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ParticipatingUnit.objects.exists()


def test_the_add_form_defaults_the_entry_date_to_today(project_client, project):
    page = project_client.get(add_url(project)).content.decode()
    assert f'value="{timezone.localdate():%Y-%m-%d}"' in page


def test_the_add_form_finds_enterprises_in_the_library_and_keeps_the_draft(project_client, project):
    wanted = EnterpriseFactory(name="开平市恒达劳务有限公司")
    draft = {"intent": "search", "q": "恒达", "corp_type": CorpType.LABOUR_SUB, "pm_name": "草稿负责人"}
    response = project_client.post(add_url(project), draft)
    assert response.status_code == 302
    page = project_client.get(response["Location"]).content.decode()
    assert wanted.name in page and "草稿负责人" in page
    response = project_client.post(add_url(project), {**draft, "intent": "", "pick": wanted.pk})
    page = project_client.get(response["Location"]).content.decode()
    assert f"已选择：<strong>{wanted.name}</strong>" in page and "草稿负责人" in page


def test_register_and_come_back_returns_to_the_half_filled_form_with_the_new_enterprise(
    project_client, project
):
    number = id_number()
    draft = {
        "intent": "register",
        "corp_type": CorpType.PROFESSIONAL_SUB,
        "pm_name": "回来的负责人",
        "pm_id_number": number,
    }
    response = project_client.post(add_url(project), draft)
    register_url = response["Location"]
    assert register_url.startswith(reverse("enterprises:register")) and "next=" in register_url
    # The ID number of the draft is never kept in clear in the session.
    assert number not in str(dict(project_client.session))
    from tests.factories import credit_code

    code = credit_code()
    response = project_client.post(register_url, {"credit_code": code, "name": "新登记的专业分包公司"})
    enterprise = Enterprise.objects.get(credit_code=code)
    assert response["Location"] == f"{add_url(project)}?enterprise={enterprise.pk}"
    page = project_client.get(response["Location"]).content.decode()
    assert "新登记的专业分包公司" in page and "回来的负责人" in page and number in page
    response = project_client.post(
        add_url(project), unit_data(enterprise, corp_type=CorpType.PROFESSIONAL_SUB, pm_id_number=number)
    )
    assert ParticipatingUnit.objects.get(project=project).enterprise == enterprise
    assert "回来的负责人" not in project_client.get(add_url(project)).content.decode()  # draft cleared


def test_the_unit_list_shows_counts_without_a_query_per_row(project_client, project):
    unit = entered_unit(project)
    team = TeamFactory(unit=unit)
    RosterEntryFactory(team=team)
    RosterEntryFactory(team=team)
    RosterEntryFactory(team=team, exit_date=date(2026, 4, 1))
    url = reverse("enterprises:unit_list", args=[project.pk])
    page = project_client.get(url).content.decode()
    assert unit.enterprise.name in page and unit.enterprise.credit_code in page
    with CaptureQueriesContext(connection) as few:
        project_client.get(url)
    for _ in range(5):
        TeamFactory(unit=entered_unit(project, CorpType.PROFESSIONAL_SUB))
    with CaptureQueriesContext(connection) as many:
        project_client.get(url)
    assert len(many) == len(few)
    table = project_client.get(url, {"q": unit.enterprise.name}).context["table"]
    row = next(iter(table.rows))
    assert (row.record.teams_on_site, row.record.workers_on_site) == (2, 2)


def test_the_exit_page_shows_what_is_still_on_site_and_the_exit_takes_it_all(project_client, project):
    unit = entered_unit(project)
    team = TeamFactory(unit=unit, entry_date=date(2026, 3, 2))
    TeamFactory(unit=unit, entry_date=date(2026, 3, 2), exit_date=date(2026, 3, 10))
    RosterEntryFactory(team=team, entry_date=date(2026, 3, 3))
    RosterEntryFactory(team=team, entry_date=date(2026, 3, 4))
    url = reverse("enterprises:unit_exit", args=[project.pk, unit.pk])
    page = project_client.get(url).content.decode()
    assert "<strong>2</strong> 个班组" in page and "<strong>2</strong> 名人员" in page
    response = project_client.post(url, {"day": "2026-04-01"}, follow=True)
    assert "2 个班组、2 名人员随同退场" in response.content.decode()
    unit.refresh_from_db()
    assert unit.exit_date == date(2026, 4, 1)
    assert not Team.objects.filter(unit=unit, exit_date__isnull=True).exists()
    assert not unit.roster.filter(exit_date__isnull=True).exists()
    assert unit.stays.get().exit_date == date(2026, 4, 1)
    assert AuditLog.objects.filter(action="roster.exit").count() == 2


def test_a_unit_exit_is_all_or_none_when_one_worker_entered_after_the_exit_date(project):
    unit = entered_unit(project)
    team = TeamFactory(unit=unit, entry_date=date(2026, 3, 2))
    RosterEntryFactory(team=team, entry_date=date(2026, 3, 3))
    late = RosterEntryFactory(team=team, entry_date=date(2026, 5, 1))
    with pytest.raises(Exception, match=late.person.name):
        exit_unit(Actor.system(), unit, date(2026, 4, 1))
    unit.refresh_from_db()
    assert unit.is_on_site
    assert Team.objects.filter(unit=unit, exit_date__isnull=True).count() == 2
    assert unit.roster.filter(exit_date__isnull=True).count() == 2


@pytest.mark.parametrize(
    ("day", "message"),
    [(date(2026, 2, 1), "不能早于参建单位进场日期"), (None, "退场日期不能晚于今天")],
)
def test_a_unit_exit_date_before_entry_or_in_the_future_is_refused(project_client, project, day, message):
    unit = entered_unit(project)
    day = day or timezone.localdate() + timedelta(days=1)
    response = project_client.post(
        reverse("enterprises:unit_exit", args=[project.pk, unit.pk]), {"day": day.isoformat()}
    )
    assert message in response.content.decode()
    unit.refresh_from_db()
    assert unit.is_on_site


def test_a_unit_that_ever_had_a_worker_can_only_exit(project_client, project):
    unit = entered_unit(project)
    RosterEntryFactory(team=TeamFactory(unit=unit), exit_date=date(2026, 3, 20))
    response = project_client.post(
        reverse("enterprises:unit_delete", args=[project.pk, unit.pk]), follow=True
    )
    assert "只能退场，不能删除" in response.content.decode()
    assert ParticipatingUnit.objects.filter(pk=unit.pk).exists()


def test_deleting_a_unit_without_workers_keeps_the_enterprise_in_the_library(project_client, project):
    unit = entered_unit(project)
    TeamFactory(unit=unit)
    response = project_client.post(reverse("enterprises:unit_delete", args=[project.pk, unit.pk]))
    assert response["Location"] == reverse("enterprises:unit_list", args=[project.pk])
    assert not ParticipatingUnit.objects.filter(pk=unit.pk).exists()
    assert not Team.objects.filter(unit_id=unit.pk).exists()
    assert Enterprise.objects.filter(pk=unit.enterprise_id).exists()
    assert AuditLog.objects.filter(action="unit.delete", project=project).exists()


def test_re_entry_keeps_the_history_and_brings_the_management_team_back(project_client, project):
    unit = entered_unit(project)
    exit_unit(Actor.system(), unit, date(2026, 4, 1))
    url = reverse("enterprises:unit_reenter", args=[project.pk, unit.pk])
    response = project_client.post(url, {"day": "2026-03-15"})
    assert "不能早于上次退场日期" in response.content.decode()
    project_client.post(url, {"day": "2026-05-01"})
    unit.refresh_from_db()
    assert unit.is_on_site and unit.entry_date == date(2026, 5, 1)
    assert [(s.entry_date, s.exit_date) for s in unit.stays.all()] == [
        (date(2026, 3, 1), date(2026, 4, 1)),
        (date(2026, 5, 1), None),
    ]
    assert unit.teams.management().get().is_on_site
    page = project_client.get(reverse("enterprises:unit_detail", args=[project.pk, unit.pk])).content.decode()
    assert "2026-04-01" in page and "2026-05-01" in page


def test_editing_a_unit_validates_the_id_number_and_keeps_it_when_left_blank(project_client, project):
    number = id_number()
    unit = enter_unit(
        Actor.system(),
        project,
        EnterpriseFactory(),
        CorpType.LABOUR_SUB,
        date(2026, 3, 1),
        pm_name="梁项目",
        pm_id_number=number,
    )
    url = reverse("enterprises:unit_edit", args=[project.pk, unit.pk])
    response = project_client.post(
        url, {"pm_name": "新负责人", "pm_phone": "13900139000", "pm_id_number": "123"}
    )
    assert "身份证号码应为18位" in response.content.decode()
    project_client.post(url, {"pm_name": "新负责人", "pm_phone": "13900139000", "pm_id_number": ""})
    unit.refresh_from_db()
    assert unit.pm_name == "新负责人" and unit.pm_id_number == number
    assert unit.teams.management().get().responsible_name == "新负责人"
    log = AuditLog.objects.get(action="unit.update")
    assert log.before["pm_name"] == "梁项目" and log.after["pm_name"] == "新负责人"


def test_another_projects_unit_is_not_found_under_ones_own_project(
    client, project, other_project, other_user
):
    unit = entered_unit(project)
    client.force_login(other_user)
    for name in ("unit_detail", "unit_edit", "unit_exit"):
        assert client.get(reverse(f"enterprises:{name}", args=[other_project.pk, unit.pk])).status_code == 404
    assert (
        client.post(reverse("enterprises:unit_delete", args=[other_project.pk, unit.pk])).status_code == 404
    )
    assert (
        client.post(
            reverse("enterprises:unit_exit", args=[other_project.pk, unit.pk]), {"day": "2026-04-01"}
        ).status_code
        == 404
    )
    unit.refresh_from_db()
    assert unit.is_on_site


def test_a_supervisor_reads_units_but_cannot_change_them(supervisor_client, project):
    unit = entered_unit(project)
    assert supervisor_client.get(reverse("enterprises:unit_list", args=[project.pk])).status_code == 200
    page = supervisor_client.get(
        reverse("enterprises:unit_detail", args=[project.pk, unit.pk])
    ).content.decode()
    assert reverse("enterprises:unit_exit", args=[project.pk, unit.pk]) not in page
    response = supervisor_client.post(
        reverse("enterprises:unit_exit", args=[project.pk, unit.pk]), {"day": "2026-04-01"}
    )
    assert response.status_code == 403


def test_the_unit_export_has_the_same_rows_as_the_page(project_client, project):
    unit = entered_unit(project)
    TeamFactory(unit=unit)
    exited = entered_unit(project, CorpType.SUPERVISION)
    exit_unit(Actor.system(), exited, date(2026, 3, 5))
    response = project_client.get(
        reverse("enterprises:unit_export", args=[project.pk]), {"status": "on_site"}
    )
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1] == (
        "企业名称",
        "统一社会信用代码",
        "参建单位类型",
        "状态",
        "进场日期",
        "退场日期",
        "项目负责人",
        "在场班组数",
        "在场人数",
    )
    assert len(rows) == 3
    assert rows[2][:4] == (unit.enterprise.name, unit.enterprise.credit_code, "劳务分包", "在场")
    assert rows[2][7:] == (2, 0)
    assert AuditLog.objects.filter(action="unit.export", project=project).exists()


def test_adding_an_exited_unit_again_is_a_re_entry_with_its_history_kept(project_client, project):
    unit = entered_unit(project)
    exit_unit(Actor.system(), unit, date(2026, 4, 1))
    response = project_client.post(add_url(project), unit_data(unit.enterprise, entry_date="2026-05-01"))
    assert response.status_code == 302
    assert ParticipatingUnit.objects.filter(project=project).count() == 1
    unit.refresh_from_db()
    assert unit.is_on_site and unit.stays.count() == 2
    assert AuditLog.objects.filter(action="unit.reenter", object_id=str(unit.pk)).exists()
    response = project_client.post(add_url(project), unit_data(unit.enterprise, entry_date="2026-05-02"))
    assert "已作为劳务分包在场，不能重复进场" in response.content.decode()


def test_re_entry_from_the_add_form_keeps_details_left_blank(project_client, project):
    number = id_number()
    unit = enter_unit(
        Actor.system(),
        project,
        EnterpriseFactory(),
        CorpType.LABOUR_SUB,
        date(2026, 3, 1),
        pm_id_number=number,
    )
    exit_unit(Actor.system(), unit, date(2026, 4, 1))
    project_client.post(
        add_url(project), unit_data(unit.enterprise, entry_date="2026-05-01", pm_id_number="")
    )
    unit.refresh_from_db()
    assert unit.is_on_site and unit.pm_id_number == number and unit.pm_name == "梁项目"


def test_why_a_unit_cannot_be_deleted_is_visible_text_beside_the_button(project_client, project):
    from tests.factories import RosterEntryFactory, UnitFactory

    unit = UnitFactory(project=project)
    RosterEntryFactory(team__unit=unit)
    page = project_client.get(reverse("enterprises:unit_detail", args=[project.pk, unit.pk])).content.decode()
    assert 'data-testid="delete-reason">已有人员进场记录，只能退场，不能删除</span>' in page
    assert 'title="只能退场，不能删除"' not in page
