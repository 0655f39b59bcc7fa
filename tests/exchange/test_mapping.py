"""Each record type maps field by field to the national standard's names (docs/domain.md §2.2)."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import timezone

from exchange.crypto import FieldCipher, sign
from exchange.mapping import BY_METHOD, MAPPERS, Context, MappingError
from jmzhgd.core.models import WorkType
from tests import factories
from tests.exchange.fake_province import AES_KEY, SECRET, give_photo

pytestmark = pytest.mark.django_db


@pytest.fixture
def ctx():
    return Context(cipher=FieldCipher(AES_KEY), team_sys_no={})


def mapped(method, obj, ctx):
    header, item = BY_METHOD[method].payload(obj, ctx)
    return {**header, **item}


def test_the_record_types_go_in_the_standards_order():
    assert [m.method for m in MAPPERS] == [
        "Corp.Upload",
        "Project.Add",
        "ProjectSubContractor.Add",
        "Team.Add",
        "ProjectWorker.Add",
        "PersonalCertifications.Add",
        "WorkerEntryExit.Add",
        "WorkerAttendance.Add",
        "WorkerContract.Add",
        "ProjectTraining.Add",
        "Payroll.Add",
    ]


def test_corp_upload(ctx):
    enterprise = factories.EnterpriseFactory(reg_type="173", district="440703", contact_name="王五")
    assert mapped("Corp.Upload", enterprise, ctx) == {
        "corpCode": enterprise.credit_code,
        "corpName": enterprise.name,
        "corpType": "173",
        "areaCode": "440703",
        "legalMan": enterprise.legal_rep,
        "linkMan": "王五",
    }


def test_project_add(project, ctx):
    data = mapped("Project.Add", project, ctx)
    assert data["projectCode"] == project.code
    assert (data["category"], data["areaCode"], data["prjStatus"], data["propertyNum"]) == (
        "01",
        "440703",
        "003",
        "001",
    )
    assert data["contractorCorpCode"] == project.contractor_code
    assert data["buildCorpName"] == project.builder_name


def test_project_sub_contractor_encrypts_the_managers_id_number(project, ctx):
    number = factories.id_number()
    unit = factories.UnitFactory(project=project, pm_id_number=number, pm_phone="13800000000")
    data = mapped("ProjectSubContractor.Add", unit, ctx)
    assert data["corpType"] == "006"
    assert data["entryTime"] == "2026-03-01 00:00:00"
    assert data["pmIDCardType"] == "01"
    assert data["pmIDCardNumber"] != number
    assert FieldCipher(AES_KEY).decrypt(data["pmIDCardNumber"]) == number


def test_team_add(project, ctx):
    team = factories.TeamFactory(unit__project=project, name="木工班", remark="二标段")
    data = mapped("Team.Add", team, ctx)
    assert data["teamName"] == "木工班" and data["remark"] == "二标段"
    assert data["corpCode"] == team.unit.enterprise.credit_code
    assert data["entryTime"] == "2026-03-02 00:00:00"
    assert BY_METHOD["Team.Add"].requires(team) == [("ProjectSubContractor.Add", str(team.unit_id))]


def test_project_worker_add(project, ctx):
    entry = factories.RosterEntryFactory(
        team__unit__project=project, work_type=WorkType.objects.get(code="020")
    )
    give_photo(entry.person)
    ctx.team_sys_no[entry.team_id] = 1234
    header, item = BY_METHOD["ProjectWorker.Add"].payload(entry, ctx)
    assert header == {
        "projectCode": project.code,
        "corpCode": entry.unit.enterprise.credit_code,
        "corpName": entry.unit.enterprise.name,
        "teamSysNo": 1234,
        "teamName": entry.team.name,
    }
    assert (item["workerName"], item["idCardType"], item["workType"], item["workRole"]) == (
        entry.person.name,
        "01",
        "020",
        "20",
    )
    assert FieldCipher(AES_KEY).decrypt(item["idCardNumber"]) == entry.person.id_number
    assert item["cellPhone"] == entry.person.phone
    assert BY_METHOD["ProjectWorker.Add"].data(header, [item])["workerList"] == [item]


def test_a_manager_is_work_type_900_and_role_10(project, ctx):
    entry = factories.RosterEntryFactory(team__unit__project=project, category="manager")
    give_photo(entry.person)
    data = mapped("ProjectWorker.Add", entry, ctx)
    assert (data["workType"], data["workRole"]) == ("900", "10")


def test_entry_and_exit(project, ctx):
    entry = factories.RosterEntryFactory(team__unit__project=project, exit_date=date(2026, 4, 1))
    mapper = BY_METHOD["WorkerEntryExit.Add"]
    keys = dict(mapper.changed(project, None))
    assert set(keys) == {f"1:{entry.pk}", f"0:{entry.pk}"}
    assert {k: mapped(mapper.method, v, ctx)["type"] for k, v in keys.items()} == {
        f"1:{entry.pk}": 1,
        f"0:{entry.pk}": 0,
    }
    assert mapped(mapper.method, keys[f"0:{entry.pk}"], ctx)["date"] == "2026-04-01"
    assert (mapper.method, f"1:{entry.pk}") in mapper.requires(keys[f"0:{entry.pk}"])


def test_worker_attendance(project, ctx):
    moment = timezone.make_aware(timezone.datetime(2026, 3, 5, 7, 58, 12))
    punch = factories.PunchFactory(
        roster_entry__team__unit__project=project, punched_at=moment, direction="02"
    )
    mapper = BY_METHOD["WorkerAttendance.Add"]
    loaded = mapper.load(project, [str(punch.pk)])[str(punch.pk)]
    data = mapped(mapper.method, loaded, ctx)
    assert (data["date"], data["direction"], data["attendType"]) == ("2026-03-05 07:58:12", "02", "001")
    assert FieldCipher(AES_KEY).decrypt(data["idCardNumber"]) == punch.person.id_number


def test_worker_contract(project, ctx):
    contract = factories.ContractFactory(roster_entry__team__unit__project=project)
    data = mapped("WorkerContract.Add", contract, ctx)
    assert (data["contractPeriodType"], data["startDate"], data["endDate"]) == (
        "0",
        "2026-03-03",
        "2027-03-02",
    )
    assert data["corpCode"] == contract.unit.enterprise.credit_code


def test_an_open_ended_contract_has_no_national_code(project, ctx):
    contract = factories.ContractFactory(
        roster_entry__team__unit__project=project, period_type="2", end_date=None
    )
    with pytest.raises(
        MappingError, match="合同期限类型（contractPeriodType）“无固定期限”不在国家标准代码表中"
    ):
        mapped("WorkerContract.Add", contract, ctx)


def test_a_missing_required_field_is_named_in_chinese(project, ctx):
    entry = factories.RosterEntryFactory(team__unit__project=project, work_type=None, person__address="")
    give_photo(entry.person)
    with pytest.raises(MappingError) as raised:
        mapped("ProjectWorker.Add", entry, ctx)
    assert (
        str(raised.value) == f"项目人员【{entry.person.name}】缺少必填字段：工种（workType）、住址（address）"
    )


def test_aes_is_cbc_pkcs7_with_the_keys_first_16_characters_as_iv():
    from cryptography.hazmat.primitives import padding
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    key = AES_KEY.encode()
    padder = padding.PKCS7(128).padder()
    encryptor = Cipher(algorithms.AES(key), modes.CBC(key[:16])).encryptor()
    expected = (
        encryptor.update(padder.update(b"440703198001010011") + padder.finalize()) + encryptor.finalize()
    )
    import base64

    assert FieldCipher(AES_KEY).encrypt("440703198001010011") == base64.b64encode(expected).decode()


def test_the_signature_is_sha256_of_the_lowercased_sorted_parameters():
    import hashlib

    params = {
        "appid": "A",
        "data": '{"X":1}',
        "format": "json",
        "method": "Team.Add",
        "nonce": "N",
        "timestamp": "20260301120000",
        "version": "1.0",
    }
    text = 'appid=A&data={"X":1}&format=json&method=Team.Add&nonce=N&timestamp=20260301120000&version=1.0'
    assert sign(params, SECRET) == hashlib.sha256(f"{text}&appsecret={SECRET}".lower().encode()).hexdigest()


def test_every_code_value_the_payloads_use_is_in_the_standards_tables():
    """The platform's code tables, value by value, against the strict fake's copy of the standard's
    (docs/domain.md §3): a local value the province would refuse shows here, not on 数据对接."""
    from exchange.province_checks import TABLES
    from jmzhgd.core import codes

    pairs = {
        "subCorpType": codes.CorpType,
        "corpType": codes.EnterpriseRegType,
        "idCardType": codes.IdCardType,
        "politicsType": codes.PoliticsType,
        "cultureLevelType": codes.CultureLevel,
        "maritalStatus": codes.MaritalStatus,
        "category": codes.ProjectCategory,
        "prjStatus": codes.ProjectStatus,
        "propertyNum": codes.ConstructionNature,
        "direction": codes.Direction,
        "attendType": codes.AttendType,
        "unit": codes.MeasureUnit,
        "payRollBankCode": codes.Bank,
    }
    outside = {
        name: sorted(set(table.values) - TABLES[name])
        for name, table in pairs.items()
        if set(table.values) - TABLES[name]
    }
    assert outside == {}
    assert WorkType.objects.count() > 30  # the seeded table
    assert set(WorkType.objects.values_list("code", flat=True)) - TABLES["workType"] == set()
    nations = {codes.nation_payload_name(code) for code in codes.Nation.values}
    assert nations <= TABLES["nation"] and "汉" in nations and "蒙古" in nations
    national_periods = {codes.ContractPeriodType.FIXED.value, codes.ContractPeriodType.TASK.value}
    assert national_periods <= TABLES["contractPeriodType"]
