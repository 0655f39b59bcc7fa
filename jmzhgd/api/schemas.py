"""Schemas shared by every router: the error answer and the error statuses each endpoint documents."""

from __future__ import annotations

from ninja import Schema
from pydantic import Field


class ErrorOut(Schema):
    code: str = Field(..., description="稳定的错误代码，例如 bad_signature、not_found、invalid")
    message: str = Field(..., description="中文说明")
    field: str | None = Field(None, description="出错的字段（请求头、路径参数或请求体字段），无则为 null")


ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 413: ErrorOut, 422: ErrorOut}
