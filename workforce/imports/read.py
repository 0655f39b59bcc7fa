"""批量人员进场: upload checks (type by content, size, zip bombs) and parsing the data sheet into rows."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from openpyxl import load_workbook

from jmzhgd.core.validators import normalise_text
from jmzhgd.core.xlsx_read import MAX_BLANK_RUN, bounded_rows, is_blank

from .shape import (
    COLUMNS,
    DATA_SHEET,
    HELP_SHEET,
    LIST_SHEET,
    MAX_COMPRESSION_RATIO,
    MAX_ROWS,
    MAX_UNCOMPRESSED_BYTES,
    MAX_UPLOAD_BYTES,
    MAX_ZIP_ENTRIES,
    REPORT_COLUMNS,
)


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
