"""A logging filter that masks ID numbers anywhere in a log record (SPEC §11 PII)."""

from __future__ import annotations

import logging
import re

# 18-digit resident ID numbers (the last character may be X), not inside a longer run of digits.
ID_NUMBER_RE = re.compile(r"(?<![0-9A-Za-z])(\d{4})\d{10}(\d{3}[0-9Xx])(?![0-9A-Za-z])")
# What older masks looked like (6 + 8 + 4: area code kept whole), for re-masking stored text.
OLD_MASK_RE = re.compile(r"(?<![0-9A-Za-z*])(\d{4})\d{2}(\*{8})([0-9Xx]{4})(?![0-9A-Za-z*])")


def mask_id_numbers(text: str) -> str:
    """Every 18-digit ID number in `text` masked as pii.mask_id does (4 + 4)."""
    return ID_NUMBER_RE.sub(lambda m: m.group(1) + "*" * 10 + m.group(2)[-4:], text)


def remask_old_masks(text: str) -> str:
    """`text` with 6 + 4 masks (440703********1234) cut down to 4 + 4 (4407**********1234)."""
    return OLD_MASK_RE.sub(lambda m: m.group(1) + "*" * 10 + m.group(3), text)


class MaskIdNumbersFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_id_numbers(message)
        if masked != message:
            record.msg, record.args = masked, None
        return True
