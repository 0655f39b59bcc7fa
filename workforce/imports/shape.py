"""批量人员进场: the template's columns, sheets, limits and messages, shared by every stage."""

from __future__ import annotations

from jmzhgd.core import xlsx_read
from jmzhgd.core.validators import normalise_text

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

# Upload limits (ASVS 5.2.1, 5.2.3): core's reader, the same for every workbook upload.
MAX_UPLOAD_BYTES = xlsx_read.MAX_UPLOAD_BYTES
MAX_ROWS = xlsx_read.MAX_ROWS
MAX_UNCOMPRESSED_BYTES = xlsx_read.MAX_UNCOMPRESSED_BYTES
MAX_ZIP_ENTRIES = xlsx_read.MAX_ZIP_ENTRIES
MAX_COMPRESSION_RATIO = xlsx_read.MAX_COMPRESSION_RATIO

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
