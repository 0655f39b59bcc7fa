"""Who may record, propose, confirm, end and object (docs/credit.md §3): supervisors record and end,
a project proposes for its own worker or unit only, the subject objects, a supervisor answers."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from credit import services
from credit.models import CreditRecord, Objection
from jmzhgd.core.actor import Actor
from jmzhgd.core.models import AuditLog
from tests.factories import PersonFactory, RosterEntryFactory, UnitFactory

from .conftest import BUREAU, make_listing

pytestmark = pytest.mark.django_db

BAD = {
    "kind": "bad",
    "category": "B03",
    "start_date": date(2026, 3, 1),
    "end_date": date(2027, 3, 1),
    "issuer": BUREAU,
    "description": "高处作业未系安全带",
}


def test_a_supervisors_record_is_in_force_at_once_and_audited(bureau, worker):
    record = services.save_new_record(bureau, BAD, person=worker)
    assert record.status == "active" and record.is_in_force_on(date(2026, 6, 1))
    assert AuditLog.objects.filter(action="credit.create").count() == 1


def test_a_project_account_cannot_record_directly(project_user, worker):
    with pytest.raises(PermissionDenied):
        services.save_new_record(Actor(user=project_user), BAD, person=worker)


def test_a_project_proposes_for_its_worker_and_a_supervisor_confirms(project, project_user, bureau, worker):
    record = services.save_new_record(Actor(user=project_user), BAD, person=worker, proposing_project=project)
    assert record.status == "proposed" and record.proposed_by == project
    assert not CreditRecord.objects.in_force_on(date(2026, 6, 1)).exists()
    services.decide_proposal(bureau, record, confirm=True)
    record.refresh_from_db()
    assert record.status == "active"
    assert set(AuditLog.objects.values_list("action", flat=True)) >= {"credit.propose", "credit.confirm"}


def test_a_rejection_needs_a_note(project, project_user, bureau, worker):
    record = services.save_new_record(Actor(user=project_user), BAD, person=worker, proposing_project=project)
    with pytest.raises(ValidationError, match="审核意见"):
        services.decide_proposal(bureau, record, confirm=False)
    services.decide_proposal(bureau, record, confirm=False, note="证据不足")
    assert CreditRecord.objects.get().status == "rejected"


def test_a_project_cannot_propose_for_someone_not_its_own(project, project_user, other_project):
    stranger = RosterEntryFactory(team__unit__project=other_project).person
    foreign_unit = UnitFactory(project=other_project)
    actor = Actor(user=project_user)
    with pytest.raises(PermissionDenied):
        services.save_new_record(actor, BAD, person=stranger, proposing_project=project)
    with pytest.raises(PermissionDenied):
        services.save_new_record(actor, BAD, enterprise=foreign_unit.enterprise, proposing_project=project)
    with pytest.raises(PermissionDenied):  # nor in another project's name
        services.save_new_record(actor, BAD, person=stranger, proposing_project=other_project)


def test_the_propose_page_offers_only_its_own_workers(project_client, project, worker, other_project):
    stranger = RosterEntryFactory(team__unit__project=other_project).person
    url = reverse("credit:propose", kwargs={"project_id": project.pk})
    page = project_client.get(url).content.decode()
    assert worker.name in page and stranger.name not in page
    answer = project_client.post(url, {"s-person": stranger.pk, **{k: str(v) for k, v in BAD.items()}})
    assert answer.status_code == 200 and not CreditRecord.objects.exists()


def test_only_a_supervisor_ends_a_listing_early_with_a_reason(bureau, own_client, project):
    unit = UnitFactory(project=project)
    record = make_listing(enterprise=unit.enterprise, kind="joint")
    url = reverse("credit:end", kwargs={"credit_record_id": record.pk})
    assert own_client.post(url, {"day": "2026-06-01", "reason": "已付清"}).status_code == 404
    with pytest.raises(ValidationError, match="原因"):
        services.end_record(bureau, record, day=date(2026, 6, 1), reason=" ")
    services.end_record(
        bureau, record, day=date(2026, 6, 1), reason="所欠工资已全部支付（人社部令第45号第十三条）"
    )
    record.refresh_from_db()
    assert record.status == "ended" and not record.is_in_force_on(date(2026, 7, 1))
    assert AuditLog.objects.filter(action="credit.end").exists()


def test_another_projects_record_is_a_404(client, other_user, project):
    record = make_listing(enterprise=UnitFactory(project=project).enterprise)
    client.force_login(other_user)
    own_id = reverse(
        "credit:project_detail", kwargs={"project_id": other_user.project_id, "credit_record_id": record.pk}
    )
    assert client.get(own_id).status_code == 404
    assert client.post(own_id + "object/", {"reason": "不服"}).status_code == 404
    assert not Objection.objects.exists()


def test_an_enterprises_objection_reaches_the_supervisor_who_answers(own_client, supervisor_client, project):
    record = make_listing(enterprise=UnitFactory(project=project).enterprise)
    url = reverse("credit:project_object", kwargs={"project_id": project.pk, "credit_record_id": record.pk})
    own_client.post(url, {"reason": "所欠工资已付清"})
    objection = Objection.objects.get()
    assert objection.status == "pending" and objection.filed_via == services.VIA_PROJECT
    # A second objection waits for the answer to the first.
    own_client.post(url, {"reason": "再次申诉"})
    assert Objection.objects.count() == 1
    listing = supervisor_client.get(reverse("credit:supervise") + "?objection=true").content.decode()
    assert record.enterprise.name in listing and "申诉待答复" in listing
    answer = reverse("credit:answer", kwargs={"credit_record_id": record.pk})
    supervisor_client.post(answer, {"upheld": "1", "answer": "经核实已付清"})
    objection.refresh_from_db()
    record.refresh_from_db()
    assert objection.status == "upheld" and record.status == "ended" and "申诉成立" in record.end_reason
    assert set(AuditLog.objects.values_list("action", flat=True)) >= {
        "credit.object",
        "credit.answer",
        "credit.end",
    }


def test_a_project_does_not_object_for_a_worker_he_objects_himself(project_client, project, worker):
    record = make_listing(person=worker)
    url = reverse("credit:project_object", kwargs={"project_id": project.pk, "credit_record_id": record.pk})
    project_client.post(url, {"reason": "不服"})
    assert not Objection.objects.exists()


def test_the_worker_sees_his_record_and_objects_in_self_service(client, supervisor_client):
    from tests.selfservice.test_lookup import ask

    entry = RosterEntryFactory(person__phone="13812345678")
    record = make_listing(person=entry.person)
    proposed = make_listing(person=entry.person, kind="bad", category="B05", status="proposed")
    html = ask(client, entry.person.name, entry.person.id_number).content.decode()
    assert "我的诚信记录" in html and "黑名单" in html and "2029-01-04" in html
    assert html.count('name="record"') == 1  # the proposal, not yet confirmed, is not shown
    url = reverse("selfservice:objection")
    assert client.post(url, {"record": proposed.pk, "reason": "不服"}).status_code == 400  # not in force
    answer = client.post(url, {"record": record.pk, "reason": "我从未拖欠，请核实"})
    assert answer.status_code == 200 and "申诉已提交" in answer.content.decode()
    objection = Objection.objects.get()
    assert objection.record == record and objection.filed_via == services.VIA_WORKER
    detail = supervisor_client.get(reverse("credit:detail", kwargs={"credit_record_id": record.pk}))
    assert "我从未拖欠" in detail.content.decode()


def test_a_stranger_cannot_object_without_a_verified_lookup(client):
    record = make_listing(person=PersonFactory())
    assert (
        client.post(reverse("selfservice:objection"), {"record": record.pk, "reason": "x"}).status_code == 400
    )
    assert not Objection.objects.exists()
