"""manage.py import_persons FILE [--errors OUT.xlsx]: load persons exported from the old platform.

docs/requirements.md §7.9: the old platform's persons go into the 人员库 (not the
roster) through the same action as every other way in, workforce.services.upsert_person, with
source "legacy". Running the same file again creates nothing new (persons are found by 证件类型 +
证件号码; blank cells never erase stored values).

Accepted files: .xlsx (the first worksheet) or .csv (UTF-8, with or without BOM, or GB18030/GBK as
Chinese Excel writes it). The first non-empty row is the header. Accepted header names (spaces and
full-width characters are ignored; other columns are reported and ignored):

  姓名            姓名 人员姓名 工人姓名 workerName                          (required)
  证件号码        证件号码 证件号 身份证号 身份证号码 公民身份号码 idCardNumber   (required)
  证件类型        证件类型 idCardType              (optional; code or name, default 居民身份证)
  性别            性别                             (居民身份证: taken from the number)
  民族            民族                             (汉、汉族 or the code 01)
  住址            住址 地址 家庭住址 户籍地址 身份证地址
  手机号码        手机号码 手机号 手机 联系电话 电话 cellPhone
  发证机关        发证机关 签发机关 grantOrg
  有效期          有效期 有效期限 证件有效期       (e.g. 2015.03.01-2035.03.01, 2016-01-01至长期)
  有效期起/止     有效期起 有效期开始 证件有效期起 startDate / 有效期止 有效期至 有效期截止 证件有效期止 expiryDate
  文化程度 政治面貌 婚姻状况 紧急联系人 紧急联系人电话 工资卡开户行(开户银行) 工资卡号(银行卡号)

The 工资卡 belongs to the employment (workforce.models.PayCard): a card in the file is recorded for
each project that has had the person on its roster; a person on no roster yet keeps none (his
project registers it when it enters him).

Every failed row is listed, with its reason, in an .xlsx error file (--errors, default
<FILE>-导入失败.xlsx beside the input); the summary counts created, updated, unchanged and failed.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from jmzhgd.core.actor import Actor
from jmzhgd.core.codes import nation_code_from_text
from jmzhgd.core.excel import Sheet, write_workbook
from jmzhgd.core.validators import normalise_text
from jmzhgd.core.xlsx_read import check_zip, read_rows
from workforce.imports import cell_as_typed, read_date, read_id_number, read_id_type
from workforce.models import Person, PersonSource
from workforce.services import upsert_person

VALIDITY = "validity"  # a combined 有效期 column, split into id_valid_from / id_valid_to
HEADER_ALIASES = {
    "name": ("姓名", "人员姓名", "工人姓名", "WORKERNAME"),
    "id_number": ("证件号码", "证件号", "身份证号", "身份证号码", "公民身份号码", "身份证", "IDCARDNUMBER"),
    "id_type": ("证件类型", "IDCARDTYPE"),
    "gender": ("性别",),
    "nation": ("民族",),
    "address": ("住址", "地址", "家庭住址", "户籍地址", "身份证地址"),
    "phone": ("手机号码", "手机号", "手机", "联系电话", "电话", "CELLPHONE"),
    "issuing_authority": ("发证机关", "签发机关", "GRANTORG"),
    VALIDITY: ("有效期", "有效期限", "证件有效期"),
    "id_valid_from": ("有效期起", "有效期开始", "证件有效期起", "有效开始日期", "STARTDATE"),
    "id_valid_to": ("有效期止", "有效期至", "有效期截止", "证件有效期止", "有效截止日期", "EXPIRYDATE"),
    "culture_level": ("文化程度",),
    "politics_type": ("政治面貌",),
    "marital_status": ("婚姻状况",),
    "urgent_contact_name": ("紧急联系人",),
    "urgent_contact_phone": ("紧急联系人电话", "紧急联系电话"),
    "bank_name": ("工资卡开户行", "开户银行", "开户行"),
    "bank_card_number": ("工资卡号", "银行卡号"),
}
_ALIAS_TO_FIELD = {alias: key for key, aliases in HEADER_ALIASES.items() for alias in aliases}
_DATE_TOKEN = re.compile(r"\d{4}[-./年]\d{1,2}[-./月]\d{1,2}日?|\d{8}")
FOREVER = ("长期", "永久", "长期有效")
MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_FILE_ROWS = 200_000
MAX_COLUMNS = 64


def _header_key(value: object) -> str:
    return normalise_text(value).upper()


def read_table(path: Path) -> list[tuple[int, list]]:
    """(row number, cells) for every row of the file, header included."""
    data = path.read_bytes()
    if len(data) > MAX_FILE_BYTES:
        raise CommandError("文件超过 50 MB，请分成多个文件。")
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise CommandError("这是旧版 Excel（.xls）文件，请另存为 .xlsx 或 .csv 后再导入。")
    if data.startswith(b"PK\x03\x04"):
        # core's one reader: zip and DOCTYPE checks, then rows of a bounded width (the old platform's
        # export has some 30 columns) that stop at a long blank run, whatever the sheet declares.
        try:
            check_zip(data)
            return [
                (n, list(cells)) for n, cells in read_rows(data, columns=MAX_COLUMNS, max_rows=MAX_FILE_ROWS)
            ]
        except ValidationError as exc:
            raise CommandError(exc.messages[0]) from None
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise CommandError("无法识别文件编码（应为 UTF-8 或 GBK 的 CSV，或 .xlsx）。")
    rows = []
    for n, row in enumerate(csv.reader(io.StringIO(text)), 1):
        if n > MAX_FILE_ROWS + 1:  # the header and MAX_FILE_ROWS rows, as for a workbook
            raise CommandError(f"每个文件最多{MAX_FILE_ROWS}行，请分成多个文件上传。")
        rows.append((n, row[:MAX_COLUMNS]))
    return rows


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _validity(value) -> tuple:
    """Split "2015.03.01-2035.03.01" / "2016-01-01至长期" into (from, to); to None means 长期."""
    if hasattr(value, "year"):
        return None, value  # a single date: the expiry
    text = normalise_text(value)
    tokens = _DATE_TOKEN.findall(text)
    if not tokens or len(tokens) > 2:
        raise ValidationError({"id_valid_to": [f"有效期“{text}”无法识别，应如 2015.03.01-2035.03.01"]})
    try:
        dates = [read_date(t, default=None) for t in tokens]
    except ValidationError:
        raise ValidationError({"id_valid_to": [f"有效期“{text}”中的日期无效"]}) from None
    if len(dates) == 2:
        return dates[0], dates[1]
    if any(word in text for word in FOREVER):
        return dates[0], None
    return None, dates[0]


def row_data(values: dict) -> dict:
    """Person data for upsert_person from one row's cells (by field key)."""
    data = {}
    id_type = read_id_type(values.get("id_type"))
    data["id_type"] = id_type
    if _blank(values.get("id_number")):
        raise ValidationError({"id_number": ["请填写证件号码"]})
    try:
        data["id_number"] = read_id_number(values["id_number"], id_type)
    except ValidationError as exc:
        raise ValidationError({"id_number": exc.messages}) from None
    for key, value in values.items():
        if key in ("id_type", "id_number") or _blank(value):
            continue
        if key == VALIDITY:
            valid_from, valid_to = _validity(value)
            if valid_from:
                data.setdefault("id_valid_from", valid_from)
            if valid_to:
                data.setdefault("id_valid_to", valid_to)
        elif key == "nation":
            data[key] = nation_code_from_text(normalise_text(value)) or normalise_text(value)
        elif key == "id_valid_to" and normalise_text(value) in FOREVER:
            continue
        elif key in ("phone", "urgent_contact_phone", "bank_card_number") and isinstance(value, (int, float)):
            data[key] = str(int(value)) if float(value).is_integer() else str(value)
        else:
            data[key] = value
    return data


def describe(exc: ValidationError) -> str:
    if not hasattr(exc, "error_dict"):
        return "；".join(exc.messages)
    labels = {f.name: str(f.verbose_name) for f in Person._meta.fields}
    labels[VALIDITY] = "有效期"
    return "；".join(
        f"{labels.get(field, field)}: {m.rstrip('。')}"
        for field, msgs in exc.message_dict.items()
        for m in msgs
    )


class Command(BaseCommand):
    help = (
        "把旧平台导出的人员（.xlsx 或 .csv）导入人员库；可重复运行，不会重复创建。"
        "必需的列：姓名、证件号码。可识别的列名："
        + "；".join("/".join(aliases) for aliases in HEADER_ALIASES.values())
        + "。有效期可写成 2015.03.01-2035.03.01 或 2016-01-01至长期。"
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="旧平台导出的 .xlsx 或 .csv 文件")
        parser.add_argument(
            "--errors", help="失败记录 .xlsx 的保存路径（默认：与输入文件同目录的 <文件名>-导入失败.xlsx）"
        )

    def handle(self, *args, file: str, errors: str | None = None, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"找不到文件：{file}")
        table = [(n, cells) for n, cells in read_table(path) if any(not _blank(c) for c in cells)]
        if not table:
            raise CommandError("文件是空的。")
        _, header_cells = table[0]
        header = [_header_key(c) for c in header_cells]
        positions = {}
        ignored = []
        for index, title in enumerate(header):
            key = _ALIAS_TO_FIELD.get(title)
            if key and key not in positions:
                positions[key] = index
            elif title:
                ignored.append(normalise_text(header_cells[index]))
        missing = [
            label for key, label in (("name", "姓名"), ("id_number", "证件号码")) if key not in positions
        ]
        if missing:
            raise CommandError(
                f"表头缺少必需的列：{'、'.join(missing)}（可用的列名见 manage.py import_persons --help）。"
            )
        if ignored:
            self.stdout.write(f"以下列不认识，已忽略：{'、'.join(ignored)}")

        actor = Actor.system("旧平台人员导入")
        counts = {"created": 0, "updated": 0, "unchanged": 0, "failed": 0}
        failures = []
        for number, cells in table[1:]:
            values = {key: (cells[i] if i < len(cells) else None) for key, i in positions.items()}
            started = timezone.now()
            try:
                person, created = upsert_person(actor, row_data(values), source=PersonSource.LEGACY)
            except ValidationError as exc:
                counts["failed"] += 1
                failures.append((number, cells, describe(exc)))
                continue
            if created:
                counts["created"] += 1
            elif person.updated_at >= started:
                counts["updated"] += 1
            else:
                counts["unchanged"] += 1

        total = len(table) - 1
        self.stdout.write(
            f"共{total}行：新增{counts['created']}人，更新{counts['updated']}人，"
            f"无变化{counts['unchanged']}人，失败{counts['failed']}行。"
        )
        if failures:
            target = Path(errors) if errors else path.with_name(f"{path.stem}-导入失败.xlsx")
            # The error file repeats the rows as exported (full ID numbers): it goes back to the
            # administrator who ran the command, next to the file they already hold.
            width = len(header_cells)
            sheet = Sheet(
                name="导入失败",
                header=["原行号"] + [normalise_text(c) for c in header_cells] + ["失败原因"],
                rows=(
                    [number, *(cell_as_typed(c) for c in cells), *[""] * (width - len(cells)), reason]
                    for number, cells, reason in failures
                ),
                text_columns=list(range(1, width + 2)),
            )
            write_workbook([sheet], target)
            self.stdout.write(self.style.WARNING(f"失败记录已写入：{target}"))
        else:
            self.stdout.write(self.style.SUCCESS("全部导入成功。"))
        return None
