"""Errors of the API: always JSON {"code": stable code, "message": 中文, "field": field or null}."""

from __future__ import annotations

import sys

from jmzhgd.core import views as core_views


class ApiError(Exception):
    """Raised anywhere under the API; the handler turns it into a JSON answer with `status`."""

    def __init__(
        self, status: int, code: str, message: str, field: str | None = None, *, headers=None, **extra
    ):
        super().__init__(message)
        self.headers = headers or {}
        self.status = status
        self.code = code
        self.message = message
        self.field = field
        self.extra = extra

    def payload(self) -> dict:
        return {"code": self.code, "message": self.message, "field": self.field, **self.extra}


def not_found(message: str = "资源不存在或无权访问。", field: str | None = None) -> ApiError:
    """404, never 403: ids of other projects cannot be probed (docs/requirements.md §1)."""
    return ApiError(404, "not_found", message, field)


# Chinese messages for the schema errors pydantic reports, by error type.
SCHEMA_MESSAGES = {
    "missing": "缺少必填字段",
    "string_type": "应为字符串",
    "int_type": "应为整数",
    "int_parsing": "应为整数",
    "float_type": "应为数字",
    "float_parsing": "应为数字",
    "decimal_parsing": "应为数字",
    "bool_type": "应为布尔值",
    "bool_parsing": "应为布尔值",
    "list_type": "应为数组",
    "dict_type": "应为对象",
    "model_type": "应为对象",
    "model_attributes_type": "应为对象",
    "string_too_long": "长度超过限制",
    "string_too_short": "不能为空",
    "too_long": "条目过多",
    "too_short": "条目过少",
    "literal_error": "取值不在允许范围内",
    "enum": "取值不在允许范围内",
    "date_parsing": "日期格式应为 YYYY-MM-DD",
    "date_from_datetime_parsing": "日期格式应为 YYYY-MM-DD",
    "date_type": "日期格式应为 YYYY-MM-DD",
    "datetime_parsing": "时间格式应为 YYYY-MM-DD HH:MM:SS",
    "datetime_from_date_parsing": "时间格式应为 YYYY-MM-DD HH:MM:SS",
    "datetime_type": "时间格式应为 YYYY-MM-DD HH:MM:SS",
    "greater_than_equal": "数值过小",
    "less_than_equal": "数值过大",
    "greater_than": "数值过小",
    "less_than": "数值过大",
    "json_invalid": "请求体不是有效的 JSON",
    "string_pattern_mismatch": "格式不正确",
    "extra_forbidden": "不支持的字段",
    "value_error": "取值不正确",
}


def field_path(loc) -> str | None:
    """pydantic's loc without the parameter-source prefix ninja adds ("body", "payload", "query")."""
    parts = [str(p) for p in loc]
    while parts and parts[0] in ("body", "payload", "query", "path", "data"):
        parts = parts[1:]
    return ".".join(parts) or None


def schema_error_payload(errors: list[dict]) -> dict:
    details = []
    for error in errors:
        field = field_path(error.get("loc", ()))
        message = SCHEMA_MESSAGES.get(error.get("type", ""), "取值不正确")
        ctx = error.get("ctx") or {}
        if error.get("type") == "value_error" and ctx.get("error"):
            message = str(ctx["error"])
        details.append({"field": field, "message": f"{field}：{message}" if field else message})
    first = details[0] if details else {"field": None, "message": "请求参数不正确"}
    return {"code": "invalid", "message": first["message"], "field": first["field"], "errors": details}


# --- the database is unreachable (restart, failover, a lock held too long) ----------------------
# The request changed nothing that a retry could duplicate: every action runs in one transaction,
# and the punch ingest answers a resent punch "duplicate". So the client is told to retry.
RETRY_AFTER_SECONDS = 5
SERVICE_UNAVAILABLE = {"code": "service_unavailable", "message": "服务暂时不可用，请稍后重试", "field": None}
SERVER_ERROR = {"code": "server_error", "message": "服务器内部错误，请联系技术服务支持。", "field": None}


def database_unavailable(exc: BaseException | None) -> bool:
    """A lost or refused database connection, or a lock wait that timed out (SQLite)."""
    from django.db import InterfaceError, OperationalError

    return isinstance(exc, (OperationalError, InterfaceError))


def unavailable_response():
    """JSON 503 with Retry-After: what an API client sees while the database is unreachable."""
    from django.http import JsonResponse

    response = JsonResponse(SERVICE_UNAVAILABLE, status=503, json_dumps_params={"ensure_ascii": False})
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


# Answers Django gives outside the API's views (an unknown path, a method a path does not take, a
# request it cannot parse), in the API's own JSON: a client never has to read an HTML page.
STATUS_ERRORS = {
    400: ("bad_request", "请求无法解析。"),
    403: ("forbidden", "无权访问。"),
    404: ("not_found", "资源不存在或无权访问。"),
    405: ("method_not_allowed", "该接口不支持此请求方法。"),
}


def status_response(status: int):
    """The API's JSON error for an HTTP status Django answered by itself."""
    from django.http import JsonResponse

    code, message = STATUS_ERRORS[status]
    return JsonResponse(
        {"code": code, "message": message, "field": None},
        status=status,
        json_dumps_params={"ensure_ascii": False},
    )


def uncaught_error_response(exc: BaseException | None):
    """The API's answer to an exception raised outside its views (e.g. in a middleware): JSON, never
    the HTML error page; 503 + Retry-After when the database was unreachable, else 500."""
    from django.http import JsonResponse

    if database_unavailable(exc):
        return unavailable_response()
    return JsonResponse(SERVER_ERROR, status=500, json_dumps_params={"ensure_ascii": False})


def error_500(request):
    """The root's handler500. An exception outside the API's views (a middleware's database query)
    still answers API clients in JSON; every other path gets the HTML page of the shell."""
    if request.path_info.startswith("/api/"):
        return uncaught_error_response(sys.exception())
    return core_views.error_500(request)


def _json_under_api(status: int, page):
    def handler(request, exception=None):
        if request.path_info.startswith("/api/"):
            return status_response(status)
        return page(request, exception)

    return handler


# The root's handler400/403/404: under /api/ every answer is the API's JSON error (a `%2f` in a
# path, an unknown path, a refused Host); elsewhere the shell's HTML pages.
error_400 = _json_under_api(400, core_views.error_400)
error_403 = _json_under_api(403, core_views.error_403)
error_404 = _json_under_api(404, core_views.error_404)
