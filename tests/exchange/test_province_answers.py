"""数据对接 as the real platform answers it, against the strict fake (exchange.testing): a whole
history accepted through transient faults, edits as updates, "已存在" taken as present, results as
text, a worker without a photo held, pictures within 50 KB, code values as the ID card writes them."""

from __future__ import annotations

import base64
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from attendance.models import Punch
from exchange import services
from exchange.client import parse_result
from exchange.mapping import BY_METHOD, Context
from exchange.mapping.images import LIMIT_BYTES
from exchange.models import OutboundRecord, RecordStatus
from exchange.testing import FakeProvince
from tests import factories
from tests.exchange.fake_province import configure, connect, give_photo, site
from tests.exchange.sheets import sheet, wage_account

pytestmark = pytest.mark.django_db


def statuses(project) -> set[str]:
    return set(OutboundRecord.objects.filter(project=project).values_list("status", flat=True))


def run_until_settled(project, *, rounds: int = 40):
    """sync_province runs as cron does, each run a few hours after the last (past any backoff)."""
    now = timezone.now()
    for _ in range(rounds):
        services.sync_province(project=project, now=now, sleep=lambda seconds: None, max_seconds=60)
        if statuses(project) <= {RecordStatus.ACCEPTED, RecordStatus.REFUSED, RecordStatus.INVALID}:
            return
        now += timedelta(hours=7)
    raise AssertionError(f"not settled: {statuses(project)}")


def test_a_whole_history_is_accepted_in_order_through_transient_faults(project, settings):
    """Units, a team, 50 workers with photos, their entries, a month of attendance, contracts and a
    paid wage sheet, against a province that fails now and then."""
    team, entries = site(project, workers=50, punches=False, contract=False)
    today = timezone.localdate()
    punches = []
    for day in range(1, 31):
        moment = timezone.now() - timedelta(days=day)
        for entry in entries:
            punch = factories.PunchFactory.build(roster_entry=entry, punched_at=moment)
            punches.append(punch)
    Punch.objects.bulk_create(punches, batch_size=1000)
    for entry in entries[:10]:
        factories.ContractFactory(roster_entry=entry)
    wage_account(project)
    sheet(team, entries[:5], days=2)
    with FakeProvince(flaky=0.15, seed=7) as fake:
        configure(settings, fake)
        connect(fake, project)
        run_until_settled(project)
    assert statuses(project) == {RecordStatus.ACCEPTED}
    assert fake.faults > 0  # the faults happened, and were retried by themselves
    methods = fake.methods()
    order = ["Corp.Upload", "Project.Add", "ProjectSubContractor.Add", "Team.Add", "ProjectWorker.Add"]
    assert [methods.index(m) for m in order] == sorted(methods.index(m) for m in order)
    workers = [w for m, d in fake.received if m == "ProjectWorker.Add" for w in d["workerList"]]
    assert len(workers) == 50 and all(w["headImage"] == "<headImage>" for w in workers)
    days = [d for m, d in fake.received if m == "WorkerAttendance.Add" for d in d["dataList"]]
    assert len(days) == 30 * 50
    assert sum(len(d["detailList"]) for m, d in fake.received if m == "Payroll.Add") == 5
    # Payroll answers an array (as such, or as text holding it): kept as it came.
    wage_results = OutboundRecord.objects.filter(project=project, method="Payroll.Add").values_list(
        "result", flat=True
    )
    assert all(isinstance(r, list) and r[0]["status"] == "20" for r in wage_results)
    assert today.strftime("%Y-%m") in {d["payMonth"] for m, d in fake.received if m == "Payroll.Add"}


def test_a_worker_without_a_photo_is_held_with_the_reason_shown(project, province, project_client):
    team, entries = site(project, workers=2, punches=True, contract=False)
    held = entries[0].person
    held.photo.delete(save=True)
    services.sync_province(project=project)
    record = OutboundRecord.objects.get(
        project=project, method="ProjectWorker.Add", object_key=str(entries[0].pk)
    )
    assert record.status == RecordStatus.INVALID
    assert record.message.startswith(f"项目人员【{held.name}】缺少人员照片（headImage）")
    sent = [
        w["workerName"]
        for m, d in province.received
        if m.startswith("ProjectWorker.")
        for w in d["workerList"]
    ]
    assert sent == [entries[1].person.name]
    # His punch waits for him, and says so.
    punch = OutboundRecord.objects.get(
        project=project, method="WorkerAttendance.Add", label__startswith=held.name
    )
    assert punch.status == RecordStatus.QUEUED
    assert punch.message.startswith(f"等待项目人员【{held.name}】被省平台接收（该记录本地校验未通过：")
    page = project_client.get(reverse("exchange:page", kwargs={"project_id": project.pk})).content.decode()
    assert "缺少人员照片" in page
    person_page = project_client.get(
        reverse("workforce:person_detail", kwargs={"project_id": project.pk, "person_id": held.pk})
    ).content.decode()
    assert 'data-testid="exchange-held"' in person_page and "缺少人员照片" in person_page
    # A photo uploaded: the worker, then his punch, go at the next run.
    give_photo(held)
    services.sync_province(project=project)
    assert statuses(project) == {RecordStatus.ACCEPTED}


def test_a_big_photo_goes_recompressed_within_50_kb_and_the_original_is_kept(
    project, province, province_client
):
    team, entries = site(project, workers=1, punches=False, contract=False)
    noise = Image.effect_noise((1200, 900), 80).convert("RGB")
    out = io.BytesIO()
    noise.save(out, "PNG")
    original = out.getvalue()
    assert len(original) > 1_000_000
    person = entries[0].person
    person.photo.delete(save=False)
    give_photo(person, original)
    ctx = Context(cipher=province_client.cipher(), team_sys_no={team.pk: 1})
    _header, item = BY_METHOD["ProjectWorker.Add"].payload(entries[0], ctx)
    assert item["headImage"].startswith("data:image/jpeg;base64,")
    raw = base64.b64decode(item["headImage"].partition(",")[2])
    assert len(raw) <= LIMIT_BYTES and len(item["headImage"]) <= LIMIT_BYTES
    with person.photo.open("rb") as stored:
        assert stored.read() == original
    services.sync_province(project=project, client=province_client)
    assert statuses(project) == {RecordStatus.ACCEPTED}


def test_the_id_card_images_go_when_present(project, province, province_client):
    team, entries = site(project, workers=1, punches=False, contract=False)
    person = entries[0].person
    from django.core.files.base import ContentFile

    from tests.exchange.fake_province import jpeg

    person.id_front_image.save("front.jpg", ContentFile(jpeg((320, 200))), save=True)
    services.sync_province(project=project, client=province_client)
    worker = next(d["workerList"][0] for m, d in province.received if m == "ProjectWorker.Add")
    assert worker["positiveIDCardImage"] == "<positiveIDCardImage>"
    assert "negativeIDCardImage" not in worker


def test_edits_go_as_the_standards_update_methods(project, province, province_client):
    team, entries = site(project, workers=1, punches=False, contract=False)
    services.sync_province(project=project, client=province_client)
    unit = team.unit
    unit.pm_name = "李经理"
    unit.save()
    person = entries[0].person
    person.address = "广东省江门市蓬江区新址1号"
    person.save()
    project.contact_name = "新联系人"
    project.save()
    services.sync_province(project=project, client=province_client)
    updates = [m for m in province.methods() if m.endswith(("Update", "PartUpdate"))]
    assert sorted(updates) == ["Project.PartUpdate", "ProjectSubContractor.Update", "ProjectWorker.Update"]
    assert province.methods().count("ProjectWorker.Add") == 1
    assert statuses(project) == {RecordStatus.ACCEPTED}


def test_an_already_there_team_is_present_and_its_number_recovered(project, province, province_client):
    team, entries = site(project, workers=1, punches=False, contract=False)
    services.sync_province(project=project, client=province_client)
    record = OutboundRecord.objects.get(project=project, method="Team.Add")
    number = record.result["teamSysNo"]
    # The Add's result was lost: the record is sent again as new, and the province answers 已存在.
    record.status, record.known, record.result = RecordStatus.QUEUED, False, None
    record.save()
    OutboundRecord.objects.filter(project=project, method="ProjectWorker.Add").update(
        status=RecordStatus.QUEUED, known=False
    )
    province.workers.clear()
    services.sync_province(project=project, client=province_client)
    record.refresh_from_db()
    assert (record.status, record.known, record.result["teamSysNo"]) == (RecordStatus.ACCEPTED, True, number)
    assert province.methods().count("Team.Add") == 1  # the second was answered 已存在, not taken
    worker = [d for m, d in province.received if m == "ProjectWorker.Add"][-1]
    assert worker["teamSysNo"] == number


def test_an_update_answered_already_there_is_a_refusal_not_presence(project, province, province_client):
    team, _ = site(project, workers=1, punches=False, contract=False)
    services.sync_province(project=project, client=province_client)
    # The province holds another team of the unit named 木工班 (entered elsewhere).
    province.teams[9999] = (project.code, team.unit.enterprise.credit_code, "木工班")
    team.name = "木工班"
    team.save()
    services.sync_province(project=project, client=province_client)
    record = OutboundRecord.objects.get(project=project, method="Team.Add")
    assert record.status == RecordStatus.REFUSED
    assert record.message == "[teamName]班组名称已存在,teamSysNo:9999"
    assert record.result["teamSysNo"] != 9999  # its own number is kept


def test_an_already_there_worker_in_a_batch_is_present_and_the_others_go_again(
    project, province, province_client
):
    team, entries = site(project, workers=3, punches=False, contract=False)
    services.sync_province(project=project, client=province_client)
    # The province holds the second worker only (the first and third were lost on its side).
    code = project.code
    province.workers = {(code, entries[1].person.id_number)}
    OutboundRecord.objects.filter(project=project, method="ProjectWorker.Add").update(
        status=RecordStatus.QUEUED, known=False
    )
    services.sync_province(project=project, client=province_client)
    assert statuses(project) == {RecordStatus.ACCEPTED}
    assert province.workers == {(code, e.person.id_number) for e in entries}


def test_a_result_sent_as_text_is_read(project, province, province_client):
    assert parse_result('{"teamSysNo": 1001}') == {"teamSysNo": 1001}
    assert parse_result('[{"a": 1}]') == [{"a": 1}]
    assert parse_result("Internal Error") == "Internal Error"
    team, _ = site(project, workers=1, punches=False, contract=False)
    services.sync_province(project=project, client=province_client)
    # The fake answers every other result as a string of JSON: the team's came as one or the other,
    # and its number is read either way, as the workers' requests show.
    team_number = OutboundRecord.objects.get(project=project, method="Team.Add").result["teamSysNo"]
    assert [d["teamSysNo"] for m, d in province.received if m == "ProjectWorker.Add"] == [team_number]


@pytest.mark.parametrize("kind", ["http", "sync", "async"])
def test_a_transient_fault_is_retried_and_never_a_refusal(project, province, province_client, kind):
    site(project, workers=1, punches=False, contract=False)
    province.fault_next(kind)
    now = timezone.now()
    services.sync_province(project=project, client=province_client, now=now, sleep=lambda s: None)
    corp = OutboundRecord.objects.get(project=project, method="Corp.Upload")
    assert corp.status == RecordStatus.QUEUED and "重试" in corp.message
    services.sync_province(project=project, client=province_client, now=now + timedelta(minutes=2))
    assert statuses(project) == {RecordStatus.ACCEPTED}


def test_a_failing_poll_is_asked_again_not_refused(project, province, province_client):
    site(project, workers=1, punches=False, contract=False)
    now = timezone.now()
    services.enqueue_changes(project, now=now)
    services.send_ready(client=province_client, project=project, now=now)
    province.fault_next("sync")
    services.poll_results(client=province_client, project=project, now=now)
    services.poll_results(client=province_client, project=project, now=now + timedelta(seconds=30))
    assert RecordStatus.REFUSED not in statuses(project)
    services.sync_province(project=project, client=province_client, now=now + timedelta(minutes=1))
    assert statuses(project) == {RecordStatus.ACCEPTED}


def test_a_record_waiting_behind_a_refused_one_says_which(project, province, province_client):
    team, entries = site(project, workers=1, punches=False, contract=False)
    services.enqueue_changes(project)
    OutboundRecord.objects.filter(project=project, method="Team.Add").update(
        status=RecordStatus.REFUSED, message="[teamName]长度不能超过100!"
    )
    services.sync_province(project=project, client=province_client)
    worker = OutboundRecord.objects.get(project=project, method="ProjectWorker.Add")
    assert worker.status == RecordStatus.QUEUED
    assert worker.message == "等待班组【钢筋班】被省平台接收（该记录省平台退回：[teamName]长度不能超过100!）"


def test_batch_sizes_are_configurable_per_method(project, province, province_client, settings):
    settings.PROVINCE_BATCH_SIZES = {"ProjectWorker.Add": 2}
    site(project, workers=5, punches=False, contract=False)
    services.sync_province(project=project, client=province_client)
    sizes = [len(d["workerList"]) for m, d in province.received if m == "ProjectWorker.Add"]
    assert sizes == [2, 2, 1]


def test_nation_goes_as_the_id_card_writes_it(project, province, province_client):
    team, entries = site(project, workers=2, punches=False, contract=False)
    entries[0].person.nation, entries[1].person.nation = "01", "02"  # 汉族, 蒙古族
    for entry in entries:
        entry.person.save()
    services.sync_province(project=project, client=province_client)
    sent = {
        w["workerName"]: w["nation"]
        for m, d in province.received
        if m == "ProjectWorker.Add"
        for w in d["workerList"]
    }
    assert sent == {entries[0].person.name: "汉", entries[1].person.name: "蒙古"}


def test_the_province_refuses_a_code_value_outside_its_table(project, province, province_client):
    team, entries = site(project, workers=1, punches=False, contract=False)
    mapper = BY_METHOD["ProjectWorker.Add"]
    services.sync_province(project=project, client=province_client)
    ctx = services.context_for(project, province_client)
    header, item = mapper.payload(entries[0], ctx)
    item["nation"] = "汉族"
    serial = province_client.submit("ProjectWorker.Update", mapper.data(header, [item]))
    province_client.result(serial)
    answer = province_client.result(serial)
    message = answer["result"]["message"] if isinstance(answer["result"], dict) else answer["result"]
    assert message == "[0][nation]参数值不正确,请参见字典表!"


def test_an_unreadable_photo_is_held_with_a_message(project, province, province_client):
    team, entries = site(project, workers=1, punches=False, contract=False)
    person = entries[0].person
    person.photo.delete(save=False)
    give_photo(person, b"not a picture")
    services.sync_province(project=project, client=province_client)
    record = OutboundRecord.objects.get(project=project, method="ProjectWorker.Add")
    assert record.status == RecordStatus.INVALID
    assert record.message.startswith("人员照片无法读取，请重新上传")
    assert "ProjectWorker.Add" not in province.methods()
