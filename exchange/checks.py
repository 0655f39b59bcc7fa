"""When the provincial sync is on, its endpoint must be set and a deployment-wide AES key (if any)
usable: a bad key would otherwise show only at the first send, as records parked for a reason nobody
can fix. Each project's own credentials are checked where they are entered (forms, import)."""

from __future__ import annotations

import os

from django.conf import settings
from django.core.checks import Error, Tags, register

from .crypto import key_problem


@register(Tags.security)
def check_province_settings(app_configs, **kwargs):
    if not getattr(settings, "PROVINCE_SYNC_ENABLED", False):
        return []
    errors = []
    endpoint = getattr(settings, "PROVINCE_ENDPOINT", "")
    if not endpoint:
        errors.append(Error("已启用省平台数据对接，但 PROVINCE_ENDPOINT 未配置。", id="exchange.E001"))
    elif not endpoint.startswith(("https://", "http://")):
        errors.append(Error("PROVINCE_ENDPOINT 应为 http(s):// 开头的地址。", id="exchange.E001"))
    key = getattr(settings, "PROVINCE_AES_KEY", "")
    problem = key_problem(key) if key else None
    if problem:
        errors.append(
            Error(
                f"PROVINCE_AES_KEY {problem}。",
                hint="留空则使用各项目的密钥；仅当省平台统一下发 AES 密钥时填写（32 位，前 16 位为 IV）。",
                id="exchange.E001",
            )
        )
    for name in ("PROVINCE_APPID", "PROVINCE_SECRET"):
        if os.environ.get(name):
            errors.append(
                Error(
                    f"{name} 已不再使用：省平台按项目分配 appid（全国项目编码）和密钥。",
                    hint="在各项目的【数据对接】页录入，或用 manage.py import_province_credentials 导入。",
                    id="exchange.E001",
                )
            )
    return errors
