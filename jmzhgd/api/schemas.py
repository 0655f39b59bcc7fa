"""Schemas shared by every router: the error answer and the error statuses each endpoint documents."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.utils.dateparse import parse_datetime
from ninja import Schema
from pydantic import AfterValidator, Field

from jmzhgd.core.validators import validate_name

BEIJING = ZoneInfo("Asia/Shanghai")


class ErrorOut(Schema):
    code: str = Field(..., description="稳定的错误代码，例如 bad_signature、not_found、invalid")
    message: str = Field(..., description="中文说明")
    field: str | None = Field(None, description="出错的字段（请求头、路径参数或请求体字段），无则为 null")


# 400 is bad_json: a body that is not JSON (jmzhgd.api.endpoints._http_error).
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 413: ErrorOut, 422: ErrorOut}


def name_text(label: str) -> AfterValidator:
    """A name field checked by validate_name; its message becomes the 422's (value_error)."""

    def check(value):
        if value is not None:
            try:
                validate_name(value, label)
            except ValidationError as exc:
                raise ValueError(exc.messages[0]) from None
        return value

    return AfterValidator(check)


def parse_client_datetime(value) -> datetime.datetime | None:
    """A time sent by a client: "YYYY-MM-DD HH:MM:SS" in Beijing time, or
    ISO 8601 with an offset. None when it is not a time."""
    if isinstance(value, datetime.datetime):
        parsed = value
    else:
        try:
            parsed = parse_datetime(str(value).strip()) if value is not None else None
        except ValueError:
            parsed = None
    if parsed is not None and parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=BEIJING)
    return parsed
