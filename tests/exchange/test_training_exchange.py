"""ProjectTraining.Add and PersonalCertifications.Add: mapped by the standard's names, queued after the
workers they name, and accepted or refused by the strict fake province."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from exchange import services
from exchange.crypto import FieldCipher
from exchange.mapping import BY_METHOD, MAPPERS, Context
from exchange.models import OutboundRecord, RecordStatus
from jmzhgd.core.actor import Actor
from tests.exchange.fake_province import AES_KEY, site
from training import services as training_services
from training.models import PersonalCertification, Training, TrainingAttendee, TrainingType

pytestmark = pytest.mark.django_db


def training_for(project, persons, *, day=date(2026, 3, 5), passed=(True,)):
    training = Training.objects.create(
        project=project,
        training_type=TrainingType.SAFETY,
        name="三级安全教育",
        training_date=day,
        hours="2.0",
        trainer="李安全",
    )
    for person, ok in zip(persons, passed * len(persons), strict=False):
        TrainingAttendee.objects.create(training=training, person=person, passed=ok)
    return training


def certificate_for(person, **kwargs):
    values = {
        "certificate_type": "02",
        "number": "粤A042025000123",
        "issuer": "广东省住房和城乡建设厅",
        "issue_date": date(2025, 1, 1),
        "valid_until": date(2031, 1, 1),
        **kwargs,
    }
    return PersonalCertification.objects.create(person=person, **values)


def test_the_two_records_take_their_place_in_the_standards_order():
    methods = [m.method for m in MAPPERS]
    assert methods.index("ProjectWorker.Add") < methods.index("PersonalCertifications.Add")
    assert methods.index("WorkerContract.Add") < methods.index("ProjectTraining.Add")
    assert methods.index("ProjectTraining.Add") < methods.index("Payroll.Add")


def test_a_training_maps_with_its_workers_and_waits_for_them(project):
    _team, entries = site(project, punches=False, contract=False)
    training = training_for(project, [e.person for e in entries], passed=(True, False))
    mapper = BY_METHOD["ProjectTraining.Add"]
    obj = mapper.rows(project).get(pk=training.pk)
    header, item = mapper.payload(obj, Context(cipher=FieldCipher(AES_KEY)))
    assert header == {}
    assert {k: v for k, v in item.items() if k != "workerList"} == {
        "projectCode": project.code,
        "trainingDate": "2026-03-05",
        "trainingDuration": "2.0",
        "trainingName": "三级安全教育",
        "trainingTypeCode": "003001",
        "trainer": "李安全",
    }
    cipher = FieldCipher(AES_KEY)
    assert [(w["workerName"], cipher.decrypt(w["idCardNumber"]), w["isPass"]) for w in item["workerList"]] == [
        (entries[0].person.name, entries[0].person.id_number, "1"),
        (entries[1].person.name, entries[1].person.id_number, "0"),
    ]
    assert mapper.requires(obj) == sorted(
        [("ProjectWorker.Add", str(e.pk)) for e in entries], key=lambda r: int(r[1])
    )


def test_a_certificate_goes_with_the_workers_latest_stay_on_the_project(project):
    _team, entries = site(project, workers=1, punches=False, contract=False)
    person = entries[0].person
    cert = certificate_for(person, grade="")
    mapper = BY_METHOD["PersonalCertifications.Add"]
    obj = mapper.rows(project).get(pk=cert.pk)
    header, item = mapper.payload(obj, Context())
    assert header == {"projectCode": project.code}
    assert item["certificationType"] == "02"
    assert item["certificationCode"] == "粤A042025000123"
    assert (item["firstIssueDate"], item["validDate"]) == ("2025-01-01", "2031-01-01")
    assert "certificationLevel" not in item  # empty optional fields are left out
    assert mapper.requires(obj) == [("ProjectWorker.Add", str(entries[0].pk))]


def test_a_certificate_of_someone_never_on_the_roster_is_not_the_projects(project, other_project):
    _team, entries = site(other_project, workers=1, punches=False, contract=False)
    certificate_for(entries[0].person)
    assert not BY_METHOD["PersonalCertifications.Add"].rows(project).exists()


def test_the_province_accepts_trainings_and_certificates_after_the_workers(project, province, province_client):
    _team, entries = site(project, punches=False, contract=False)
    training_for(project, [e.person for e in entries])
    certificate_for(entries[0].person)
    services.sync_province(project=project, client=province_client)
    records = OutboundRecord.objects.filter(project=project)
    assert set(records.values_list("status", flat=True)) == {RecordStatus.ACCEPTED}
    methods = province.methods()
    assert methods.index("ProjectWorker.Add") < methods.index("PersonalCertifications.Add")
    assert methods.index("ProjectWorker.Add") < methods.index("ProjectTraining.Add")
    (sent,) = [d for m, d in province.received if m == "ProjectTraining.Add"]
    # The province decrypted the attendees' ID numbers: the AES round trip of the workerList.
    assert {w["idCardNumber"] for w in sent["workerList"]} == {e.person.id_number for e in entries}


def test_an_attendee_added_later_sends_the_training_again(project, province, province_client, project_user):
    _team, entries = site(project, workers=2, punches=False, contract=False)
    training = training_for(project, [entries[0].person])
    services.sync_province(project=project, client=province_client)
    training_services.add_attendees(Actor(user=project_user), training, [entries[1].person_id])
    services.sync_province(project=project, client=province_client)
    sent = [d for m, d in province.received if m == "ProjectTraining.Add"]
    assert [len(d["workerList"]) for d in sent] == [1, 2]


def test_the_province_refuses_a_training_dated_after_today(project, province, province_client):
    _team, entries = site(project, workers=1, punches=False, contract=False)
    training_for(project, [entries[0].person], day=timezone.localdate() + timedelta(days=2))
    services.sync_province(project=project, client=province_client)
    parked = OutboundRecord.objects.get(project=project, method="ProjectTraining.Add")
    assert parked.status == RecordStatus.REFUSED
    assert parked.message == "[trainingDate]不能大于当天!"
