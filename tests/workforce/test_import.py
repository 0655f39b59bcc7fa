"""批量人员进场: parsing, validation through the wizard's rules, commit, and every bad-input case."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import load_workbook

from jmzhgd.core.actor import Actor
from jmzhgd.core.models import AuditLog
from tests.factories import PersonFactory, RosterEntryFactory, id_number
from tests.workforce.fixtures.site import (
    CLEANING_TEAM,
    LABOUR_NAME,
    NOT_IN_LIBRARY,
    PERSONS,
    REBAR_TEAM,
    SUPERVISION_NAME,
    build_site,
    row,
    workbook_bytes,
)
from workforce import imports
from workforce.models import ImportBatch, ImportBatchStatus, Person, RosterEntry
from workforce.services import EntryRefused

pytestmark = pytest.mark.django_db
ACTOR = Actor.system("测试")
FIXTURES = Path(__file__).parent / "fixtures"


def upload(data: bytes, name: str = "进场.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def preview(project, rows, **kwargs) -> ImportBatch:
    return imports.create_preview(ACTOR, project, upload(workbook_bytes(rows, **kwargs)))


def problems(batch) -> dict[int, list[str]]:
    return {item["row"]: [f"{c}: {r}" for c, r in item["errors"]] for item in batch.report if item["errors"]}


@pytest.fixture
def site(project):
    return build_site(project)


# --- the template ---------------------------------------------------------------------------


def test_template_has_instructions_header_text_id_column_and_dropdowns_for_this_project(
    project, site, other_project
):
    build_site(other_project, persons=False)  # another project's units must not be offered
    workbook = load_workbook(io.BytesIO(imports.build_template(project)))
    assert workbook.sheetnames == [imports.HELP_SHEET, imports.DATA_SHEET, imports.LIST_SHEET]
    assert workbook[imports.LIST_SHEET].sheet_state == "hidden"
    assert "人员库" in workbook[imports.HELP_SHEET]["A3"].value
    sheet = workbook[imports.DATA_SHEET]
    assert [c.value for c in sheet[1]] == imports.COLUMNS
    assert sheet["C2"].number_format == "@" and sheet[f"C{imports.MAX_ROWS + 1}"].number_format == "@"
    assert sheet["I2"].number_format == "yyyy-mm-dd"
    lists = workbook[imports.LIST_SHEET]
    by_title = {col[0].value: [c.value for c in col[1:] if c.value] for col in lists.iter_cols()}
    assert by_title["所属企业"] == [LABOUR_NAME, SUPERVISION_NAME]
    assert set(by_title["所属班组"]) == {REBAR_TEAM, CLEANING_TEAM}  # normal teams; managers leave it blank
    assert by_title["人员类别"] == ["建筑工人", "其他人员", "管理人员"]
    assert "钢筋工" in by_title["工种/岗位"] and "总监理工程师" in by_title["工种/岗位"]
    validations = {str(dv.sqref): dv.formula1 for dv in sheet.data_validations.dataValidation}
    assert validations["D2:D5001"].startswith("lists!$B$2:$B$")
    assert validations["G2:G5001"] == f"lists!$E$2:$E${len(by_title['工种/岗位']) + 1}"


def test_the_template_itself_passes_the_header_check(project, site):
    with pytest.raises(ValidationError, match="没有填写任何人员"):
        imports.parse_workbook(imports.build_template(project))


def test_a_unit_name_that_repeats_is_offered_with_its_type(project, site):
    from enterprises.services import enter_unit
    from jmzhgd.core.codes import CorpType

    enter_unit(ACTOR, project, site.labour.enterprise, CorpType.PROFESSIONAL_SUB, date(2026, 3, 1))
    workbook = load_workbook(io.BytesIO(imports.build_template(project)))
    units = [c.value for c in workbook[imports.LIST_SHEET]["B"][1:] if c.value]
    assert f"{LABOUR_NAME}（劳务分包）" in units and f"{LABOUR_NAME}（专业分包）" in units


# --- preview --------------------------------------------------------------------------------


def test_valid_rows_preview_without_writing_anything(project, site):
    batch = preview(project, [row("李建国", PERSONS["李建国"]), row("王秀英", PERSONS["王秀英"])])
    assert batch.status == ImportBatchStatus.PREVIEW and batch.total_rows == 2 and batch.failed_count == 0
    assert [item["status"] for item in batch.report] == ["ok", "ok"]
    assert batch.report[0]["id"] == "4407**********8504"  # masked, never the full number
    assert PERSONS["李建国"] not in str(batch.report)
    assert not RosterEntry.objects.exists()


def test_every_problem_is_reported_with_its_row_and_column(project, site):
    batch = preview(
        project,
        [
            row("", PERSONS["李建国"], unit="不存在的公司"),
            row("王秀英", PERSONS["王秀英"], team="木工班", category="工人", leader="也许"),
            row("黄伟", PERSONS["黄伟"], role="宇航员", day="下周一"),
            row("周明", "440703198403157034"),
        ],
    )
    found = problems(batch)
    assert found[2] == ["姓名: 请填写姓名", "所属企业: “不存在的公司”不是本项目的参建单位"]
    assert "人员类别: “工人”不是人员类别，应为建筑工人、其他人员或管理人员" in found[3]
    assert "所属班组: 本项目没有名为“木工班”的班组" in found[3]
    assert "是否班组长: 请填写“是”或“否”" in found[3]
    assert found[4] == [
        "工种/岗位: “宇航员”不是工种名称，请从下拉列表选择",
        "进场日期: 应为有效日期，如 2026-03-05",
    ]
    assert found[5] == ["证件号码: 身份证号码校验位不正确，请核对后重新填写"]
    assert batch.failed_count == 4


def test_a_person_missing_from_the_library_must_be_collected_first(project, site):
    batch = preview(project, [row(*NOT_IN_LIBRARY)])
    assert problems(batch)[2] == ["证件号码: 人员库中没有该人员，请先通过采集APP或采集接口采集"]


def test_a_name_that_does_not_match_the_library_is_refused(project, site):
    batch = preview(project, [row("李四", PERSONS["李建国"])])
    assert problems(batch)[2] == ["姓名: 姓名与人员库中该证件号码登记的姓名不一致，请核对"]


def test_the_same_person_twice_in_the_file_is_reported_on_the_second_row(project, site):
    batch = preview(
        project,
        [
            row("李建国", PERSONS["李建国"]),
            row("王秀英", PERSONS["王秀英"]),
            row("李建国", PERSONS["李建国"].lower()),
        ],
    )
    assert problems(batch) == {4: ["证件号码: 与第2行重复，同一人员在文件中只能出现一次"]}


def test_the_wizard_rules_apply_to_every_row(project, site, settings):
    """Order rules, team kind, 岗位 per unit type, already on site, under 16: check_entries' own messages."""
    site.cleaning.exit_date = date(2026, 4, 1)
    site.cleaning.save()
    child = PersonFactory(
        name="小明", id_number=id_number(birth=timezone.localdate() - timedelta(days=365 * 15))
    )
    RosterEntryFactory(person=site.persons["周明"], team=site.rebar)
    batch = preview(
        project,
        [
            row("李建国", PERSONS["李建国"], day="2026-03-01"),  # before the team entered
            row(
                "王秀英", PERSONS["王秀英"], team=CLEANING_TEAM, category="其他人员", role="杂工"
            ),  # team exited
            row("黄伟", PERSONS["黄伟"], category="其他人员", role="杂工"),  # 其他人员 into a workers' team
            row(
                "吴磊", PERSONS["吴磊"], category="管理人员", role="总监理工程师", team=""
            ),  # post not for 劳务分包
            row("周明", PERSONS["周明"]),  # already on site
            row("小明", child.id_number, day=timezone.localdate().isoformat()),
            row("梁振华", PERSONS["梁振华"], day=(timezone.localdate() + timedelta(days=1)).isoformat()),
        ],
    )
    found = problems(batch)
    assert found[2] == ["人员进场: 进场日期（2026-03-01）不能早于班组“钢筋一班”的进场日期（2026-03-02）"]
    assert found[3] == ["人员进场: 班组“后勤保洁班”已退场，不能进场人员"]
    assert found[4] == ["人员进场: 其他人员只能进入其他人员班组，“钢筋一班”是建筑工人班组"]
    assert "不适用于劳务分包单位" in found[5][0]
    assert found[6] == ["人员进场: 已在本项目在场，不能重复进场"]
    assert "未满16周岁" in found[7][0]
    assert found[8] == ["人员进场: 进场日期不能晚于今天"]


def test_warnings_are_shown_and_need_confirmation(project, site):
    person = site.persons["李建国"]
    person.id_valid_to = date(2026, 1, 1)
    person.save()
    batch = preview(project, [row("李建国", PERSONS["李建国"]), row("王秀英", PERSONS["王秀英"])])
    assert batch.report[0]["status"] == "warning"
    assert batch.report[0]["warnings"] == [["人员进场", "证件已于2026-01-01过期，请确认"]]
    with pytest.raises(ValidationError, match="有1行需要确认的提醒"):
        imports.commit_batch(ACTOR, batch)
    assert not RosterEntry.objects.exists()
    batch = imports.commit_batch(ACTOR, batch, confirm_warnings=True)
    assert batch.entered_count == 2 and RosterEntry.objects.count() == 2


def test_a_manager_enters_the_units_management_team_with_a_post_for_its_type(project, site):
    batch = preview(
        project,
        [
            row(
                "林小红",
                PERSONS["林小红"],
                unit=SUPERVISION_NAME,
                team="",
                category="管理人员",
                role="总监理工程师",
            )
        ],
    )
    imports.commit_batch(ACTOR, batch)
    entry = RosterEntry.objects.get()
    assert entry.team.team_type == "management" and entry.unit == site.supervision
    assert entry.post.name == "总监理工程师" and entry.work_type is None


# --- spreadsheet programs' quirks ----------------------------------------------------------


def test_a_libreoffice_file_with_spreadsheet_quirks_is_read_correctly_or_reported(project, site):
    data = (FIXTURES / "libreoffice_quirks.xlsx").read_bytes()
    batch = imports.create_preview(ACTOR, project, upload(data, "LibreOffice.xlsx"))
    found = problems(batch)
    assert found == {
        4: ["证件号码: 证件号码被Excel转成了数字，请把该列设为文本后重新填写"],
        9: ["证件号码: 人员库中没有该人员，请先通过采集APP或采集接口采集"],
        11: ["证件号码: 与第10行重复，同一人员在文件中只能出现一次"],
        12: ["进场日期: 应为有效日期，如 2026-03-05"],
    }
    batch = imports.commit_batch(ACTOR, batch)
    assert (batch.total_rows, batch.entered_count, batch.failed_count) == (11, 7, 4)
    entries = {
        e.person.name: e for e in RosterEntry.objects.select_related("person", "team", "post", "work_type")
    }
    assert set(entries) == {"李建国", "王秀英", "黄伟", "周明", "吴磊", "林小红", "梁振华"}
    # trailing spaces, full-width digits, a date cell, 2026/3/5, a bare serial, 2026年3月5日: all 2026-03-05
    assert {e.entry_date for name, e in entries.items() if name != "梁振华"} == {date(2026, 3, 5)}
    assert entries["李建国"].is_team_leader
    assert entries["吴磊"].team.name == CLEANING_TEAM and entries["吴磊"].work_type.name == "杂工"
    assert entries["林小红"].post.name == "总监理工程师"
    assert entries["林小红"].person.id_number == PERSONS["林小红"]  # the full-width ｘ read as X


def test_the_template_after_a_round_trip_through_libreoffice_still_imports(project, site):
    data = (FIXTURES / "libreoffice_saved_template.xlsx").read_bytes()
    batch = imports.create_preview(ACTOR, project, upload(data))
    assert [(i["name"], i["status"]) for i in batch.report] == [("李建国", "ok"), ("林小红", "ok")]


def test_an_id_number_stored_as_a_float_is_reported_never_fixed(project, site):
    batch = preview(project, [row("李建国", float(PERSONS["李建国"])), row("王秀英", "4.40703E+17")])
    assert problems(batch) == {
        2: ["证件号码: " + imports.EXCEL_NUMBER],
        3: ["证件号码: " + imports.EXCEL_NUMBER],
    }


def with_exact_integer(data: bytes, cell: str, digits: str) -> bytes:
    """The workbook with `cell` holding the integer `digits` as some exporters write it: <v>digits</v>.

    (openpyxl itself writes a large int as a float repr, so the sheet XML is edited directly.)
    """
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                content = re.sub(
                    rf'<c r="{cell}"[^>]*>.*?</c>'.encode(),
                    f'<c r="{cell}" t="n"><v>{digits}</v></c>'.encode(),
                    content,
                )
            target.writestr(item, content)
    return out.getvalue()


def test_an_exact_integer_id_number_is_accepted_as_text(project, site):
    data = with_exact_integer(workbook_bytes([row("李建国", 0)]), "C2", PERSONS["李建国"])
    [raw] = imports.parse_workbook(data)
    assert raw.values["证件号码"] == int(PERSONS["李建国"])
    batch = imports.create_preview(ACTOR, project, upload(data))
    assert batch.report[0]["status"] == "ok"


def test_an_id_number_with_the_apostrophe_that_forces_text_is_read(project, site):
    assert imports.read_id_number(f"'{PERSONS['李建国']}", "01") == PERSONS["李建国"]


def test_dates_as_serials_text_and_date_cells_all_read_the_same(project, site):
    for value in (
        date(2026, 3, 5),
        46086,
        46086.0,
        20260305,
        "2026-03-05",
        "2026/3/5",
        "2026年3月5日",
        "2026.3.5",
        "２０２６－０３－０５ ",
    ):
        assert imports.read_date(value, default=None) == date(2026, 3, 5), value
    for value in ("2026-13-01", "3/5/2026", "昨天", True, -5):
        with pytest.raises(ValidationError):
            imports.read_date(value, default=None)
    assert imports.read_date(None, default=date(2026, 1, 2)) == date(2026, 1, 2)


def test_full_width_text_and_spaces_in_lookups_are_normalised(project, site):
    batch = preview(
        project,
        [
            row(
                " 李 建 国 ",
                PERSONS["李建国"],
                unit=f"  {LABOUR_NAME} ",
                team="钢筋一班 ",
                category="建筑工人 ",
                role="钢筋工",
                leader="是 ",
            )
        ],
    )
    assert batch.report[0]["status"] == "ok"


# --- upload checks --------------------------------------------------------------------------


def refused(data: bytes, name: str = "x.xlsx") -> str:
    with pytest.raises(ValidationError) as caught:
        imports.read_upload(upload(data, name))
    return caught.value.messages[0]


def test_only_xlsx_is_accepted_by_content_not_by_name():
    assert "只支持 .xlsx" in refused(b"\xe5\xa7\x93\xe5\x90\x8d,\xe8\xaf\x81\xe4\xbb\xb6\n", "renamed.xlsx")
    assert "旧版 Excel（.xls）" in refused((FIXTURES / "old_format.xls").read_bytes(), "old.xlsx")
    docx = io.BytesIO()
    with zipfile.ZipFile(docx, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w/>")
    assert "只支持 .xlsx" in refused(docx.getvalue(), "report.xlsx")
    assert "空文件" in refused(b"")
    assert "已损坏" in refused(b"PK\x03\x04not really a zip")


def test_a_file_over_10_mb_is_refused():
    assert "10 MB" in refused(b"PK\x03\x04" + b"\0" * (imports.MAX_UPLOAD_BYTES))


def _zip(entries: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return out.getvalue()


def test_zip_bombs_are_refused_before_openpyxl_opens_them():
    base = {"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"}
    # total uncompressed size
    big = {**base, **{f"xl/media/{i}.bin": b"\0" * (30 * 1024 * 1024) for i in range(4)}}
    assert "解压后过大" in refused(_zip(big))
    # one highly compressed entry
    assert "解压后过大" in refused(_zip({**base, "xl/worksheets/sheet1.xml": b"\0" * (5 * 1024 * 1024)}))
    # too many entries
    many = {**base, **{f"xl/x{i}.xml": b"x" for i in range(imports.MAX_ZIP_ENTRIES + 1)}}
    assert "解压后过大" in refused(_zip(many))


def test_a_wrong_or_outdated_header_names_the_missing_and_unexpected_columns(project, site):
    data = (FIXTURES / "libreoffice_old_header.xlsx").read_bytes()
    with pytest.raises(ValidationError) as caught:
        imports.create_preview(ACTOR, project, upload(data))
    message = caught.value.messages[0]
    assert "缺少列：证件号码、是否班组长" in message and "多出列：身份证号、备注" in message
    assert "重新下载模板" in message
    assert not ImportBatch.objects.exists()


def test_columns_may_be_in_another_order(project, site):
    header = list(reversed(imports.COLUMNS))
    batch = preview(project, [list(reversed(row("李建国", PERSONS["李建国"])))], header=header)
    assert batch.report[0]["status"] == "ok"


def test_more_than_5000_rows_are_refused(project, site, monkeypatch):
    rows = [row("李建国", PERSONS["李建国"])] * (imports.MAX_ROWS + 1)
    with pytest.raises(ValidationError, match="最多5000行"):
        preview(project, rows)


def test_blank_rows_are_skipped_and_row_numbers_stay_those_of_the_sheet(project, site):
    batch = preview(project, [row("李建国", PERSONS["李建国"]), [None] * 9, ["", " ", None], row("x", "123")])
    assert [item["row"] for item in batch.report] == [2, 5]


# --- commit ---------------------------------------------------------------------------------


def test_import_enters_valid_rows_and_every_row_ends_entered_or_failed(project, site):
    rows = [row(name, number) for name, number in list(PERSONS.items())[:5]] + [
        row(*NOT_IN_LIBRARY),
        row("坏", "123"),
    ]
    batch = preview(project, rows)
    batch = imports.commit_batch(ACTOR, batch)
    assert batch.status == ImportBatchStatus.IMPORTED and batch.imported_at
    assert (batch.total_rows, batch.entered_count, batch.failed_count) == (7, 5, 2)
    assert batch.entered_count + batch.failed_count == batch.total_rows == len(batch.report)
    assert sorted(i["status"] for i in batch.report) == ["entered"] * 5 + ["failed"] * 2
    assert RosterEntry.objects.filter(project=project).count() == 5
    assert AuditLog.objects.filter(action="roster.enter").count() == 5
    assert AuditLog.objects.get(action="roster.import").summary.endswith("成功进场5人，失败2行")


def test_uploading_the_same_file_again_enters_nobody_twice(project, site):
    data = workbook_bytes([row(name, number) for name, number in PERSONS.items()])
    first = imports.commit_batch(ACTOR, imports.create_preview(ACTOR, project, upload(data)))
    assert first.entered_count == len(PERSONS)
    second = imports.create_preview(ACTOR, project, upload(data))
    assert {tuple(e) for item in second.report for e in item["errors"]} == {
        ("人员进场", "已在本项目在场，不能重复进场")
    }
    second = imports.commit_batch(ACTOR, second)
    assert (second.entered_count, second.failed_count) == (0, len(PERSONS))
    assert RosterEntry.objects.count() == len(PERSONS)


def test_abandoning_the_preview_writes_nothing(project, site):
    persons_before = Person.objects.count()
    batch = preview(project, [row("李建国", PERSONS["李建国"])])
    imports.abandon_batch(ACTOR, batch)
    batch.refresh_from_db()
    assert batch.status == ImportBatchStatus.ABANDONED
    assert not RosterEntry.objects.exists() and Person.objects.count() == persons_before
    with pytest.raises(ValidationError, match="已放弃"):
        imports.commit_batch(ACTOR, batch)
    assert not RosterEntry.objects.exists()


def test_abandoning_deletes_the_uploaded_file_and_keeps_the_masked_report(
    project, site, django_capture_on_commit_callbacks
):
    batch = preview(project, [row("李建国", PERSONS["李建国"])])
    stored = batch.original_file.name
    storage = batch.original_file.storage
    assert storage.exists(stored)
    with django_capture_on_commit_callbacks(execute=True):
        imports.abandon_batch(ACTOR, batch)
    batch.refresh_from_db()
    assert not batch.original_file and not storage.exists(stored)  # the full ID numbers are gone
    assert batch.report and batch.report[0]["name"] == "李建国"  # the history keeps the masked report
    assert PERSONS["李建国"] not in str(batch.report)


def test_previews_left_open_past_the_retention_are_abandoned_and_their_files_deleted(
    project, site, django_capture_on_commit_callbacks
):
    from django.core.management import call_command

    old = preview(project, [row("李建国", PERSONS["李建国"])])
    fresh = preview(project, [row("李建国", PERSONS["李建国"])])
    imported = imports.commit_batch(ACTOR, preview(project, [row("王秀英", PERSONS["王秀英"])]))
    eight_days_ago = timezone.now() - timedelta(days=8)
    ImportBatch.objects.filter(pk__in=[old.pk, imported.pk]).update(created_at=eight_days_ago)
    old_file, storage = old.original_file.name, old.original_file.storage

    with django_capture_on_commit_callbacks(execute=True):
        call_command("purge_import_previews", stdout=io.StringIO())

    old.refresh_from_db()
    fresh.refresh_from_db()
    imported.refresh_from_db()
    assert old.status == ImportBatchStatus.ABANDONED and not storage.exists(old_file)
    assert fresh.status == ImportBatchStatus.PREVIEW and fresh.original_file  # within the 7 days
    assert imported.status == ImportBatchStatus.IMPORTED and imported.original_file  # the record of an import
    audit = AuditLog.objects.get(action="roster.import_abandon", object_id=str(old.pk))
    assert "自动放弃" in audit.summary and audit.actor is None


def test_a_batch_is_imported_once(project, site):
    batch = imports.commit_batch(ACTOR, preview(project, [row("李建国", PERSONS["李建国"])]))
    with pytest.raises(ValidationError, match="已导入"):
        imports.commit_batch(ACTOR, batch)
    assert RosterEntry.objects.count() == 1


def test_import_revalidates_against_the_roster_as_it_is_now(project, site):
    batch = preview(project, [row("李建国", PERSONS["李建国"]), row("王秀英", PERSONS["王秀英"])])
    RosterEntryFactory(person=site.persons["李建国"], team=site.rebar)  # entered another way meanwhile
    batch = imports.commit_batch(ACTOR, batch)
    assert (batch.entered_count, batch.failed_count) == (1, 1)
    assert batch.report[0]["status"] == "failed" and "已在本项目在场" in batch.report[0]["errors"][0][1]


def test_failed_rows_download_keeps_the_text_as_typed_with_a_reason(project, site):
    batch = imports.commit_batch(
        ACTOR, preview(project, [row("李建国", PERSONS["李建国"]), row(*NOT_IN_LIBRARY), row("坏", "-123")])
    )
    data = imports.failed_rows_workbook(batch)
    sheet = load_workbook(io.BytesIO(data))[imports.DATA_SHEET]
    # The template formats rows far below the data: only the filled rows count.
    rows = [[c.value for c in r] for r in sheet.iter_rows() if any(c.value is not None for c in r)]
    assert rows[0] == imports.COLUMNS + ["原行号", "失败原因"]
    assert len(rows) == 3
    assert rows[1][2] == NOT_IN_LIBRARY[1] and sheet["C2"].data_type == "s"
    assert rows[1][9:] == [3, "证件号码: 人员库中没有该人员，请先通过采集APP或采集接口采集"]
    # Text that Excel would evaluate comes back as typed, in a string cell with the quote prefix.
    assert rows[2][2] == "-123" and sheet["C3"].data_type == "s" and sheet["C3"].quotePrefix
    # The corrected file can go straight back in: the report columns pass the header check.
    assert len(imports.parse_workbook(data)) == 2


def test_a_race_with_another_entry_refuses_the_whole_import(project, site, monkeypatch):
    # enter_persons looks check_entries up in its own module, workforce.services.entry.
    from workforce.services import entry

    batch = preview(project, [row("李建国", PERSONS["李建国"])])
    real = entry.check_entries

    def roster_changes_between_checks(project, requests, **kwargs):
        # enter_persons' own check runs after the import's: someone entered 李建国 in between.
        RosterEntryFactory(person=site.persons["李建国"], team=site.rebar)
        return real(project, requests, **kwargs)

    monkeypatch.setattr(entry, "check_entries", roster_changes_between_checks)
    with pytest.raises(EntryRefused):
        imports.commit_batch(ACTOR, batch)
    batch.refresh_from_db()
    assert batch.status == ImportBatchStatus.PREVIEW


# --- bulk lookups ----------------------------------------------------------------------------


@pytest.mark.parametrize("size", [3, 150])
def test_validation_looks_data_up_in_bulk_whatever_the_row_count(
    project, site, size, django_assert_max_num_queries
):
    persons = PersonFactory.create_batch(size)
    raw = imports.parse_workbook(
        workbook_bytes(
            [row(p.name, p.id_number, day="2026-03-05") for p in persons]
            + [
                row(*NOT_IN_LIBRARY),
                row(
                    "经理",
                    PERSONS["林小红"],
                    unit=SUPERVISION_NAME,
                    team="",
                    category="管理人员",
                    role="总监理工程师",
                ),
            ]
        )
    )
    # 6 lookups (units, teams, 工种, 岗位, persons, their stays) + check_entries' 4 (teams, on site,
    # last exits, on site in other projects) + the 诚信 lists' 1 (credit.gate, one per entry day)
    with django_assert_max_num_queries(11):
        results = imports.validate_rows(project, raw)
    assert sum(r.status in ("ok", "warning") for r in results) == size  # warnings: random ages
    assert results[-2].status == results[-1].status == "error"


def test_a_larger_import_enters_everyone(project, site):
    persons = PersonFactory.create_batch(120)
    batch = preview(project, [row(p.name, p.id_number) for p in persons])
    batch = imports.commit_batch(ACTOR, batch, confirm_warnings=True)
    assert batch.entered_count == 120 and RosterEntry.objects.count() == 120
