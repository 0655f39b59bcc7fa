"""A logging filter that masks ID numbers anywhere in a log record (docs/requirements.md §11 PII)."""

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


class ForbiddenOneLineFilter(logging.Filter):
    """On `django.request`: a 403 is an answer the platform meant to give (a supervisor pressing a
    project's button, an expired form), not a fault; Django logged each with a full traceback.
    Here it becomes one line: who, which URL, why."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) != 403:
            return True
        request = getattr(record, "request", None)
        exception = record.exc_info[1] if record.exc_info else None
        reason = str(exception) if exception is not None and str(exception) else record.getMessage()
        user = getattr(request, "user", None)
        who = user.get_username() if user is not None and user.is_authenticated else "anonymous"
        url = f"{request.method} {request.get_full_path()}" if request is not None else "-"
        record.msg, record.args = "Forbidden: user=%s url=%s reason=%s", (who, url, reason)
        record.exc_info = record.exc_text = record.stack_info = None
        return True
