"""The platform's JSON API (docs/requirements.md §10): the NinjaAPI instance, its error answers and the app login.

It sits on the top floor (README "Floors") because it gathers every app's router; the API's own
shell (credentials, signing, errors, schemas) is jmzhgd.api, below the apps that use it.

Each app contributes a router from its `api.py` (workforce: persons and roster; attendance:
punches and devices). Docs are served from django-ninja's bundled static files (no CDN); the
Swagger UI's online validator badge is switched off so the page makes no outside request.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth import authenticate
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import InterfaceError, OperationalError
from django.http import Http404
from ninja import NinjaAPI, Schema, Swagger
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.renderers import JSONRenderer
from pydantic import Field

from jmzhgd.api import idempotency, services
from jmzhgd.api.auth import check_body_size
from jmzhgd.api.docs import DESCRIPTION
from jmzhgd.api.errors import ApiError, schema_error_payload, unavailable_response
from jmzhgd.api.schemas import ErrorOut
from jmzhgd.core import ratelimit
from jmzhgd.core.actor import Actor, client_ip

logger = logging.getLogger(__name__)


class ReadableJSONRenderer(JSONRenderer):
    """Chinese messages as text, not \\u escapes: vendors read these answers in their logs."""

    json_dumps_params = {"ensure_ascii": False}


api = NinjaAPI(
    renderer=ReadableJSONRenderer(),
    title="江门市智慧工地实名制管理平台接口",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api-1",
    docs=Swagger(settings={"validatorUrl": None, "defaultModelsExpandDepth": -1}),
    docs_url="/docs",
)
# Every signed write runs in one transaction with its nonce; its resend gets the stored answer.
api.add_decorator(idempotency.idempotent, mode="view")


def _json(request, status: int, payload: dict):
    return api.create_response(request, payload, status=status)


@api.exception_handler(ApiError)
def _api_error(request, exc: ApiError):
    response = _json(request, exc.status, exc.payload())
    for name, value in exc.headers.items():
        response[name] = value
    return response


@api.exception_handler(idempotency.ReplayedRequest)
def _replayed(request, exc: idempotency.ReplayedRequest):
    return idempotency.replay_response(exc.stored)


@api.exception_handler(NinjaValidationError)
def _schema_error(request, exc: NinjaValidationError):
    return _json(request, 422, schema_error_payload(exc.errors))


@api.exception_handler(AuthenticationError)
def _unauthenticated(request, exc):
    return _json(
        request,
        401,
        {"code": "unauthenticated", "message": "缺少签名请求头（X-App-Key 等）或令牌。", "field": None},
    )


@api.exception_handler(HttpError)
def _http_error(request, exc: HttpError):
    # ninja raises HttpError(400) only for a body it cannot parse; its message is English.
    if exc.status_code == 400:
        return _json(
            request,
            400,
            {"code": "bad_json", "message": "请求体不是有效的 JSON（UTF-8 编码）。", "field": None},
        )
    return _json(request, exc.status_code, {"code": "http_error", "message": "请求无法处理。", "field": None})


@api.exception_handler(Http404)
def _not_found(request, exc):
    return _json(request, 404, {"code": "not_found", "message": "资源不存在或无权访问。", "field": None})


@api.exception_handler(RequestDataTooBig)
def _too_big(request, exc):
    limit = settings.API_MAX_BODY_BYTES // (1024 * 1024)
    return _json(
        request, 413, {"code": "body_too_large", "message": f"请求体不能超过 {limit} MB。", "field": None}
    )


@api.exception_handler(OperationalError)
@api.exception_handler(InterfaceError)
def _database_unavailable(request, exc):
    """The database connection was lost or a lock wait timed out: the transaction rolled back, so a
    JSON 503 with Retry-After tells the client to send the same request again."""
    logger.error("API %s %s: database unavailable: %s", request.method, request.path, exc)
    return unavailable_response()


@api.exception_handler(DjangoValidationError)
def _django_validation_error(request, exc: DjangoValidationError):
    """An action refused the input: the first message, naming its field when the action did."""
    if hasattr(exc, "error_dict"):
        field, errors = next(iter(exc.message_dict.items()))
        field = None if field == "__all__" else field
        message = errors[0]
    else:
        field, message = None, exc.messages[0]
    return _json(request, 422, {"code": "invalid", "message": message, "field": field})


class LoginIn(Schema):
    username: str = Field(..., max_length=150, description="项目账号")
    password: str = Field(..., max_length=128, description="密码")


class TokenOut(Schema):
    token: str = Field(..., description="令牌，请求头 Authorization: Bearer <token>")
    expiresIn: int = Field(..., description="有效期（秒）")
    projectId: int = Field(..., description="项目ID")
    projectName: str


@api.post(
    "/auth/token",
    response={
        200: TokenOut,
        400: ErrorOut,
        401: ErrorOut,
        403: ErrorOut,
        413: ErrorOut,
        422: ErrorOut,
        429: ErrorOut,
    },
    tags=["采集APP登录"],
    summary="采集APP用项目账号登录，取得短期令牌",
    description=(
        "与网页登录使用同一账号和同一锁定规则：连续输错密码后该账号在本机被暂时锁定（返回 429）。"
        "同一地址或同一账号在短时间内登录次数过多时返回 429 和 Retry-After。"
    ),
)
def login(request, payload: LoginIn):
    check_body_size(request)
    _limit_attempts_per_username(request, payload.username)
    user = authenticate(request=request, username=payload.username, password=payload.password)
    if user is None:
        if getattr(request, "axes_locked_out", False):
            # Answer in JSON ourselves; the lockout middleware would otherwise swap in the login page.
            request.axes_locked_out = False
            minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
            raise ApiError(
                429,
                "locked_out",
                f"登录失败次数过多，该账号在本机已被锁定，请 {minutes} 分钟后再试。如需帮助请联系技术服务支持。",
                "username",
            )
        raise ApiError(401, "login_failed", "账号或密码不正确。", "password")
    if not user.is_project_user:
        raise ApiError(403, "not_project_account", "只有项目账号可以登录采集APP。", "username")
    if user.must_change_password:
        raise ApiError(403, "password_change_required", "请先登录平台网页修改初始密码。", "password")
    actor = Actor(user=user, ip=client_ip(request))
    token, record = services.issue_token(actor, user)
    return {
        "token": token,
        "expiresIn": settings.API_TOKEN_TTL_SECONDS,
        "projectId": user.project_id,
        "projectName": user.project.name,
    }


def _limit_attempts_per_username(request, username: str) -> None:
    """Attempts on one username from one address (the web login's account + address pairing; the
    per-address limit over all usernames is the rate-limit middleware's). A limit on the username
    alone, over every address, let nine strangers lock the owner's app out for ten minutes: the
    owner's own address keeps its own count (ASVS 6.1.1, docs/security.md)."""
    limit, seconds = settings.API_LOGIN_USERNAME_RATE_LIMIT
    rule = ratelimit.Rule("api-login-username", limit, seconds)
    if ratelimit.over_limit(f"{username.strip().lower()}|{client_ip(request)}", rule):
        raise ApiError(
            429,
            "rate_limited",
            f"该账号在本机登录尝试过于频繁，{ratelimit.limited_message(rule)}",
            "username",
            headers={"Retry-After": str(seconds)},
        )


def _mount_routers() -> None:
    from attendance.api import router as attendance_router
    from wages.api import router as wages_router
    from workforce.api import router as workforce_router

    api.add_router("/", workforce_router)
    api.add_router("/", attendance_router)
    api.add_router("/", wages_router)


_mount_routers()
