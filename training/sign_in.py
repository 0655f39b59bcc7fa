"""An uploaded Excel sign-in list (签到表) of a training: 姓名, 证件号码, 考核结果 per row.

Every row is checked against the project's roster first (docs/architecture.md pattern 4); a list with any
error records nobody and answers 第N行 列名: 原因 for each. The file goes through the batch import's
checks (type by content, size, zip bombs) and core's bounded reader (docs/architecture.md pattern 13).
"""

from __future__ import annotations

import io

from django.core.exceptions import ValidationError
from django.db import transaction
from openpyxl import load_workbook

from jmzhgd.core.actor import Actor
from jmzhgd.core.pii import id_digest
from jmzhgd.core.xlsx_read import bounded_rows, is_blank
from workforce.imports import read_upload

from .models import Training
from .services import add_attendees, set_results

COLUMNS = ["姓名", "证件号码", "考核结果"]
MAX_ROWS = 2000
RESULTS = {"": True, "合格": True, "通过": True, "不合格": False, "未通过": False}


class SignInRefused(ValidationError):
    """The list has errors: `.rows` lists each as 第N行 列名: 原因; nothing was recorded."""

    def __init__(self, rows: list[str]):
        self.rows = rows
        super().__init__(rows)


def _text(value) -> str:
    return "" if is_blank(value) else str(value).strip()


def read_sign_in(upload) -> list[tuple[int, str, str, str]]:
    """(row number, 姓名, 证件号码, 考核结果) of every non-blank row below the header."""
    data = read_upload(upload)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        rows = list(bounded_rows(sheet, columns=len(COLUMNS), last_row=MAX_ROWS + 1))
    except ValidationError:
        raise
    except Exception:  # a damaged workbook surfaces while reading rows
        raise ValidationError("文件已损坏，无法读取签到表。") from None
    if not rows or [_text(v) for v in rows[0][1]] != COLUMNS:
        raise ValidationError(f"签到表第一行须为表头：{'、'.join(COLUMNS)}。")
    return [(number, *(_text(v) for v in values)) for number, values in rows[1:]]


def record_sign_in(actor: Actor, training: Training, upload) -> int:
    """Record the list's persons with their results; returns how many rows were recorded."""
    from workforce.models import RosterEntry

    rows = read_sign_in(upload)
    if not rows:
        raise ValidationError("签到表中没有人员。")
    digests = {id_digest(number) for _, _, number, _ in rows if number}
    on_roster = {
        digest: (person_id, name)
        for person_id, name, digest in RosterEntry.objects.filter(
            project_id=training.project_id, person__id_number_digest__in=digests
        ).values_list("person_id", "person__name", "person__id_number_digest")
    }
    errors, seen, results = [], {}, {}
    for number, name, id_number, result in rows:
        if not id_number:
            errors.append(f"第{number}行 证件号码: 不能为空")
            continue
        found = on_roster.get(id_digest(id_number))
        if found is None:
            errors.append(f"第{number}行 证件号码: 此人不在本项目花名册中")
            continue
        person_id, roster_name = found
        if name and name != roster_name:
            errors.append(f"第{number}行 姓名: 与花名册不一致（证件号码对应“{roster_name}”）")
        if result not in RESULTS:
            errors.append(f"第{number}行 考核结果: 只能填“合格”或“不合格”")
        if person_id in seen:
            errors.append(f"第{number}行 证件号码: 与第{seen[person_id]}行重复")
        seen.setdefault(person_id, number)
        results[person_id] = RESULTS.get(result, True)
    if errors:
        raise SignInRefused(errors)
    with transaction.atomic():
        for passed in (True, False):
            group = [pid for pid, ok in results.items() if ok is passed]
            if group:
                add_attendees(actor, training, group, passed=passed)
                set_results(
                    actor,
                    training,
                    training.attendees.filter(person_id__in=group).values_list("pk", flat=True),
                    passed=passed,
                )
    return len(results)
