"""Excel building blocks (docs/architecture.md patterns 4 and 5).

Export = one row generator: a report yields a header and rows once; the page and the .xlsx both render
from it. `xlsx_response` writes with openpyxl's write_only mode (bounded memory) and forces every
user-supplied text to be text (a string cell, never a formula), so `=HYPERLINK(...)` arrives in Excel
as the characters typed, and ID numbers stay text (never 1.1E+17).
"""

from __future__ import annotations

import datetime
import decimal
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from urllib.parse import quote

from django.http import FileResponse
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\0")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def safe_text(value: str) -> str:
    """Text that Excel, LibreOffice and WPS will never evaluate (OWASP ASVS V1.2.10), for plain-text
    formats (CSV, a cell whose type cannot be set).

    A leading quote is the documented neutraliser. Workbooks written here do not need it: `_cell`
    types such cells as strings with Excel's quote prefix instead, so the apostrophe is not shown.
    Control characters that a worksheet cannot hold (NUL and the like, which openpyxl refuses with an
    error) are dropped, so one odd character in a name cannot break a whole export.
    """
    if not value:
        return value
    clean = ILLEGAL_CHARACTERS_RE.sub("", value)
    if value.startswith(FORMULA_TRIGGERS) or clean.startswith(FORMULA_TRIGGERS):
        return "'" + clean
    return clean


@dataclass
class Sheet:
    """One worksheet: a title line, a header and rows (from a generator)."""

    name: str
    header: Sequence[str]
    rows: Iterable[Sequence[object]]
    title: str = ""
    column_widths: Sequence[int] = field(default_factory=list)
    text_columns: Sequence[int] = field(default_factory=list)  # 0-based columns always written as text
    footer_rows: Iterable[Sequence[object]] = ()


_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_TITLE_FONT = Font(bold=True, size=14)


def starts_like_a_formula(text: str) -> bool:
    return text.startswith(FORMULA_TRIGGERS)


def _cell(ws, value, *, force_text: bool = False, font=None, fill=None):
    """One cell value for a write-only row.

    Data cells are appended as plain values: a styled WriteOnlyCell per value made large exports
    several times slower (the benchmark's 124,000-row details export). That is enough because
    - text that starts like a formula ("=1+2", "@SUM(A1)", ASVS 1.2.10) becomes a cell object typed
      as a string (data_type "s") with Excel's quote prefix: Excel shows it exactly as typed, never
      evaluates it, and does not turn it into a formula when the cell is edited either (a leading
      apostrophe in the value, safe_text's form, would be shown as part of the name);
    - forced-text columns (ID numbers) are converted to str, so Excel reads them as text, never 1.1E+17;
    - openpyxl gives plain date and datetime values a date number format itself.
    Headers and titles, which carry a font or fill, are cell objects too.
    """
    if isinstance(value, bool):
        value = "是" if value else "否"
    if value is None:
        value = ""
    if isinstance(value, datetime.datetime) and value.tzinfo is not None:
        from django.utils import timezone

        value = timezone.localtime(value).replace(tzinfo=None)
    formula_like = False
    if force_text or isinstance(value, str):
        # Control characters a worksheet cannot hold are dropped, so one odd character in a name
        # cannot break a whole export; a NUL before "=" cannot hide the formula either.
        value = ILLEGAL_CHARACTERS_RE.sub("", str(value))
        formula_like = starts_like_a_formula(value)
    elif isinstance(value, decimal.Decimal):
        value = float(value)
    if font is None and fill is None and not formula_like:
        return value
    cell = WriteOnlyCell(ws, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
    if formula_like:
        cell.quotePrefix = True
    if font is not None:
        cell.font = font
    if fill is not None:
        cell.fill = fill
    return cell


def write_workbook(sheets: Sequence[Sheet], target) -> None:
    """Write `sheets` to `target` (a path or a binary file object) in write-only mode."""
    workbook = Workbook(write_only=True)
    for sheet in sheets:
        ws = workbook.create_sheet(title=sheet.name[:31])
        for index, width in enumerate(sheet.column_widths, start=1):
            ws.column_dimensions[_column_letter(index)].width = width
        header_row = 2 if sheet.title else 1
        # Write-only sheets emit their view with the first row: freeze before appending anything.
        ws.freeze_panes = f"A{header_row + 1}"
        if sheet.title:
            ws.append([_cell(ws, sheet.title, font=_TITLE_FONT)])
        ws.append([_cell(ws, h, font=_HEADER_FONT, fill=_HEADER_FILL) for h in sheet.header])
        text_columns = set(sheet.text_columns)
        for row in sheet.rows:
            ws.append([_cell(ws, v, force_text=i in text_columns) for i, v in enumerate(row)])
        for row in sheet.footer_rows:
            ws.append([_cell(ws, v, font=_HEADER_FONT) for v in row])
    workbook.save(target)


def _column_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index)


def xlsx_response(filename: str, sheets: Sequence[Sheet]) -> FileResponse:
    """An .xlsx download. The workbook is spooled to a temporary file, not held in memory."""
    spool = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)
    write_workbook(sheets, spool)
    spool.seek(0)
    response = FileResponse(spool, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


WRAP = Alignment(wrap_text=True, vertical="top")


def without_formulas(data: bytes) -> bytes:
    """The uploaded workbook `data` made safe to hand back (ASVS 1.2.10): every formula becomes its
    own text in a string cell with the quote prefix, cell hyperlinks and external links are dropped.

    A workbook with none of them is returned byte for byte, as it was uploaded. Raises whatever
    openpyxl raises for a file it cannot read.
    """
    import io

    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(data), keep_links=False)
    changed = bool(workbook._external_links)
    for sheet in workbook.worksheets:
        # The cells that exist; iter_rows() would walk a declared 1,048,576 × 16,384 rectangle.
        for cell in list(sheet._cells.values()):
            if cell.hyperlink is not None:
                cell.hyperlink = None
                changed = True
            if cell.data_type == "f":
                cell.value = str(getattr(cell.value, "text", cell.value))
                cell.data_type = "s"
                cell.quotePrefix = True
                changed = True
    if not changed:
        return data
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
