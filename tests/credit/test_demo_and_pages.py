"""seed_demo's 诚信 share, and the pages a supervisor and a project fill in."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from credit import demo
from credit.models import CreditRecord, Objection
from jmzhgd.core.demo import DemoContext
from tests import factories
from tests.factories import UnitFactory

from .conftest import BUREAU, make_listing

pytestmark = pytest.mark.django_db


def png(name="处罚决定书.png"):
    out = io.BytesIO()
    Image.new("RGB", (20, 20), "white").save(out, "PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


def test_the_demo_seeder_records_a_few_records_a_listed_enterprise_and_an_objection():
    projects = []
    for _ in range(2):
        entry = factories.RosterEntryFactory()
        factories.ProjectUserFactory(project=entry.project)
        projects.append(entry.project)
        factories.RosterEntryFactory.create_batch(2, team=entry.team)
    factories.SupervisorFactory(username="jgf")
    out = io.StringIO()
    demo.seed(DemoContext(write=out.write, shared={"projects": projects}))
    assert "失信联合惩戒对象名单" in out.getvalue()
    kinds = set(CreditRecord.objects.values_list("kind", "status"))
    assert {("good", "active"), ("bad", "active"), ("bad", "proposed"), ("joint", "active")} <= kinds
    listed = CreditRecord.objects.get(kind="joint")
    assert listed.enterprise_id and listed.objections.get().status == "pending"
    count = CreditRecord.objects.count()
    demo.seed(DemoContext(write=out.write, shared={"projects": projects}))
    assert CreditRecord.objects.count() == count and Objection.objects.count() == 1


def test_a_supervisor_records_a_bad_record_with_its_scan(supervisor_client, worker):
    answer = supervisor_client.post(
        reverse("credit:create"),
        {
            "s-id_number": worker.id_number,
            "kind": "bad",
            "category": "B03",
            "start_date": "2026-03-01",
            "issuer": BUREAU,
            "description": "违章作业",
            "evidence_file": png(),
        },
    )
    record = CreditRecord.objects.get()
    assert answer.status_code == 302 and record.person == worker and record.evidence_name == "处罚决定书.png"
    scan = supervisor_client.get(reverse("credit:evidence", args=[record.pk]))
    assert scan.status_code == 200


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"kind": "bad", "category": "G01"}, "不良行为类别"),
        ({"kind": "blacklist", "category": ""}, "名单须填写移出日期"),
        ({"kind": "good", "category": "G01", "end_date": "2026-01-01"}, "不能早于"),
        ({"kind": "good", "category": "G01", "start_date": "99999-01-01"}, "日期"),
    ],
)
def test_bad_input_gets_a_chinese_message(supervisor_client, worker, data, message):
    values = {
        "s-id_number": worker.id_number,
        "start_date": "2026-03-01",
        "issuer": BUREAU,
        "description": "x",
    }
    page = supervisor_client.post(reverse("credit:create"), {**values, **data})
    assert page.status_code == 200 and message in page.content.decode()
    assert not CreditRecord.objects.exists()


def test_an_unknown_subject_is_named(supervisor_client):
    page = supervisor_client.post(reverse("credit:create"), {"s-credit_code": "91440700MA00000000"})
    assert "企业库中未找到" in page.content.decode()


def test_a_bad_scan_is_refused(supervisor_client, worker):
    page = supervisor_client.post(
        reverse("credit:create"),
        {
            "s-id_number": worker.id_number,
            "kind": "good",
            "category": "G01",
            "start_date": "2026-03-01",
            "issuer": BUREAU,
            "description": "表彰",
            "evidence_file": SimpleUploadedFile("a.pdf", b"not a pdf", content_type="application/pdf"),
        },
    )
    assert page.status_code == 200 and not CreditRecord.objects.exists()


def test_the_project_proposes_on_its_page_and_sees_it_in_its_list(project_client, project, worker):
    answer = project_client.post(
        reverse("credit:propose", args=[project.pk]),
        {
            "s-person": worker.pk,
            "kind": "good",
            "category": "G03",
            "start_date": "2026-03-01",
            "issuer": project.name,
            "description": "救助落水群众",
        },
    )
    record = CreditRecord.objects.get()
    assert answer.status_code == 302 and record.status == "proposed" and record.proposed_by == project
    listing = project_client.get(reverse("credit:project_list", args=[project.pk])).content.decode()
    assert worker.name in listing and "待确认" in listing


def test_the_project_list_shows_its_units_listing_not_another_projects(
    project_client, project, other_project
):
    mine = make_listing(enterprise=UnitFactory(project=project).enterprise)
    theirs = make_listing(enterprise=UnitFactory(project=other_project).enterprise)
    listing = project_client.get(reverse("credit:project_list", args=[project.pk])).content.decode()
    assert mine.enterprise.name in listing and theirs.enterprise.name not in listing


def test_the_supervisor_confirms_a_proposal_on_the_page(supervisor_client, project, worker):
    record = make_listing(person=worker, kind="bad", category="B03", status="proposed", proposed_by=project)
    detail = supervisor_client.get(reverse("credit:detail", args=[record.pk])).content.decode()
    assert "审核项目提议" in detail
    supervisor_client.post(reverse("credit:decide", args=[record.pk]), {"decision": "confirm"})
    record.refresh_from_db()
    assert record.status == "active"


def test_the_person_page_lists_his_records_for_his_project(project_client, project, worker):
    make_listing(person=worker)
    url = reverse("workforce:person_detail", kwargs={"project_id": project.pk, "person_id": worker.pk})
    html = project_client.get(url).content.decode()
    assert 'data-testid="person-credit"' in html and "黑名单" in html and "2029-01-04" in html
