"""Payroll.Add (docs/domain.md §2.2 工资单): a paid 工资支付表 goes to the province row by row, after
its team and its workers; a sheet not yet paid stays home; a missing required field is named."""

from __future__ import annotations

import pytest
from django.utils import timezone

from exchange import services
from exchange.crypto import FieldCipher
from exchange.mapping import BY_METHOD, Context, MappingError
from exchange.models import OutboundRecord, RecordStatus
from jmzhgd.core.actor import Actor
from tests.exchange.fake_province import AES_KEY, refusal, site
from tests.exchange.sheets import ACCOUNT_NUMBER, CARD_PREFIX, sheet, voucher, wage_account
from wages import transitions
from wages.models import PayrollStatus

pytestmark = pytest.mark.django_db


def payroll_records(project):
    return OutboundRecord.objects.filter(project=project, method="Payroll.Add")


def test_payroll_add_maps_a_row_to_the_standards_fields(project):
    team, entries = site(project, workers=1, punches=False, contract=False)
    wage_account(project)
    payroll = sheet(team, entries, days=2)
    row = payroll.rows.get()
    mapper = BY_METHOD["Payroll.Add"]
    cipher = FieldCipher(AES_KEY)
    header, item = mapper.payload(row, Context(cipher=cipher, team_sys_no={team.pk: 1001}))
    today = timezone.localdate()
    assert header == {
        "projectCode": project.code,
        "corpCode": team.unit.enterprise.credit_code,
        "corpName": team.unit.enterprise.name,
        "teamSysNo": 1001,
        "payMonth": f"{today:%Y-%m}",
    }
    secrets = {
        k: cipher.decrypt(item.pop(k)) for k in ("idCardNumber", "payRollBankCardNumber", "payBankCardNumber")
    }
    assert secrets == {
        "idCardNumber": entries[0].person.id_number,
        "payRollBankCardNumber": f"{CARD_PREFIX}0000",
        "payBankCardNumber": ACCOUNT_NUMBER,
    }
    assert item == {
        "idCardType": "01",
        "days": 2,
        "workHours": "16.00",
        "payRollBankCode": "105",
        "payRollBankName": "中国建设银行江门分行",
        "payBankCode": "105",
        "payBankName": "中国建设银行江门分行",
        "totalPayAmount": "600.00",
        "actualAmount": "600.00",
        "isBackPay": 0,
        "balanceDate": f"{today:%Y-%m-%d}",
        "thirdPayRollCode": f"JMZHGD-{payroll.pk}",
    }
    assert mapper.requires(row) == [("Team.Add", str(team.pk)), ("ProjectWorker.Add", str(entries[0].pk))]
    assert mapper.data(header, [item])["detailList"] == [item]


def test_a_back_pay_names_the_month_it_is_for(project):
    team, entries = site(project, workers=1, punches=False, contract=False)
    wage_account(project)
    row = sheet(team, entries).rows.get()
    row.is_back_pay = True
    data = BY_METHOD["Payroll.Add"].item(row, Context())
    assert (data["isBackPay"], data["backPayMonth"]) == (1, f"{timezone.localdate():%Y-%m}")


def test_a_vendors_sheet_keeps_its_own_third_payroll_code(project):
    team, entries = site(project, workers=1, punches=False, contract=False)
    wage_account(project)
    payroll = sheet(team, entries)
    payroll.third_payroll_code = "VENDOR-0001"
    payroll.save()
    row = payroll.rows.get()
    assert BY_METHOD["Payroll.Add"].item(row, Context())["thirdPayRollCode"] == "VENDOR-0001"


def test_without_a_wage_account_the_paying_account_is_named_as_missing(project):
    team, entries = site(project, workers=1, punches=False, contract=False)
    row = sheet(team, entries).rows.select_related("person").get()
    with pytest.raises(MappingError) as raised:
        BY_METHOD["Payroll.Add"].payload(row, Context())
    assert str(raised.value) == (
        f"工资单【{row.person.name} {timezone.localdate():%Y-%m}】缺少必填字段："
        "工资专户账号（payBankCardNumber）、工资专户银行代码（payBankCode）、工资专户开户行（payBankName）"
    )


def test_a_row_without_a_bank_card_is_refused_locally_and_never_sent(project, province, province_client):
    team, entries = site(project, workers=2, punches=False, contract=False)
    wage_account(project)
    payroll = sheet(team, entries)
    no_card = payroll.rows.get(person=entries[0].person)
    no_card.bank_card_number = ""
    no_card.save()
    services.sync_province(project=project, client=province_client)
    record = payroll_records(project).get(object_key=str(no_card.pk))
    assert record.status == RecordStatus.INVALID
    assert "缺少必填字段：工资卡号（payRollBankCardNumber）" in record.message
    sent = [
        d["idCardNumber"] for m, data in province.received if m == "Payroll.Add" for d in data["detailList"]
    ]
    assert sent == [entries[1].person.id_number]


@pytest.mark.parametrize("status", [PayrollStatus.PAID, PayrollStatus.CONFIRMED])
def test_a_paid_sheet_is_accepted_after_its_team_and_workers(project, province, province_client, status):
    team, entries = site(project, workers=2, punches=False, contract=False)
    wage_account(project)
    payroll = sheet(team, entries, status)
    services.sync_province(project=project, client=province_client)
    records = payroll_records(project)
    assert set(records.values_list("object_key", flat=True)) == {str(r.pk) for r in payroll.rows.all()}
    assert set(records.values_list("status", flat=True)) == {RecordStatus.ACCEPTED}
    methods = province.methods()
    assert methods.index("Payroll.Add") > methods.index("ProjectWorker.Add") > methods.index("Team.Add")
    [(_, data)] = [(m, d) for m, d in province.received if m == "Payroll.Add"]  # one sheet, one request
    assert (
        data["teamSysNo"]
        == OutboundRecord.objects.get(project=project, method="Team.Add").result["teamSysNo"]
    )
    assert {d["idCardNumber"] for d in data["detailList"]} == {e.person.id_number for e in entries}
    assert {d["payBankCardNumber"] for d in data["detailList"]} == {ACCOUNT_NUMBER}


@pytest.mark.parametrize("status", [PayrollStatus.DRAFT, PayrollStatus.SUBMITTED, PayrollStatus.APPROVED])
def test_a_sheet_not_yet_paid_is_not_sent(project, province, province_client, status):
    team, entries = site(project, workers=1, punches=False, contract=False)
    wage_account(project)
    sheet(team, entries, status)
    services.sync_province(project=project, client=province_client)
    assert not payroll_records(project).exists()
    assert "Payroll.Add" not in province.methods()
    assert "ProjectWorker.Add" in province.methods()


def test_a_sheet_paid_after_a_sync_is_sent_by_the_next(project, province, province_client):
    team, entries = site(project, workers=1, punches=False, contract=False)
    wage_account(project)
    payroll = sheet(team, entries, PayrollStatus.APPROVED)
    services.sync_province(project=project, client=province_client)
    transitions.mark_paid(Actor.system(), payroll, balance_date=timezone.localdate(), voucher=voucher())
    services.sync_province(project=project, client=province_client)
    assert list(payroll_records(project).values_list("status", flat=True)) == [RecordStatus.ACCEPTED]


@pytest.fixture
def ready_row(project, province, province_client):
    """A paid row whose team and worker the province has accepted, mapped and not yet sent."""
    team, entries = site(project, workers=1, punches=False, contract=False)
    wage_account(project)
    row = sheet(team, entries).rows.get()
    services.enqueue_changes(project)
    OutboundRecord.objects.filter(project=project, method="Payroll.Add").update(status=RecordStatus.INVALID)
    services.sync_province(project=project, client=province_client)
    mapper = BY_METHOD["Payroll.Add"]
    ctx = services.context_for(project, province_client)
    return mapper.payload(mapper.load(project, [str(row.pk)])[str(row.pk)], ctx)


def province_answer(province_client, header, item):
    serial = province_client.submit("Payroll.Add", BY_METHOD["Payroll.Add"].data(header, [item]))
    province_client.result(serial)  # 0 待处理 first
    return province_client.result(serial)


def test_the_province_accepts_the_row_as_mapped(ready_row, province_client):
    assert province_answer(province_client, *ready_row)["status"] == "20"


def test_the_province_refuses_wages_of_a_worker_it_does_not_know(ready_row, province, province_client):
    province.workers.clear()
    answer = province_answer(province_client, *ready_row)
    assert refusal(answer).endswith("的工人信息,不允许上传该工人的工资发放信息!")


@pytest.mark.parametrize(
    ("part", "field", "value", "message"),
    [
        ("item", "balanceDate", "", "[0][balanceDate]不能为空!"),
        ("item", "thirdPayRollCode", "", "[0][thirdPayRollCode]不能为空!"),
        ("header", "payMonth", "", "[payMonth]不能为空!"),
        ("item", "isBackPay", 2, "[0][isBackPay]参数值不正确,请参见字典表!"),
        ("item", "payRollBankCode", "建行", "[0][payRollBankCode]参数值不正确,请参见字典表!"),
        ("item", "balanceDate", "2999-01-01", "[0][balanceDate]发放日期不能大于今天"),
        ("header", "payMonth", "2999-01", "[payMonth]不能大于今天!"),
        ("item", "actualAmount", "-1", "[0][actualAmount]不能小于0!"),
        ("item", "isBackPay", 1, "[0][backPayMonth]补发时不能为空!"),
        ("header", "teamSysNo", 99999, "[teamSysNo]值超出范围或无效!"),
    ],
)
def test_the_province_checks_the_standards_rules(ready_row, province_client, part, field, value, message):
    header, item = ready_row
    (header if part == "header" else item)[field] = value
    assert refusal(province_answer(province_client, header, item)) == message
