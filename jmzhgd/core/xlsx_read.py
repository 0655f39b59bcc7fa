"""The one reader for every uploaded workbook (ASVS 5.2.1-5.2.3): size, container, XML, rows.

Every .xlsx the platform takes from a user (批量人员进场, 导入银行代发结果, the import command)
goes through `read_upload` and then `read_rows`, so a hostile file gets the same answer, in Chinese
and in well under a second, wherever it is sent:

* the type is decided by content (zip signature and workbook part), never by the name;
* the zip's directory is checked before anything is unpacked (total size, entry count, ratio);
* no XML part may carry a DOCTYPE: workbooks never need one, and it is where external entities
  and "billion laughs" live, so it is refused before a parser sees it;
* openpyxl's read-only sheets trust the file: the declared `<dimension ref="A1:XFD1048576"/>` makes
  every row 16,384 cells wide, and a single cell in the last row makes the reader produce a million
  empty rows before it (a 6 KB upload kept a worker busy until gunicorn killed it). Here the width
  is the caller's column count, the declared dimension is ignored, reading stops after a run of
  blank rows, and never goes past the caller's row limit.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Iterator

from django.core.exceptions import ValidationError

# Limits of an uploaded workbook: the file, what its zip container may expand to, its rows.
MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 100 * 1024 * 1024
MAX_ZIP_ENTRIES = 1000
MAX_COMPRESSION_RATIO = 200  # checked for entries above 1 MB; spreadsheet XML stays far below this
MAX_ROWS = 5000
# Rows with nothing in them that may follow one another before the rest of the sheet is taken to
# be empty. The platform's template formats its 5000 rows, so Excel keeps them as styled blank
# rows; real lists have no gap this long.
MAX_BLANK_RUN = 1000

NOT_XLSX = "只支持 .xlsx 格式的 Excel 文件，请下载模板填写后上传。"
UNREADABLE = "无法读取该 Excel 文件，请用 Excel 或 WPS 另存为 .xlsx 后重新上传。"
ZIP_BOMB = "文件解压后过大或结构异常，已拒绝。请使用下载的模板重新填写。"

# A DOCTYPE in any of the encodings an XML parser accepts (UTF-8 and both UTF-16 byte orders).
_DTD_MARKERS = tuple(
    marker.encode(encoding)
    for marker in ("<!DOCTYPE", "<!ENTITY", "<!doctype", "<!entity")
    for encoding in ("utf-8", "utf-16-le", "utf-16-be")
)
_SCAN_CHUNK = 1024 * 1024


def is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def read_upload(upload, *, max_bytes: int = MAX_UPLOAD_BYTES) -> bytes:
    """The uploaded bytes if they are an .xlsx within the limits; ValidationError otherwise."""
    megabytes = max_bytes // (1024 * 1024)
    too_large = ValidationError(f"文件不能超过 {megabytes} MB，请分成多个文件上传。", code="too_large")
    size = getattr(upload, "size", None)
    if size is not None and size > max_bytes:
        raise too_large
    upload.seek(0)
    data = upload.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise too_large
    if not data:
        raise ValidationError("上传的是空文件。", code="empty")
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise ValidationError(
            "这是旧版 Excel（.xls）文件，请用 Excel 或 WPS 另存为 .xlsx 格式后上传。", code="xls"
        )
    if not data.startswith(b"PK\x03\x04"):
        raise ValidationError(NOT_XLSX, code="not_xlsx")
    check_zip(data)
    return data


def check_zip(data: bytes) -> None:
    """Refuse containers that are not a workbook, that would expand too far (zip bombs), or whose
    XML declares a DOCTYPE (external entities, entity expansion)."""
    bomb = ValidationError(ZIP_BOMB, code="zip_bomb")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
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
                raise ValidationError(NOT_XLSX, code="not_xlsx")
            for entry in entries:
                if entry.filename.endswith((".xml", ".rels")) and _declares_dtd(archive, entry):
                    raise ValidationError(UNREADABLE, code="dtd")
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, OSError, RuntimeError):
        # RuntimeError: an encrypted entry; the others: a directory or an entry that is cut short.
        raise ValidationError("文件已损坏，不是有效的 .xlsx 文件。", code="bad_zip") from None


def _declares_dtd(archive: zipfile.ZipFile, entry: zipfile.ZipInfo) -> bool:
    overlap = max(len(m) for m in _DTD_MARKERS)
    tail = b""
    with archive.open(entry) as stream:  # sizes were bounded above: this reads at most 100 MB
        while chunk := stream.read(_SCAN_CHUNK):
            window = tail + chunk
            if any(marker in window for marker in _DTD_MARKERS):
                return True
            tail = window[-overlap:]
    return False


def open_workbook(data: bytes):
    """openpyxl's read-only workbook of checked bytes (`read_upload`); the caller closes it."""
    from openpyxl import load_workbook

    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many types for a broken workbook; all mean the same to the user
        raise ValidationError(UNREADABLE, code="unreadable") from None


def bounded_rows(
    sheet, *, columns: int, last_row: int, max_blank_run: int = MAX_BLANK_RUN
) -> Iterator[tuple[int, tuple]]:
    """(row number, values) of the sheet's non-blank rows, each `columns` values wide.

    Stops after `max_blank_run` blank rows in a row and at `last_row`. Parse errors of a damaged
    worksheet (cut short, entities) surface here, while rows are read: callers catch them.
    """
    sheet.reset_dimensions()  # the file's own claim of its size is not a bound
    blank_run = 0
    rows = sheet.iter_rows(min_row=1, max_row=last_row, min_col=1, max_col=columns, values_only=True)
    for number, values in enumerate(rows, start=1):
        if all(is_blank(v) for v in values):
            blank_run += 1
            if blank_run >= max_blank_run:
                return
            continue
        blank_run = 0
        yield number, values


def read_rows(
    data: bytes,
    *,
    columns: int,
    max_rows: int = MAX_ROWS,
    choose_sheet: Callable | None = None,
    too_many: str | None = None,
) -> list[tuple[int, tuple]]:
    """(row number, values) of the non-blank rows of one sheet (the first, or `choose_sheet(workbook)`),
    header included, `columns` values wide; at most `max_rows` rows after the header.

    Every failure is a ValidationError with a Chinese message: a damaged worksheet is UNREADABLE,
    more rows than allowed is `too_many` (or the platform's wording)."""
    workbook = open_workbook(data)
    try:
        sheet = choose_sheet(workbook) if choose_sheet else workbook.worksheets[0]
        found = []
        for number, values in bounded_rows(sheet, columns=columns, last_row=1 + max_rows + MAX_BLANK_RUN):
            if len(found) > max_rows:  # the header and max_rows rows are allowed
                raise ValidationError(
                    too_many or f"每个文件最多{max_rows}行，请分成多个文件上传。", code="too_many_rows"
                )
            found.append((number, values))
        return found
    except ValidationError:
        raise
    except Exception:  # noqa: BLE001 — a worksheet's XML is parsed only now: cut short, bad cells, ...
        raise ValidationError(UNREADABLE, code="unreadable") from None
    finally:
        workbook.close()
