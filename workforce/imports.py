"""批量人员进场 (SPEC §7 item 3, manual 2.7.3): the Excel template, upload checks, preview and commit.

DESIGN.md pattern 4: parse with openpyxl read_only, validate every row, collect every problem as
第N行 列名: 原因, let the user confirm, then write in one transaction. The rows go through the same
entry action as the wizard (workforce.services.check_entries / enter_persons), so the order rules,
age limits and "already on site" checks are never copied here; this module only turns cells into
`EntryRequest`s, with every lookup (persons, units, teams, 工种, 岗位) done in bulk — a constant
number of queries however many rows the file has.

Nothing is written to the roster before 【导入】: the upload becomes an ImportBatch in status
"preview" holding the original file (private, under MEDIA_ROOT) and the report; 【导入】 reads the
file again, validates it again against the data as it is now, and enters the valid rows.
"""

from __future__ import annotations

import datetime
import io
import re
import uuid
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import from_excel
from openpyxl.worksheet.datavalidation import DataValidation

from enterprises.models import ParticipatingUnit, Team
from jmzhgd.core import audit
from jmzhgd.core.actor import Actor
from jmzhgd.core.codes import IdCardType, PersonCategory, TeamType
from jmzhgd.core.excel import Sheet
from jmzhgd.core.models import ManagementPost, WorkType
from jmzhgd.core.pii import id_digest, mask_id
from jmzhgd.core.validators import normalise_document_number, normalise_text, validate_name
from jmzhgd.core.xlsx_read import MAX_BLANK_RUN, bounded_rows, is_blank

from .models import ImportBatch, ImportBatchStatus, Person
from .services import EntryRequest, check_entries, enter_persons

# --- the template's shape ----------------------------------------------------------------------

COL_NAME = "姓名"
COL_ID_TYPE = "证件类型"
COL_ID_NUMBER = "证件号码"
COL_UNIT = "所属企业"
COL_TEAM = "所属班组"
COL_CATEGORY = "人员类别"
COL_ROLE = "工种/岗位"
COL_LEADER = "是否班组长"
COL_ENTRY_DATE = "进场日期"
COLUMNS = [
    COL_NAME,
    COL_ID_TYPE,
    COL_ID_NUMBER,
    COL_UNIT,
    COL_TEAM,
    COL_CATEGORY,
    COL_ROLE,
    COL_LEADER,
    COL_ENTRY_DATE,
]
# Columns the failed-rows download adds; a corrected error file can be uploaded again as it is.
COL_SOURCE_ROW = "原行号"
COL_REASON = "失败原因"
REPORT_COLUMNS = (COL_SOURCE_ROW, COL_REASON)
# check_entries' messages are about the entry as a whole, not one cell.
COL_ENTRY = "人员进场"

DATA_SHEET = "人员进场"
HELP_SHEET = "说明"
LIST_SHEET = "lists"

# Upload limits (ASVS 5.2.1, 5.2.3): the file, the rows, and what the zip container may expand to.
MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_ROWS = 5000
MAX_UNCOMPRESSED_BYTES = 100 * 1024 * 1024
MAX_ZIP_ENTRIES = 1000
MAX_COMPRESSION_RATIO = 200  # checked for entries above 1 MB; spreadsheet XML stays far below this

NOT_IN_LIBRARY = "人员库中没有该人员，请先通过采集APP或采集接口采集"
EXCEL_NUMBER = "证件号码被Excel转成了数字，请把该列设为文本后重新填写"
YES = {"是", "Y", "YES", "TRUE", "1", "√"}
NO = {"否", "N", "NO", "FALSE", "0", ""}
HELP_LINES = [
    "批量人员进场模板 使用说明",
    "",
    "1. 本模板只用于已在人员库中的人员进场。人员库中没有的人员，请先通过采集APP或采集人员上传接口采集，再进场。",
    "2. 请在“人员进场”工作表中从第2行起每行填写一名人员，不要修改、删除或调整第1行表头。",
    "3. 证件号码：该列已设为文本格式，请直接输入18位身份证号码（末位可为X）。"
    "如果单元格显示为 4.40703E+17 这样的科学计数法，说明号码已被转成数字并丢失了末几位，请把该列设为文本后重新输入。",
    "4. 证件类型：留空表示居民身份证。",
    "5. 所属企业、所属班组、人员类别、工种/岗位：请从下拉列表中选择（下拉内容为本项目当前在场的参建单位和班组）。",
    "   建筑工人只能进入建筑工人班组，其他人员只能进入其他人员班组；管理人员进入所属企业的管理人员班组（所属班组可留空），"
    "并填写该参建单位类型可选的岗位（如 项目经理、总监理工程师）。",
    "6. 是否班组长：填“是”或“否”，留空表示否。",
    "7. 进场日期：格式 2026-03-05，留空表示上传当天；不能晚于今天，也不能早于班组的进场日期。",
    f"8. 每个文件最多{MAX_ROWS}行、不超过10MB，只支持 .xlsx 格式。",
    "9. 上传后先预览校验结果：有问题的行会列出“第N行 列名: 原因”；点击【导入】只导入校验通过的行，失败的行可下载（带“失败原因”列），改正后可直接重新上传。",
]


def _key(value: object) -> str:
    """How cells and names are compared: full-width folded, spaces removed (normalise_text)."""
    return normalise_text(value).upper()


# --- template ----------------------------------------------------------------------------------


def unit_label(unit: ParticipatingUnit, ambiguous: set[str]) -> str:
    """The dropdown text of a unit: its enterprise name, with the type when the name repeats."""
    name = unit.enterprise.name
    return f"{name}（{unit.get_corp_type_display()}）" if name in ambiguous else name


def _ambiguous_names(units: Iterable[ParticipatingUnit]) -> set[str]:
    seen: dict[str, int] = {}
    for unit in units:
        seen[unit.enterprise.name] = seen.get(unit.enterprise.name, 0) + 1
    return {name for name, count in seen.items() if count > 1}


def build_template(project) -> bytes:
    """The template for `project`: instructions, the data sheet, dropdowns from a hidden list sheet."""
    units = list(ParticipatingUnit.objects.filter(project=project).on_site().select_related("enterprise"))
    ambiguous = _ambiguous_names(units)
    teams = Team.objects.filter(project=project, unit__in=units).on_site().normal().order_by("name")
    role_names = list(WorkType.objects.filter(is_active=True).values_list("name", flat=True))
    role_names += [n for n in ManagementPost.objects.filter(is_active=True).values_list("name", flat=True)]
    lists = {
        COL_ID_TYPE: [label for _, label in IdCardType.choices],
        COL_UNIT: [unit_label(u, ambiguous) for u in units],
        COL_TEAM: list(dict.fromkeys(teams.values_list("name", flat=True))),
        COL_CATEGORY: [label for _, label in PersonCategory.choices],
        COL_ROLE: list(dict.fromkeys(role_names)),
        COL_LEADER: ["否", "是"],
    }

    workbook = Workbook()
    help_sheet = workbook.active
    help_sheet.title = HELP_SHEET
    help_sheet.column_dimensions["A"].width = 120
    for line in HELP_LINES:
        help_sheet.append([line])
    help_sheet["A1"].font = Font(bold=True, size=14)
    for row in help_sheet.iter_rows(min_row=2):
        row[0].alignment = Alignment(wrap_text=True, vertical="top")
    help_sheet.append([])
    help_sheet.append(
        [f"项目：{project.name}（{project.code}）  模板生成时间：{timezone.localtime():%Y-%m-%d %H:%M}"]
    )

    sheet = workbook.create_sheet(DATA_SHEET)
    sheet.append(COLUMNS)
    widths = {COL_NAME: 12, COL_ID_TYPE: 14, COL_ID_NUMBER: 24, COL_UNIT: 36, COL_TEAM: 20, COL_ROLE: 18}
    for index, title in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=1, column=index)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        sheet.column_dimensions[get_column_letter(index)].width = widths.get(title, 12)
    sheet.freeze_panes = "A2"
    # The ID column is text and the date column a date for every row a user may fill, so Excel and
    # WPS keep all 18 digits and show dates as dates.
    id_column = COLUMNS.index(COL_ID_NUMBER) + 1
    date_column = COLUMNS.index(COL_ENTRY_DATE) + 1
    for row in range(2, MAX_ROWS + 2):
        sheet.cell(row=row, column=id_column).number_format = "@"
        sheet.cell(row=row, column=date_column).number_format = "yyyy-mm-dd"

    list_sheet = workbook.create_sheet(LIST_SHEET)
    list_sheet.sheet_state = "hidden"
    for list_index, (column_title, values) in enumerate(lists.items(), start=1):
        letter = get_column_letter(list_index)
        list_sheet.cell(row=1, column=list_index, value=column_title)
        for row, value in enumerate(values, start=2):
            # Names come from users: typed as a string, "=…" is shown, never evaluated (ASVS 1.2.10).
            cell = list_sheet.cell(row=row, column=list_index, value=value)
            cell.data_type = "s"
            cell.number_format = "@"
        if not values:
            continue  # an empty list would be an invalid formula; the column stays free text
        validation = DataValidation(
            type="list",
            formula1=f"{LIST_SHEET}!${letter}$2:${letter}${len(values) + 1}",
            allow_blank=True,
            showErrorMessage=True,
            errorTitle="输入值无效",
            error=f"请从下拉列表中选择{column_title}。",
        )
        target = get_column_letter(COLUMNS.index(column_title) + 1)
        validation.add(f"{target}2:{target}{MAX_ROWS + 1}")
        sheet.add_data_validation(validation)
    workbook.active = workbook.index(sheet)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


# --- upload checks -----------------------------------------------------------------------------


def read_upload(upload) -> bytes:
    """The uploaded bytes if they are an .xlsx within the limits; ValidationError otherwise.

    The type is decided by content (the zip signature and the workbook part), never by the name;
    the zip's directory is inspected before openpyxl opens anything, against zip bombs.
    """
    size = getattr(upload, "size", None)
    too_large = ValidationError("文件不能超过 10 MB，请分成多个文件上传。", code="too_large")
    if size is not None and size > MAX_UPLOAD_BYTES:
        raise too_large
    upload.seek(0)
    data = upload.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        raise too_large
    if not data:
        raise ValidationError("上传的是空文件。", code="empty")
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise ValidationError(
            "这是旧版 Excel（.xls）文件，请用 Excel 或 WPS 另存为 .xlsx 格式后上传。", code="xls"
        )
    not_xlsx = ValidationError("只支持 .xlsx 格式的 Excel 文件，请下载模板填写后上传。", code="not_xlsx")
    if not data.startswith(b"PK\x03\x04"):
        raise not_xlsx
    check_zip(data)
    return data


def check_zip(data: bytes) -> None:
    """Refuse containers that are not a workbook or that would expand too far (zip bombs)."""
    bomb = ValidationError("文件解压后过大或结构异常，已拒绝。请使用下载的模板重新填写。", code="zip_bomb")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError):
        raise ValidationError("文件已损坏，不是有效的 .xlsx 文件。", code="bad_zip") from None
    if len(entries) > MAX_ZIP_ENTRIES:
        raise bomb
    total = 0
    for entry in entries:
        total += entry.file_size
        if total > MAX_UNCOMPRESSED_BYTES:
            raise bomb
        if entry.file_size > 1024 * 1024 and entry.file_size > MAX_COMPRESSION_RATIO * max(
            entry.compress_size, 1
        ):
            raise bomb
    names = {entry.filename for entry in entries}
    if "xl/workbook.xml" not in names or "[Content_Types].xml" not in names:
        raise ValidationError("只支持 .xlsx 格式的 Excel 文件，请下载模板填写后上传。", code="not_xlsx")


# --- parsing -----------------------------------------------------------------------------------


@dataclass
class RawRow:
    number: int  # the row number in the sheet, as the user sees it
    values: dict[str, object]


UNREADABLE = "无法读取该 Excel 文件，请用 Excel 或 WPS 另存为 .xlsx 后重新上传。"
# Columns read from each row: the template's and the error file's, with room to name a few
# unexpected ones in the header message. Cells further right are never looked at.
READ_COLUMNS = 32


def parse_workbook(data: bytes) -> list[RawRow]:
    """The non-blank data rows of the upload, by column title; ValidationError for a bad file.

    Rows are read within fixed bounds (jmzhgd.core.xlsx_read): the template's columns, at most
    MAX_ROWS data rows, and a sheet that goes blank for MAX_BLANK_RUN rows has ended."""
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many types for a broken workbook; all mean the same to the user
        raise ValidationError(UNREADABLE, code="unreadable") from None
    try:
        return _read_rows(_data_sheet(workbook))
    except ValidationError:
        raise
    except Exception:  # noqa: BLE001 — a worksheet's XML is parsed only now: cut short, entities, ...
        raise ValidationError(UNREADABLE, code="unreadable") from None
    finally:
        workbook.close()


def _data_sheet(workbook):
    if DATA_SHEET in workbook.sheetnames:
        return workbook[DATA_SHEET]
    for sheet in workbook.worksheets:
        if sheet.title not in (HELP_SHEET, LIST_SHEET) and sheet.sheet_state == "visible":
            return sheet
    raise ValidationError(f"文件中没有“{DATA_SHEET}”工作表，请使用下载的模板填写。", code="no_sheet")


_blank = is_blank


def _read_rows(sheet) -> list[RawRow]:
    rows = bounded_rows(sheet, columns=READ_COLUMNS, last_row=1 + MAX_ROWS + MAX_BLANK_RUN)
    header: list[str] | None = None
    for _, cells in rows:
        header = [normalise_text(c) for c in cells]
        break
    if header is None:
        raise ValidationError("文件中没有任何内容，请使用下载的模板填写。", code="empty_sheet")
    check_header(header)
    positions = {title: header.index(title) for title in COLUMNS}
    parsed: list[RawRow] = []
    for number, cells in rows:
        if len(parsed) >= MAX_ROWS:
            raise ValidationError(f"每个文件最多{MAX_ROWS}行人员，请分成多个文件上传。", code="too_many_rows")
        values = {title: cells[i] for title, i in positions.items()}
        parsed.append(RawRow(number=number, values=values))
    if not parsed:
        raise ValidationError("模板中没有填写任何人员。", code="no_rows")
    return parsed


def check_header(header: list[str]) -> None:
    """The header must have every template column; names the missing and the unexpected ones."""
    present = [h for h in header if h]
    missing = [c for c in COLUMNS if c not in present]
    unexpected = [h for h in present if h not in COLUMNS and h not in REPORT_COLUMNS]
    repeated = sorted({h for h in present if present.count(h) > 1})
    if not (missing or unexpected or repeated):
        return
    parts = []
    if missing:
        parts.append(f"缺少列：{'、'.join(missing)}")
    if unexpected:
        parts.append(f"多出列：{'、'.join(unexpected)}")
    if repeated:
        parts.append(f"重复的列：{'、'.join(repeated)}")
    raise ValidationError(
        f"表头与模板不一致（{'；'.join(parts)}）。模板可能已更新，请重新下载模板填写。", code="header"
    )


# --- cell readers (each returns a value or raises ValidationError with the reason) -------------


def _codes(choices) -> dict[str, str]:
    """A code table read by code or by label, as _key() sees them."""
    return {_key(text): code for code, label in choices.choices for text in (code, label)}


_ID_TYPES = _codes(IdCardType)
_CATEGORIES = _codes(PersonCategory)


def read_id_type(value: object) -> str:
    if _blank(value):
        return IdCardType.RESIDENT_ID
    code = _ID_TYPES.get(_key(value))
    if code:
        return code
    raise ValidationError(f"证件类型“{normalise_text(value)}”不在代码表中")


def read_id_number(value: object, id_type: str) -> str:
    if isinstance(value, bool):
        raise ValidationError("请填写证件号码")
    if isinstance(value, float):
        # A number stored as a float has at most 15-17 significant digits: the last digits of an
        # 18-digit ID are gone and cannot be recovered, so it is refused, never "fixed".
        raise ValidationError(EXCEL_NUMBER)
    if isinstance(value, int):
        text = str(value)  # an exact integer (no X): the digits are all there
    else:
        # A leading apostrophe is how Excel and WPS users force text; it is not part of the number.
        text = normalise_text(value).removeprefix("'")
        if re.fullmatch(r"\d+(\.\d+)?E\+?\d+", text.upper()):
            raise ValidationError(EXCEL_NUMBER)
    try:
        return normalise_document_number(id_type, text)
    except ValidationError as exc:
        raise ValidationError(exc.messages[0].rstrip("。")) from None


_DATE_TEXT = re.compile(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?")


def read_date(value: object, *, default: date) -> date:
    """A date cell as Excel, WPS or LibreOffice may store it: a date, a serial number or text."""
    if _blank(value):
        return default
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, date):
        return value
    bad = ValidationError("应为有效日期，如 2026-03-05")
    if isinstance(value, bool):
        raise bad
    if isinstance(value, (int, float)):
        if isinstance(value, int) and 19000101 <= value <= 29991231:
            text = str(value)  # 20260305 typed as a number
            try:
                return date(int(text[:4]), int(text[4:6]), int(text[6:]))
            except ValueError:
                raise bad from None
        if 1 <= value < 2958466:  # an Excel serial day number (a date cell without a date format)
            return from_excel(int(value)).date()
        raise bad
    text = normalise_text(value)
    match = _DATE_TEXT.fullmatch(text) or re.fullmatch(r"(\d{4})(\d{2})(\d{2})", text)
    if not match:
        raise bad
    try:
        return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        raise bad from None


def read_yes_no(value: object) -> bool:
    if isinstance(value, bool):
        return value
    text = _key(value)
    if text in YES:
        return True
    if text in NO:
        return False
    raise ValidationError("请填写“是”或“否”")


def read_category(value: object) -> str:
    if _blank(value):
        raise ValidationError("请选择人员类别（建筑工人、其他人员或管理人员）")
    code = _CATEGORIES.get(_key(value))
    if code:
        return code
    raise ValidationError(f"“{normalise_text(value)}”不是人员类别，应为建筑工人、其他人员或管理人员")


# --- validation --------------------------------------------------------------------------------


@dataclass
class RowResult:
    number: int
    name: str = ""
    id_masked: str = ""
    errors: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[tuple[str, str]] = field(default_factory=list)
    request: EntryRequest | None = None
    id_key: tuple[str, str] | None = None

    def fail(self, column: str, reason: str) -> None:
        self.errors.append((column, reason.rstrip("。")))

    @property
    def status(self) -> str:
        if self.errors:
            return "error"
        return "warning" if self.warnings else "ok"

    def as_report(self) -> dict:
        return {
            "row": self.number,
            "name": self.name,
            "id": self.id_masked,
            "status": self.status,
            "errors": [list(e) for e in self.errors],
            "warnings": [list(w) for w in self.warnings],
        }


class _Lookups:
    """Everything the rows refer to, loaded once for the whole file."""

    def __init__(self, project, id_keys: set[tuple[str, str]]):
        units = list(ParticipatingUnit.objects.filter(project=project).select_related("enterprise"))
        ambiguous = _ambiguous_names(units)
        self.units: dict[str, list[ParticipatingUnit]] = {}
        for unit in units:
            for text in {
                unit.enterprise.name,
                unit_label(unit, ambiguous),
                str(unit),
                unit.enterprise.credit_code,
            }:
                self.units.setdefault(_key(text), []).append(unit)
        self.teams: dict[tuple[int, str], Team] = {}
        self.management_team: dict[int, Team] = {}
        self.team_units: dict[str, set[str]] = {}
        for team in Team.objects.filter(project=project).select_related("unit__enterprise"):
            self.teams[(team.unit_id, _key(team.name))] = team
            self.team_units.setdefault(_key(team.name), set()).add(team.unit.enterprise.name)
            if team.team_type == TeamType.MANAGEMENT:
                self.management_team[team.unit_id] = team
        self.work_types = {}
        for work_type in WorkType.objects.filter(is_active=True):
            self.work_types.setdefault(_key(work_type.name), work_type)
            self.work_types.setdefault(_key(work_type.code), work_type)
        self.posts = {}
        for post in ManagementPost.objects.filter(is_active=True):
            self.posts.setdefault(_key(post.name), post)
            self.posts.setdefault(_key(post.code), post)
        digests = {id_digest(number) for _, number in id_keys}
        persons = Person.objects.filter(id_number_digest__in=digests).defer("id_number", "bank_card_number")
        self.persons = {(p.id_type, p.id_number_digest): p for p in persons}

    def person(self, id_type: str, number: str) -> Person | None:
        return self.persons.get((id_type, id_digest(number)))

    def unit(self, value: object) -> ParticipatingUnit:
        if _blank(value):
            raise ValidationError("请选择所属企业")
        found = self.units.get(_key(value), [])
        if len(found) > 1:
            on_site = [u for u in found if u.is_on_site]
            found = on_site if len(on_site) == 1 else found
        if not found:
            raise ValidationError(f"“{normalise_text(value)}”不是本项目的参建单位")
        if len(found) > 1:
            raise ValidationError(
                f"“{normalise_text(value)}”在本项目有多个参建身份，请从下拉列表选择带类型的名称"
            )
        return found[0]

    def team(self, value: object, unit: ParticipatingUnit, category: str | None) -> Team:
        if _blank(value):
            if category == PersonCategory.MANAGER and unit.pk in self.management_team:
                return self.management_team[unit.pk]
            raise ValidationError("请选择所属班组")
        team = self.teams.get((unit.pk, _key(value)))
        if team is None and category == PersonCategory.MANAGER and _key(value) == _key(unit.enterprise.name):
            team = self.management_team.get(unit.pk)
        if team is None:
            owners = self.team_units.get(_key(value))
            if owners:
                raise ValidationError(
                    f"班组“{normalise_text(value)}”不属于“{unit.enterprise.name}”（属于{'、'.join(sorted(owners))}）"
                )
            raise ValidationError(f"本项目没有名为“{normalise_text(value)}”的班组")
        return team

    def role(self, value: object, category: str):
        if _blank(value):
            raise ValidationError(
                "管理人员须填写岗位" if category == PersonCategory.MANAGER else "请填写工种"
            )
        if category == PersonCategory.MANAGER:
            post = self.posts.get(_key(value))
            if post is None:
                raise ValidationError(
                    f"“{normalise_text(value)}”不是管理岗位，管理人员请填写岗位（如 项目经理）"
                )
            return post
        work_type = self.work_types.get(_key(value))
        if work_type is None:
            raise ValidationError(f"“{normalise_text(value)}”不是工种名称，请从下拉列表选择")
        return work_type


def _guard(row: RowResult, column: str, read, *args, **kwargs):
    """Run one cell reader; a problem is recorded against the row and the column, not raised."""
    try:
        return read(*args, **kwargs)
    except ValidationError as exc:
        for message in exc.messages:
            row.fail(column, message)
        return None


def validate_rows(project, raw_rows: list[RawRow], *, today: date | None = None) -> list[RowResult]:
    """Every row of the file, each with its problems, and an EntryRequest for the rows that parsed.

    Queries: a fixed handful for the lookups plus check_entries' own, whatever the row count.
    """
    today = today or timezone.localdate()
    results: list[RowResult] = []
    first_seen: dict[tuple[str, str], int] = {}
    for raw in raw_rows:
        row = RowResult(number=raw.number, name=normalise_text(raw.values[COL_NAME]))
        if not row.name:
            row.fail(COL_NAME, "请填写姓名")
        _guard(row, COL_NAME, validate_name, raw.values[COL_NAME], COL_NAME)
        id_type = _guard(row, COL_ID_TYPE, read_id_type, raw.values[COL_ID_TYPE])
        if id_type is not None:
            if _blank(raw.values[COL_ID_NUMBER]):
                row.fail(COL_ID_NUMBER, "请填写证件号码")
            else:
                number = _guard(row, COL_ID_NUMBER, read_id_number, raw.values[COL_ID_NUMBER], id_type)
                if number:
                    row.id_masked = mask_id(number)
                    key = (id_type, number)
                    if key in first_seen:
                        row.fail(COL_ID_NUMBER, f"与第{first_seen[key]}行重复，同一人员在文件中只能出现一次")
                    else:
                        first_seen[key] = row.number
                        row.id_key = key
        results.append(row)

    lookups = _Lookups(project, {r.id_key for r in results if r.id_key})
    for raw, row in zip(raw_rows, results, strict=True):
        person = None
        if row.id_key:
            person = lookups.person(*row.id_key)
            if person is None:
                row.fail(COL_ID_NUMBER, NOT_IN_LIBRARY)
            elif row.name and _key(person.name) != _key(row.name):
                row.fail(COL_NAME, "姓名与人员库中该证件号码登记的姓名不一致，请核对")
        category = _guard(row, COL_CATEGORY, read_category, raw.values[COL_CATEGORY])
        unit = _guard(row, COL_UNIT, lookups.unit, raw.values[COL_UNIT])
        team = _guard(row, COL_TEAM, lookups.team, raw.values[COL_TEAM], unit, category) if unit else None
        role = _guard(row, COL_ROLE, lookups.role, raw.values[COL_ROLE], category) if category else None
        leader = _guard(row, COL_LEADER, read_yes_no, raw.values[COL_LEADER])
        entry_date = _guard(row, COL_ENTRY_DATE, read_date, raw.values[COL_ENTRY_DATE], default=today)
        if not row.errors:
            row.request = EntryRequest(
                person=person,
                unit=unit,
                team=team,
                category=category,
                work_type=None if category == PersonCategory.MANAGER else role,
                post=role if category == PersonCategory.MANAGER else None,
                entry_date=entry_date,
                is_team_leader=bool(leader),
            )

    # The wizard's rules, for the rows that got this far (DESIGN.md pattern 4).
    checked = [row for row in results if row.request is not None]
    check = check_entries(project, [row.request for row in checked], today=today)
    for index, row in enumerate(checked):
        prefix = f"{row.request.person}："
        for message in check.errors.get(index, []):
            row.fail(COL_ENTRY, message.removeprefix(prefix))
        for message in check.warnings.get(index, []):
            row.warnings.append((COL_ENTRY, message.removeprefix(prefix).rstrip("。")))
        if row.errors:
            row.request = None
    return results


def format_problem(row_number: int, column: str, reason: str) -> str:
    return f"第{row_number}行 {column}: {reason}"


# --- the import's steps (actions: validate, write, audit in one transaction) --------------------


def summarise(results: list[RowResult]) -> dict[str, int]:
    return {
        "total": len(results),
        "ok": sum(1 for r in results if r.status == "ok"),
        "warning": sum(1 for r in results if r.status == "warning"),
        "error": sum(1 for r in results if r.status == "error"),
    }


@transaction.atomic
def create_preview(actor: Actor, project, upload) -> ImportBatch:
    """Check and validate an upload; record it as a preview batch. Writes nothing to the roster."""
    data = read_upload(upload)
    results = validate_rows(project, parse_workbook(data))
    counts = summarise(results)
    file_name = PurePath(str(getattr(upload, "name", "") or "upload.xlsx")).name[:255]
    batch = ImportBatch(
        project=project,
        uploaded_by=actor.user,
        file_name=file_name,
        total_rows=counts["total"],
        failed_count=counts["error"],
        report=[r.as_report() for r in results],
    )
    batch.original_file.save(f"{uuid.uuid4().hex}.xlsx", ContentFile(data), save=False)
    batch.save()
    audit.record(
        actor,
        "roster.import_upload",
        batch,
        project=project,
        summary=f"批量人员进场上传：{file_name}，共{counts['total']}行，校验失败{counts['error']}行",
    )
    return batch


def _locked_preview(batch: ImportBatch) -> ImportBatch:
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.status != ImportBatchStatus.PREVIEW:
        raise ValidationError(f"该批次{batch.get_status_display()}，不能再次操作。")
    return batch


def commit_batch(actor: Actor, batch: ImportBatch, *, confirm_warnings: bool = False) -> ImportBatch:
    """【导入】: validate the stored file again and enter its valid rows in one transaction.

    Rows with errors (now) end in the report as failed; every row ends entered or failed.
    Raises ValidationError when warnings are not confirmed, EntryRefused if the roster changed
    under our feet (then nothing is written and the batch stays a preview).
    """
    with transaction.atomic():
        batch = _locked_preview(batch)
        project = batch.project
        with batch.original_file.open("rb") as handle:
            results = validate_rows(project, parse_workbook(handle.read()))
        valid = [r for r in results if r.request is not None]
        warned = sum(1 for r in valid if r.warnings)
        if warned and not confirm_warnings:
            raise ValidationError(
                f"有{warned}行需要确认的提醒（如证件过期、超过年龄上限），请勾选确认后再导入。"
            )
        if valid:
            enter_persons(actor, project, [r.request for r in valid], confirm_warnings=confirm_warnings)
        report = []
        for row in results:
            item = row.as_report()
            item["status"] = "entered" if row.request is not None else "failed"
            report.append(item)
        batch.report = report
        batch.total_rows = len(results)
        batch.entered_count = len(valid)
        batch.failed_count = len(results) - len(valid)
        batch.status = ImportBatchStatus.IMPORTED
        batch.imported_at = timezone.now()
        batch.save()
        audit.record(
            actor,
            "roster.import",
            batch,
            project=project,
            summary=f"批量人员进场：{batch.file_name}，成功进场{batch.entered_count}人，失败{batch.failed_count}行",
            after={"total": batch.total_rows, "entered": batch.entered_count, "failed": batch.failed_count},
        )
        return batch


@transaction.atomic
def abandon_batch(actor: Actor, batch: ImportBatch, *, summary: str = "") -> ImportBatch:
    """【放弃】: the preview is closed without writing anything to the roster.

    The uploaded file (full ID numbers as typed) has no use any more and is deleted once the
    abandonment commits; the batch keeps its masked report in the import history."""
    batch = _locked_preview(batch)
    batch.status = ImportBatchStatus.ABANDONED
    stored = batch.original_file.name
    batch.original_file = ""
    batch.save(update_fields=["status", "original_file"])
    audit.record(
        actor,
        "roster.import_abandon",
        batch,
        project=batch.project,
        summary=summary or f"放弃批量人员进场：{batch.file_name}",
    )
    if stored:
        storage = ImportBatch._meta.get_field("original_file").storage
        transaction.on_commit(lambda: storage.delete(stored))
    return batch


# An upload that is neither imported nor abandoned after this long is abandoned by
# `manage.py purge_import_previews`, so that its file of full ID numbers does not linger.
PREVIEW_RETENTION_DAYS = 7


def purge_stale_previews(now: datetime.datetime | None = None, days: int = PREVIEW_RETENTION_DAYS) -> int:
    """Abandon every preview older than `days` (its file deleted, audited as the system); returns
    how many. Run daily (docs/deploy.md)."""
    cutoff = (now or timezone.now()) - datetime.timedelta(days=days)
    actor = Actor.system("预览保留期限")
    purged = 0
    for batch in ImportBatch.objects.filter(status=ImportBatchStatus.PREVIEW, created_at__lt=cutoff):
        try:
            abandon_batch(
                actor, batch, summary=f"预览超过 {days} 天未导入，自动放弃并删除原始文件：{batch.file_name}"
            )
        except ValidationError:
            continue  # imported or abandoned meanwhile
        purged += 1
    return purged


# --- downloads ---------------------------------------------------------------------------------


def cell_as_typed(value: object) -> object:
    """A cell read from an upload, for writing back into an error file."""
    if isinstance(value, datetime.datetime):
        return value.date() if value.time() == datetime.time() else value
    if isinstance(value, float):
        return repr(value)  # shown as typed would be misleading; this is what the file really held
    return value


def failed_rows_sheet(batch: ImportBatch) -> Sheet:
    """The failed rows as uploaded, with 原行号 and 失败原因, ready to fix and upload again.

    The cells are the user's own (including the ID number as typed, which they need to correct);
    this file is served only to the project's own account (views_import.import_errors).
    """
    failing = {"error", "failed"}
    reasons = {
        item["row"]: "；".join(f"{column}: {reason}" for column, reason in item["errors"])
        for item in batch.report
        if item["status"] in failing
    }
    with batch.original_file.open("rb") as handle:
        raw_rows = parse_workbook(handle.read())
    rows = (
        [cell_as_typed(raw.values[c]) for c in COLUMNS] + [raw.number, reasons[raw.number]]
        for raw in raw_rows
        if raw.number in reasons
    )
    text_columns = [i for i, c in enumerate(COLUMNS) if c != COL_ENTRY_DATE]
    return Sheet(
        name=DATA_SHEET,
        header=COLUMNS + list(REPORT_COLUMNS),
        rows=rows,
        text_columns=text_columns,
        column_widths=[12, 14, 24, 36, 20, 12, 18, 12, 12, 8, 80],
    )


STATUS_LABELS = {
    "ok": "通过",
    "warning": "通过（需确认）",
    "error": "失败",
    "entered": "已进场",
    "failed": "失败",
}


def report_sheet(batch: ImportBatch) -> Sheet:
    """The whole report (every row, masked ID numbers), readable by whoever reads the project."""

    def rows():
        for item in batch.report:
            problems = [format_problem(item["row"], c, r) for c, r in item["errors"]]
            notes = [format_problem(item["row"], c, r) for c, r in item["warnings"]]
            yield [
                item["row"],
                item["name"],
                item["id"],
                STATUS_LABELS[item["status"]],
                "；".join(problems),
                "；".join(notes),
            ]

    return Sheet(
        name="校验报告",
        title=f"批量人员进场校验报告：{batch.file_name}",
        header=["行号", "姓名", "证件号码", "结果", "失败原因", "提醒"],
        rows=rows(),
        text_columns=[1, 2, 4, 5],
        column_widths=[8, 12, 24, 14, 80, 50],
    )
