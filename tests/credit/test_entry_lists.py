"""A listed worker at every entry path, a listed enterprise at 参建单位 add (credit.gate): a warning
naming the list and its end date under "warn", a refusal under "require"."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from credit import services
from enterprises.models import ParticipatingUnit
from enterprises.services import UnitEntryRefused, enter_unit
from jmzhgd.core.actor import Actor
from jmzhgd.core.codes import CorpType, PersonCategory
from jmzhgd.core.models import AuditLog, WorkType
from tests.api.conftest import error_of, make_signed
from tests.factories import EnterpriseFactory, PersonFactory, id_number
from tests.workforce.fixtures.site import PERSONS, build_site, row, workbook_bytes
from workforce import imports
from workforce.collection import upsert_and_enter
from workforce.models import PersonSource, RosterEntry
from workforce.services import EntryRefused, EntryRequest, check_entries

from .conftest import make_listing

pytestmark = pytest.mark.django_db
ACTOR = Actor.system("测试")
ENTRY = date(2026, 3, 10)
LISTED = "已列入黑名单（江门市住房和城乡建设局，至2029-01-04）"


def request_for(person, team, day=ENTRY):
    return EntryRequest(
        person=person,
        unit=team.unit,
        team=team,
        category=PersonCategory.WORKER,
        work_type=WorkType.objects.get(name="钢筋工"),
        entry_date=day,
    )


@pytest.mark.parametrize(
    ("start", "end", "status", "warned"),
    [
        (date(2026, 1, 5), date(2029, 1, 4), "active", True),
        (date(2026, 1, 5), ENTRY, "active", True),  # its last day
        (date(2026, 3, 11), date(2029, 1, 4), "active", False),  # listed after the entry day
        (date(2025, 1, 5), date(2026, 3, 9), "active", False),  # expired
        (date(2026, 1, 5), date(2029, 1, 4), "ended", False),  # removed early
        (date(2026, 1, 5), date(2029, 1, 4), "proposed", False),  # not confirmed
    ],
)
def test_which_listing_warns(project, team, start, end, status, warned):
    person = PersonFactory()
    make_listing(person=person, start=start, end=end, status=status)
    assert bool(check_entries(project, [request_for(person, team)]).warnings) is warned


def test_a_good_or_bad_record_is_no_list(project, team):
    person = PersonFactory()
    make_listing(person=person, kind="bad", category="B03")
    assert not check_entries(project, [request_for(person, team)]).warnings


def test_the_warning_names_the_list_and_its_end_date_and_require_refuses(settings, project, team):
    person = PersonFactory()
    make_listing(person=person)
    check = check_entries(project, [request_for(person, team)])
    assert check.ok and LISTED in check.warning_messages()[0]
    settings.BLACKLIST_AT_ENTRY = "require"
    check = check_entries(project, [request_for(person, team)])
    assert not check.ok and LISTED in check.error_messages()[0] and "不能进场" in check.error_messages()[0]


def test_the_wizard_warns_then_enters_on_confirmation(project_client, project, team):
    person = PersonFactory(id_number=id_number(birth=date(1990, 1, 1)))
    make_listing(person=person)
    project_client.post(
        reverse("workforce:enter", kwargs={"project_id": project.pk}),
        {"shown": [person.pk], "ids": [person.pk]},
    )
    step2 = reverse("workforce:enter_details", kwargs={"project_id": project.pk})
    data = {
        "category": "worker",
        "unit": team.unit_id,
        "team": team.pk,
        "work_type": WorkType.objects.get(name="钢筋工").pk,
        "entry_date": "2026-03-10",
    }
    page = project_client.post(step2, data)
    assert page.status_code == 200 and LISTED in page.content.decode()
    assert not RosterEntry.objects.exists()
    assert project_client.post(step2, {**data, "confirm_warnings": "1"}).status_code == 302
    assert RosterEntry.objects.filter(person=person).exists()


def test_the_batch_import_warns_of_the_listed_row_and_refuses_it_under_require(settings, project):
    site = build_site(project)
    listed = site.persons["李建国"]
    make_listing(person=listed)
    rows = [row("李建国", PERSONS["李建国"]), row("王秀英", PERSONS["王秀英"])]
    batch = imports.create_preview(ACTOR, project, SimpleUploadedFile("进场.xlsx", workbook_bytes(rows)))
    first, second = sorted(item["row"] for item in batch.report)
    by_row = {item["row"]: item for item in batch.report}
    assert any(LISTED in reason for _, reason in by_row[first]["warnings"])
    assert not by_row[second]["warnings"]
    settings.BLACKLIST_AT_ENTRY = "require"
    batch = imports.create_preview(ACTOR, project, SimpleUploadedFile("进场.xlsx", workbook_bytes(rows)))
    by_row = {item["row"]: item for item in batch.report}
    assert any("不能进场" in reason for _, reason in by_row[first]["errors"])
    imports.commit_batch(ACTOR, batch, confirm_warnings=True)  # the rows without errors enter
    assert listed.pk not in set(RosterEntry.objects.values_list("person_id", flat=True))


def test_collection_with_entry_warns_and_is_refused_under_require(settings, project, team):
    person = PersonFactory(id_number=id_number(birth=date(1990, 1, 1)))
    make_listing(person=person)
    data = {"name": person.name, "id_number": person.id_number}

    def requests_for(found):
        return [request_for(found, team)]

    with pytest.raises(EntryRefused, match="黑名单"):
        upsert_and_enter(ACTOR, project, data, source=PersonSource.WEB, requests_for=requests_for)
    settings.BLACKLIST_AT_ENTRY = "require"
    with pytest.raises(EntryRefused, match="不能进场"):
        upsert_and_enter(
            ACTOR, project, data, source=PersonSource.WEB, requests_for=requests_for, confirm_warnings=True
        )
    assert not RosterEntry.objects.exists()


def test_the_api_asks_for_confirm_warnings_then_enters(settings, client, project, team):
    person = PersonFactory(id_number=id_number(birth=date(1990, 6, 1)))
    make_listing(person=person)
    signed = make_signed(client, project)
    entry = {
        "teamId": team.pk,
        "workType": WorkType.objects.get(name="钢筋工").code,
        "entryDate": "2026-03-05",
    }
    payload = {"workerName": person.name, "idCardNumber": person.id_number, "entry": entry}
    response = signed.post(f"/api/v1/projects/{project.pk}/persons", payload)
    assert response.status_code == 422 and "黑名单" in error_of(response)["message"]
    settings.BLACKLIST_AT_ENTRY = "require"
    entry["confirmWarnings"] = True
    response = signed.post(f"/api/v1/projects/{project.pk}/persons", payload)
    assert response.status_code == 422 and "不能进场" in error_of(response)["message"]
    settings.BLACKLIST_AT_ENTRY = "warn"
    assert signed.post(f"/api/v1/projects/{project.pk}/persons", payload).status_code == 200


def test_the_list_check_costs_one_query_for_one_worker_or_twenty(project, team):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from credit.gate import check_entry_lists
    from workforce.services.entry import EntryCheck

    def count(n):
        persons = [PersonFactory() for _ in range(n)]
        for person in persons[::2]:
            make_listing(person=person)
        requests = [request_for(p, team) for p in persons]
        with CaptureQueriesContext(connection) as queries:
            check_entry_lists(None, project=project, requests=requests, check=EntryCheck())
        return len(queries)

    assert count(1) == count(20) == 1


# --- 参建单位 add ---------------------------------------------------------------------------------


def test_a_listed_enterprise_is_warned_then_enters_on_confirmation(project):
    enterprise = EnterpriseFactory()
    make_listing(enterprise=enterprise, kind="joint", issuer="江门市人力资源和社会保障局")
    with pytest.raises(UnitEntryRefused) as refused:
        enter_unit(ACTOR, project, enterprise, CorpType.LABOUR_SUB, ENTRY)
    assert (
        "已列入失信联合惩戒对象名单（江门市人力资源和社会保障局，至2029-01-04）" in refused.value.warnings[0]
    )
    assert not ParticipatingUnit.objects.exists()
    unit = enter_unit(ACTOR, project, enterprise, CorpType.LABOUR_SUB, ENTRY, confirm_warnings=True)
    assert unit.entry_warnings
    logged = AuditLog.objects.get(action="unit.enter")
    assert "失信联合惩戒" in str(logged.after)


def test_require_refuses_a_listed_enterprise_even_confirmed(settings, project):
    settings.BLACKLIST_AT_ENTRY = "require"
    enterprise = EnterpriseFactory()
    make_listing(enterprise=enterprise)
    with pytest.raises(UnitEntryRefused, match="不能作为参建单位进场"):
        enter_unit(ACTOR, project, enterprise, CorpType.LABOUR_SUB, ENTRY, confirm_warnings=True)
    assert not ParticipatingUnit.objects.exists()


def test_the_unit_add_page_warns_with_the_end_date_and_enters_on_confirmation(project_client, project):
    enterprise = EnterpriseFactory()
    make_listing(enterprise=enterprise)
    url = reverse("enterprises:unit_add", args=[project.pk])
    data = {
        "intent": "save",
        "enterprise": enterprise.pk,
        "corp_type": CorpType.LABOUR_SUB,
        "entry_date": "2026-03-10",
        "pm_name": "梁项目",
        "pm_phone": "13800138000",
    }
    page = project_client.post(url, data).content.decode()
    assert LISTED in page and 'name="confirm_warnings"' in page
    assert not ParticipatingUnit.objects.exists()
    answer = project_client.post(url, {**data, "confirm_warnings": "1"}, follow=True)
    assert ParticipatingUnit.objects.filter(enterprise=enterprise).exists()
    assert "已确认" in answer.content.decode() and "2029-01-04" in answer.content.decode()


def test_reentering_a_listed_unit_warns_too(project_client, project):
    enterprise = EnterpriseFactory()
    unit = enter_unit(ACTOR, project, enterprise, CorpType.LABOUR_SUB, date(2026, 1, 2))
    unit.exit_date = date(2026, 2, 1)
    unit.save()
    make_listing(enterprise=enterprise)
    url = reverse("enterprises:unit_reenter", args=[project.pk, unit.pk])
    page = project_client.post(url, {"day": "2026-03-10"}).content.decode()
    assert LISTED in page and 'name="confirm_warnings"' in page
    assert project_client.post(url, {"day": "2026-03-10", "confirm_warnings": "1"}).status_code == 302
    unit.refresh_from_db()
    assert unit.exit_date is None


def test_a_supervisor_lists_an_enterprise_and_the_project_adding_it_is_warned(
    supervisor, own_client, project, bureau
):
    """The issue's check: listing by the page, the unit add warned with the end date, the objection
    reaching the supervisor."""
    from django.test import Client

    bureau_client = Client()
    bureau_client.force_login(supervisor)
    enterprise = EnterpriseFactory()
    created = bureau_client.post(
        reverse("credit:create"),
        {
            "s-credit_code": enterprise.credit_code,
            "kind": "joint",
            "start_date": "2026-02-01",
            "end_date": "2029-01-31",
            "issuer": "江门市人力资源和社会保障局",
            "description": "拖欠农民工工资",
        },
    )
    assert created.status_code == 302
    url = reverse("enterprises:unit_add", args=[project.pk])
    data = {
        "intent": "save",
        "enterprise": enterprise.pk,
        "corp_type": CorpType.LABOUR_SUB,
        "entry_date": "2026-03-10",
        "pm_name": "梁项目",
        "pm_phone": "13800138000",
    }
    page = own_client.post(url, data).content.decode()
    assert "失信联合惩戒对象名单" in page and "至2029-01-31" in page
    own_client.post(url, {**data, "confirm_warnings": "1"})
    record = enterprise.credit_records.get()
    objection_url = reverse("credit:project_object", args=[project.pk, record.pk])
    own_client.post(objection_url, {"reason": "工资已于2026年3月付清"})
    pending = bureau_client.get(reverse("credit:supervise") + "?objection=true").content.decode()
    assert enterprise.name in pending
    detail = bureau_client.get(reverse("credit:detail", args=[record.pk])).content.decode()
    assert "工资已于2026年3月付清" in detail and services.VIA_PROJECT in detail
