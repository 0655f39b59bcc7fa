"""A logging filter that masks ID numbers anywhere in a log record (SPEC §11 PII)."""

from __future__ import annotations

import logging
import re

# 18-digit resident ID numbers (the last character may be X), not inside a longer run of digits.
ID_NUMBER_RE = re.compile(r"(?<![0-9A-Za-z])(\d{6})\d{8}(\d{3}[0-9Xx])(?![0-9A-Za-z])")


def mask_id_numbers(text: str) -> str:
    return ID_NUMBER_RE.sub(lambda m: m.group(1) + "********" + m.group(2)[-4:], text)


class MaskIdNumbersFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_id_numbers(message)
        if masked != message:
            record.msg, record.args = masked, None
        return True
