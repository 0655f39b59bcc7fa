"""批量人员进场: the Excel template a project downloads (columns, text/date formats, dropdowns)."""

from __future__ import annotations

import io
from collections.abc import Iterable

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from enterprises.models import ParticipatingUnit, Team
from jmzhgd.core.codes import IdCardType, PersonCategory
from jmzhgd.core.models import ManagementPost, WorkType

from .shape import (
    COL_CATEGORY,
    COL_ENTRY_DATE,
    COL_ID_NUMBER,
    COL_ID_TYPE,
    COL_LEADER,
    COL_NAME,
    COL_ROLE,
    COL_TEAM,
    COL_UNIT,
    COLUMNS,
    DATA_SHEET,
    HELP_LINES,
    HELP_SHEET,
    LIST_SHEET,
    MAX_ROWS,
)


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
    out = io.BytesIO()
    template_workbook(project).save(out)
    return out.getvalue()


def template_workbook(project) -> Workbook:
    """The template as a workbook; the failed-rows file is this same workbook with rows filled in."""
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
    return workbook
