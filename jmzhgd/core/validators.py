"""Identifier validators: 居民身份证 (GB 11643), 统一社会信用代码 (GB 32100), mobile numbers.

Every function here takes raw user text, normalises it (spaces, full-width characters, a lower-case
x) and either returns the normal form or raises ValidationError with a Chinese message that says
what is wrong. Pages, the Excel import and the API all call these, so the rules are written once.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK_CHARS = "10X98765432"

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)

MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")


def normalise_text(value: object) -> str:
    """Full-width to half-width (NFKC), surrounding and inner spaces removed."""
    text = unicodedata.normalize("NFKC", str(value or ""))
    return re.sub(r"\s+", "", text)


# --- 居民身份证 --------------------------------------------------------------------------------


def id_check_char(first17: str) -> str:
    total = sum(int(d) * w for d, w in zip(first17, ID_WEIGHTS, strict=True))
    return ID_CHECK_CHARS[total % 11]


@dataclass(frozen=True)
class IdNumberFacts:
    """What an 18-digit ID number says about its holder."""

    number: str
    birth_date: date
    gender: str  # jmzhgd.core.codes.Gender value: "0" 男, "1" 女
    area_code: str

    def age_on(self, day: date) -> int:
        years = day.year - self.birth_date.year
        if (day.month, day.day) < (self.birth_date.month, self.birth_date.day):
            years -= 1
        return years


def parse_id_number(value: object, *, today: date | None = None) -> IdNumberFacts:
    """Validate an 18-digit 居民身份证号码 and return its facts; raise ValidationError otherwise."""
    number = normalise_text(value).upper()
    if not number:
        raise ValidationError("请填写身份证号码。", code="required")
    if len(number) == 15 and number.isdigit():
        raise ValidationError("15位旧身份证号码已停用，请填写18位身份证号码。", code="id_legacy")
    if len(number) != 18:
        raise ValidationError(f"身份证号码应为18位，当前为{len(number)}位。", code="id_length")
    if not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        raise ValidationError("身份证号码前17位必须是数字，最后一位是数字或X。", code="id_chars")
    try:
        birth = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise ValidationError(
            f"身份证号码中的出生日期 {number[6:14]} 不是有效日期。", code="id_birth_date"
        ) from None
    today = today or timezone.localdate()
    if birth > today:
        raise ValidationError("身份证号码中的出生日期晚于今天。", code="id_birth_future")
    if birth.year < 1900:
        raise ValidationError("身份证号码中的出生年份早于1900年。", code="id_birth_date")
    expected = id_check_char(number[:17])
    if number[17] != expected:
        raise ValidationError("身份证号码校验位不正确，请核对后重新填写。", code="id_checksum")
    gender = "0" if int(number[16]) % 2 == 1 else "1"
    return IdNumberFacts(number=number, birth_date=birth, gender=gender, area_code=number[:6])


def validate_id_number(value: object) -> str:
    """Django-style validator: returns the normalised number."""
    return parse_id_number(value).number


def normalise_document_number(id_type: str, value: object) -> str:
    """Validate a 证件号码 according to its 证件类型. Only 居民身份证 has a check digit."""
    from .codes import IdCardType

    if id_type == IdCardType.RESIDENT_ID:
        return validate_id_number(value)
    number = normalise_text(value).upper()
    if not number:
        raise ValidationError("请填写证件号码。", code="required")
    if len(number) > 30 or not re.fullmatch(r"[0-9A-Z()（）-]+", number):
        raise ValidationError("证件号码只能包含数字、字母和括号，长度不超过30位。", code="doc_number")
    return number


# --- 统一社会信用代码 --------------------------------------------------------------------------


def uscc_check_char(first17: str) -> str:
    total = sum(USCC_ALPHABET.index(c) * w for c, w in zip(first17, USCC_WEIGHTS, strict=True))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def validate_credit_code(value: object) -> str:
    """Validate a 统一社会信用代码 (GB 32100-2015) and return it upper-cased.

    Letters are allowed in every position of the alphabet (5x… 民政 and Y… codes have letters in
    positions 1–8), unlike python-stdnum's validate(), which would refuse genuine codes.
    """
    code = normalise_text(value).upper()
    if not code:
        raise ValidationError("请填写统一社会信用代码。", code="required")
    if len(code) != 18:
        raise ValidationError(f"统一社会信用代码应为18位，当前为{len(code)}位。", code="uscc_length")
    bad = sorted({c for c in code if c not in USCC_ALPHABET})
    if bad:
        raise ValidationError(
            f"统一社会信用代码含有不允许的字符：{'、'.join(bad)}（不使用 I、O、S、V、Z）。", code="uscc_chars"
        )
    if not code[2:8].isdigit():
        raise ValidationError("统一社会信用代码第3至8位应为行政区划代码（数字）。", code="uscc_area")
    if code[17] != uscc_check_char(code[:17]):
        raise ValidationError("统一社会信用代码校验位不正确，请核对后重新填写。", code="uscc_checksum")
    return code


# --- 手机号 ------------------------------------------------------------------------------------


def validate_mobile(value: object) -> str:
    phone = normalise_text(value)
    if phone.startswith("+86"):
        phone = phone[3:]
    phone = phone.replace("-", "")
    if not phone:
        raise ValidationError("请填写手机号码。", code="required")
    if not MOBILE_RE.match(phone):
        raise ValidationError("手机号码应为以1开头的11位数字。", code="mobile")
    return phone


def validate_phone(value: object) -> str:
    """A contact phone: a mobile number or a landline such as 0750-8270518."""
    phone = normalise_text(value)
    if MOBILE_RE.match(phone.removeprefix("+86")):
        return phone.removeprefix("+86")
    if re.fullmatch(r"0\d{2,3}-?\d{7,8}(-\d{1,6})?", phone):
        return phone
    raise ValidationError("联系电话应为11位手机号码或带区号的固定电话（如 0750-8270518）。", code="phone")


# --- 名称（姓名、企业名称、班组名称、项目名称、联系人） -----------------------------------------

# Invisible characters that change how a name reads or compares: controls (NUL, BEL, ESC…),
# format characters (the bidirectional overrides U+202A–202E and isolates U+2066–2069, the marks
# U+200E/F, zero-width spaces and joiners, the BOM), surrogates and line/paragraph separators.
# Private-use and unassigned code points are allowed: rare name characters (生僻字) may be typed
# through private-use fonts or be newer than this interpreter's Unicode tables.
_INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})
# Emoji and pictographs: the blocks they live in, the emoji variation selector and the keycap.
_EMOJI_RANGES = (
    (0x1F000, 0x1FAFF),
    (0x2600, 0x27BF),
    (0x2300, 0x23FF),
    (0x2B00, 0x2BFF),
    (0xFE0F, 0xFE0F),
    (0x20E3, 0x20E3),
)


def _is_emoji(char: str) -> bool:
    code = ord(char)
    return any(low <= code <= high for low, high in _EMOJI_RANGES)


def validate_name(value: object, label: str = "名称") -> None:
    """Refuse a name (of a person, an enterprise, a team, a project, a contact) that carries control
    or invisible direction characters, or emoji; surrounding whitespace is the caller's to strip.
    The message names the field and what is wrong (ASVS 5.1.3, 5.1.4)."""
    text = str(value or "").strip()
    if any(unicodedata.category(char) in _INVISIBLE_CATEGORIES for char in text):
        raise ValidationError(f"{label}不能包含控制字符或不可见的方向字符。", code="name_invisible")
    if any(_is_emoji(char) for char in text):
        raise ValidationError(f"{label}不能包含表情符号。", code="name_emoji")


class NameValidator:
    """validate_name as a form-field validator, labelled with the field's label."""

    def __init__(self, label: str):
        self.label = label

    def __call__(self, value) -> None:
        validate_name(value, self.label)


def guard_name_fields(fields, names) -> None:
    """Put validate_name on the form fields `names` (those present), in place of Django's own NUL
    check, whose Chinese message (「不允许是用空字符串。」) says nothing useful."""
    from django.core.validators import ProhibitNullCharactersValidator

    for name in names:
        field = fields.get(name)
        if field is None:
            continue
        kept = [v for v in field.validators if not isinstance(v, ProhibitNullCharactersValidator)]
        field.validators = [*kept, NameValidator(str(field.label or "名称"))]


class NameFieldsMixin:
    """Forms: `name_fields` are checked by validate_name."""

    name_fields: tuple[str, ...] = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        guard_name_fields(self.fields, self.name_fields)
