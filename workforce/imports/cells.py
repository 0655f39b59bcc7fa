"""批量人员进场: cell readers; each returns a value or raises ValidationError with the reason."""

from __future__ import annotations

import datetime
import re
from datetime import date

from django.core.exceptions import ValidationError
from openpyxl.utils.datetime import from_excel

from jmzhgd.core.codes import IdCardType, PersonCategory
from jmzhgd.core.validators import normalise_document_number, normalise_text

from .read import _blank
from .shape import EXCEL_NUMBER, NO, YES, _key


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
