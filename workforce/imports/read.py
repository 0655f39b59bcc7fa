"""批量人员进场: parsing the data sheet into rows. The upload itself is checked by core's one reader
(jmzhgd.core.xlsx_read: type by content, size, zip bombs, DOCTYPE, bounded rows)."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError

from jmzhgd.core.validators import normalise_text
from jmzhgd.core.xlsx_read import UNREADABLE, check_zip, is_blank, read_rows, read_upload

from .shape import COLUMNS, DATA_SHEET, HELP_SHEET, LIST_SHEET, MAX_ROWS, REPORT_COLUMNS

__all__ = [
    "READ_COLUMNS",
    "UNREADABLE",
    "RawRow",
    "check_header",
    "check_zip",
    "parse_workbook",
    "read_upload",
]


# --- parsing -----------------------------------------------------------------------------------


@dataclass
class RawRow:
    number: int  # the row number in the sheet, as the user sees it
    values: dict[str, object]


# Columns read from each row: the template's and the error file's, with room to name a few
# unexpected ones in the header message. Cells further right are never looked at.
READ_COLUMNS = 32


def parse_workbook(data: bytes) -> list[RawRow]:
    """The non-blank data rows of the upload, by column title; ValidationError for a bad file.

    Rows are read by core's bounded reader: the template's columns, at most MAX_ROWS data rows, and
    a sheet that goes blank for MAX_BLANK_RUN rows has ended."""
    rows = read_rows(
        data,
        columns=READ_COLUMNS,
        max_rows=MAX_ROWS,
        choose_sheet=_data_sheet,
        too_many=f"每个文件最多{MAX_ROWS}行人员，请分成多个文件上传。",
    )
    if not rows:
        raise ValidationError("文件中没有任何内容，请使用下载的模板填写。", code="empty_sheet")
    header = [normalise_text(c) for c in rows[0][1]]
    check_header(header)
    positions = {title: header.index(title) for title in COLUMNS}
    parsed = [
        RawRow(number=number, values={title: cells[i] for title, i in positions.items()})
        for number, cells in rows[1:]
    ]
    if not parsed:
        raise ValidationError("模板中没有填写任何人员。", code="no_rows")
    return parsed


def _data_sheet(workbook):
    if DATA_SHEET in workbook.sheetnames:
        return workbook[DATA_SHEET]
    for sheet in workbook.worksheets:
        if sheet.title not in (HELP_SHEET, LIST_SHEET) and sheet.sheet_state == "visible":
            return sheet
    raise ValidationError(f"文件中没有“{DATA_SHEET}”工作表，请使用下载的模板填写。", code="no_sheet")


_blank = is_blank


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
