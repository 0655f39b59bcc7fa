"""批量人员进场 (docs/requirements.md §7.8): the Excel template, upload checks, preview and commit.

docs/architecture.md pattern 4: parse with openpyxl read_only, validate every row, collect every problem as
第N行 列名: 原因, let the user confirm, then write in one transaction. The rows go through the same
entry action as the wizard (workforce.services.check_entries / enter_persons), so the order rules,
age limits and "already on site" checks are never copied here; this module only turns cells into
`EntryRequest`s, with every lookup (persons, units, teams, 工种, 岗位) done in bulk — a constant
number of queries however many rows the file has.

Nothing is written to the roster before 【导入】: the upload becomes an ImportBatch in status
"preview" holding the original file (private, under MEDIA_ROOT) and the report; 【导入】 reads the
file again, validates it again against the data as it is now, and enters the valid rows.

One module per stage: shape (columns, limits), template, read (upload checks, parsing), cells
(cell readers), validate, preview, commit (and abandon, purge), job (a large commit in the
background), downloads (failed rows, 校验报告).
The public names stay importable from `workforce.imports`.
"""

from __future__ import annotations

from jmzhgd.core.xlsx_read import MAX_BLANK_RUN

from .cells import read_category, read_date, read_id_number, read_id_type, read_yes_no
from .commit import OPEN_STATUSES, PREVIEW_RETENTION_DAYS, abandon_batch, commit_batch, purge_stale_previews
from .downloads import (
    STATUS_LABELS,
    WRONG_ID,
    cell_as_typed,
    failed_rows_workbook,
    id_cell_text,
    report_sheet,
    typed_ids,
)
from .job import commit_or_queue, recover_stalled, status_payload
from .preview import create_preview, summarise
from .read import READ_COLUMNS, UNREADABLE, RawRow, check_header, check_zip, parse_workbook, read_upload
from .shape import (
    COL_CATEGORY,
    COL_ENTRY,
    COL_ENTRY_DATE,
    COL_ID_NUMBER,
    COL_ID_TYPE,
    COL_LEADER,
    COL_NAME,
    COL_REASON,
    COL_ROLE,
    COL_SOURCE_ROW,
    COL_TEAM,
    COL_UNIT,
    COLUMNS,
    DATA_SHEET,
    EXCEL_NUMBER,
    HELP_LINES,
    HELP_SHEET,
    LIST_SHEET,
    MAX_COMPRESSION_RATIO,
    MAX_ROWS,
    MAX_UNCOMPRESSED_BYTES,
    MAX_UPLOAD_BYTES,
    MAX_ZIP_ENTRIES,
    NO,
    NOT_IN_LIBRARY,
    REPORT_COLUMNS,
    YES,
)
from .template import build_template, template_workbook, unit_label
from .validate import RowResult, format_problem, validate_rows

__all__ = [
    "COLUMNS",
    "COL_CATEGORY",
    "COL_ENTRY",
    "COL_ENTRY_DATE",
    "COL_ID_NUMBER",
    "COL_ID_TYPE",
    "COL_LEADER",
    "COL_NAME",
    "COL_REASON",
    "COL_ROLE",
    "COL_SOURCE_ROW",
    "COL_TEAM",
    "COL_UNIT",
    "DATA_SHEET",
    "EXCEL_NUMBER",
    "HELP_LINES",
    "HELP_SHEET",
    "LIST_SHEET",
    "MAX_BLANK_RUN",
    "MAX_COMPRESSION_RATIO",
    "MAX_ROWS",
    "MAX_UNCOMPRESSED_BYTES",
    "MAX_UPLOAD_BYTES",
    "MAX_ZIP_ENTRIES",
    "NO",
    "NOT_IN_LIBRARY",
    "OPEN_STATUSES",
    "PREVIEW_RETENTION_DAYS",
    "READ_COLUMNS",
    "REPORT_COLUMNS",
    "RawRow",
    "RowResult",
    "STATUS_LABELS",
    "WRONG_ID",
    "id_cell_text",
    "UNREADABLE",
    "YES",
    "abandon_batch",
    "build_template",
    "template_workbook",
    "cell_as_typed",
    "check_header",
    "check_zip",
    "commit_batch",
    "commit_or_queue",
    "create_preview",
    "failed_rows_workbook",
    "format_problem",
    "parse_workbook",
    "purge_stale_previews",
    "read_category",
    "read_date",
    "read_id_number",
    "read_id_type",
    "read_upload",
    "read_yes_no",
    "recover_stalled",
    "report_sheet",
    "status_payload",
    "summarise",
    "typed_ids",
    "unit_label",
    "validate_rows",
]
