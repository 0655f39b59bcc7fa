"""manage.py import_persons: persons exported from the old platform into the 人员库."""

from __future__ import annotations

import shutil
import time
from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from jmzhgd.core.models import AuditLog
from tests.security.hostile_xlsx import DAMAGED_KINDS, WIDE, hostile_workbooks
from tests.workforce.fixtures.site import PERSONS
from workforce.models import Person, PersonSource

pytestmark = pytest.mark.django_db
FIXTURES = Path(__file__).parent / "fixtures"


def run(*args) -> str:
    out = StringIO()
    call_command("import_persons", *[str(a) for a in args], stdout=out)
    return out.getvalue()


@pytest.fixture
def legacy_xlsx(tmp_path) -> Path:
    target = tmp_path / "旧平台人员.xlsx"
    shutil.copy(FIXTURES / "legacy_persons.xlsx", target)
    return target


def test_legacy_persons_load_from_a_libreoffice_xlsx_with_variant_headers(legacy_xlsx, tmp_path):
    errors = tmp_path / "失败.xlsx"
    output = run(legacy_xlsx, "--errors", errors)
    assert "共5行：新增2人，更新0人，无变化0人，失败3行。" in output
    li = Person.objects.get(name="李建国")
    assert li.source == PersonSource.LEGACY and li.id_number == PERSONS["李建国"]
    assert (li.gender, li.birth_date, li.nation) == ("1", date(1980, 3, 15), "01")  # from the number
    assert li.phone == "13800138000" and li.issuing_authority == "江门市公安局蓬江分局"
    assert (li.id_valid_from, li.id_valid_to) == (date(2015, 3, 1), date(2035, 3, 1))
    wang = Person.objects.get(name="王秀英")
    assert (wang.id_valid_from, wang.id_valid_to) == (date(2016, 1, 1), None)  # 至长期
    assert AuditLog.objects.filter(action="person.create").count() == 2

    sheet = load_workbook(errors).active
    rows = [[c.value for c in r] for r in sheet.iter_rows()]
    assert rows[0][0] == "原行号" and rows[0][-1] == "失败原因"
    reasons = {r[1]: r[-1] for r in rows[1:]}
    assert reasons["坏号码"] == "证件号码: 身份证号码校验位不正确，请核对后重新填写"
    assert reasons["坏手机"] == "手机号: 手机号码应为以1开头的11位数字"
    assert reasons[None] == "姓名: 请填写姓名"
    assert [r[0] for r in rows[1:]] == [4, 5, 6]
    assert sheet["C2"].data_type == "s"  # the ID number stays text


def test_running_the_same_file_again_creates_nothing_new(legacy_xlsx):
    run(legacy_xlsx)
    persons = Person.objects.count()
    output = run(legacy_xlsx)
    assert "新增0人，更新0人，无变化2人，失败3行" in output
    assert Person.objects.count() == persons


def test_a_changed_row_updates_the_person(tmp_path):
    first = tmp_path / "a.csv"
    first.write_text(
        f"姓名,身份证号码,手机号码\n李建国,{PERSONS['李建国']},13800138000\n", encoding="utf-8-sig"
    )
    run(first)
    first.write_text(
        f"姓名,身份证号码,手机号码\n李建国,{PERSONS['李建国']},13900139000\n", encoding="utf-8-sig"
    )
    assert "新增0人，更新1人" in run(first)
    assert Person.objects.get().phone == "13900139000"


def test_a_gbk_csv_from_the_old_platform_loads_with_split_validity_columns(tmp_path):
    source = tmp_path / "export.csv"
    shutil.copy(FIXTURES / "legacy_persons_gbk.csv", source)
    output = run(source)
    assert "新增2人" in output and "失败1行" in output
    assert (tmp_path / "export-导入失败.xlsx").exists()
    wu = Person.objects.get(name="吴磊")
    assert (wu.id_valid_from, wu.id_valid_to) == (date(2018, 6, 1), None)


def test_an_existing_person_keeps_values_the_file_leaves_blank(tmp_path):
    from tests.factories import PersonFactory

    PersonFactory(name="李建国", id_number=PERSONS["李建国"], phone="13600136000", address="旧地址")
    source = tmp_path / "p.csv"
    source.write_text(f"姓名,证件号码,住址\n李建国,{PERSONS['李建国']},\n", encoding="utf-8")
    assert "无变化1人" in run(source)
    person = Person.objects.get()
    assert person.phone == "13600136000" and person.address == "旧地址"


def test_unknown_columns_are_named_and_missing_required_ones_refuse_the_file(tmp_path):
    source = tmp_path / "p.csv"
    source.write_text(f"姓名,证件号码,工号\n李建国,{PERSONS['李建国']},A01\n", encoding="utf-8")
    assert "以下列不认识，已忽略：工号" in run(source)
    source.write_text("姓名,电话\n李建国,13800138000\n", encoding="utf-8")
    with pytest.raises(CommandError, match="缺少必需的列：证件号码"):
        run(source)


def test_an_id_number_that_excel_turned_into_a_number_fails_the_row(tmp_path):
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(["姓名", "证件号码"])
    workbook.active.append(["李建国", float(PERSONS["李建国"])])
    source = tmp_path / "p.xlsx"
    workbook.save(source)
    assert "失败1行" in run(source)
    assert not Person.objects.exists()


def test_an_old_xls_file_is_refused_with_a_clear_message():
    with pytest.raises(CommandError, match="旧版 Excel（.xls）"):
        run(FIXTURES / "old_format.xls")


@pytest.mark.parametrize("kind", DAMAGED_KINDS)
def test_a_damaged_workbook_is_refused_in_chinese(tmp_path, kind):
    target = tmp_path / "旧平台人员.xlsx"
    target.write_bytes(hostile_workbooks(["姓名", "证件号码"], ["李建国", PERSONS["李建国"]])[kind])
    with pytest.raises(CommandError, match="无法读取该 Excel 文件"):
        run(target)
    assert not Person.objects.exists()


def test_the_wide_declared_sheet_is_read_in_bounded_rows(tmp_path):
    target = tmp_path / "旧平台人员.xlsx"
    target.write_bytes(hostile_workbooks(["姓名", "证件号码"], ["李建国", PERSONS["李建国"]])[WIDE])
    started = time.monotonic()
    output = run(target)
    assert time.monotonic() - started < 1
    assert "新增1人" in output


def test_a_csv_is_held_to_the_workbooks_row_and_column_bounds(tmp_path, monkeypatch):
    from workforce.management.commands import import_persons

    monkeypatch.setattr(import_persons, "MAX_FILE_ROWS", 3)
    target = tmp_path / "旧平台人员.csv"
    target.write_text("姓名,证件号码\n" + "张三,1\n" * 4, encoding="utf-8")
    with pytest.raises(CommandError, match="每个文件最多3行"):
        run(target)
