"""When the provincial sync is on, its configuration must be complete and the AES key usable: a bad
key would otherwise show only at the first send, as records parked for a reason nobody can fix."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, Tags, register

from .crypto import key_problem


@register(Tags.security)
def check_province_settings(app_configs, **kwargs):
    if not getattr(settings, "PROVINCE_SYNC_ENABLED", False):
        return []
    errors = []
    for name in ("PROVINCE_ENDPOINT", "PROVINCE_APPID", "PROVINCE_SECRET"):
        if not getattr(settings, name, ""):
            errors.append(Error(f"已启用省平台数据对接，但 {name} 未配置。", id="exchange.E001"))
    endpoint = getattr(settings, "PROVINCE_ENDPOINT", "")
    if endpoint and not endpoint.startswith(("https://", "http://")):
        errors.append(Error("PROVINCE_ENDPOINT 应为 http(s):// 开头的地址。", id="exchange.E001"))
    problem = key_problem(getattr(settings, "PROVINCE_AES_KEY", ""))
    if problem:
        errors.append(
            Error(
                f"PROVINCE_AES_KEY {problem}。",
                hint="使用省平台下发的 32 位密钥（AES-256/CBC/PKCS7，前 16 位为 IV）。",
                id="exchange.E001",
            )
        )
    return errors
