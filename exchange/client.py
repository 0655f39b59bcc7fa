"""The HTTP side of the exchange: one signed form POST per call (docs/domain.md §2.1).

Each project talks to the province under its own credentials (models.ProvinceCredential): appid =
the project's national code, the secret signs, and the same secret is the AES key of the numbers
unless the deployment sets PROVINCE_AES_KEY (docs/deploy.md, 数据对接).
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from .crypto import FieldCipher, sign

TIMEOUT_SECONDS = 30
# Answers that say the province itself is in trouble, not that the record is wrong: tried again.
TRANSIENT_MESSAGES = ("internal error", "系统繁忙", "系统异常", "服务暂不可用", "请稍后重试", "timeout")


class TransientError(Exception):
    """The province could not be reached, answered 5xx or a fault of its own: try again later."""


class ProvinceError(Exception):
    """The province answered code != 0: it refuses the request, with its own message."""


def is_transient(message) -> bool:
    text = str(message or "").lower()
    return any(word in text for word in TRANSIENT_MESSAGES)


def parse_result(value):
    """AsyncHandleResult's `result` as the province sends it: an object, an array (Payroll), or a
    string holding either (public clients read it as a string of JSON). A plain string stays one."""
    if isinstance(value, str):
        text = value.strip()
        if text[:1] in ("{", "["):
            try:
                return json.loads(text)
            except ValueError:
                return value
    return value


@dataclass
class ProvinceClient:
    endpoint: str
    appid: str
    secret: str
    aes_key: str = ""  # empty: the secret is the AES key

    @classmethod
    def for_project(cls, project) -> ProvinceClient | None:
        """The project's client, or None while the province or the project's credentials are missing."""
        if not (settings.PROVINCE_SYNC_ENABLED and settings.PROVINCE_ENDPOINT):
            return None
        return cls.with_credentials(project)

    @classmethod
    def with_credentials(cls, project) -> ProvinceClient | None:
        """The project's credentials, whether or not sending is on (the manual-upload file needs
        only the AES key); None when the project has none."""
        from .models import ProvinceCredential

        credential = ProvinceCredential.objects.filter(project=project).first()
        if credential is None:
            return None
        return cls(settings.PROVINCE_ENDPOINT, credential.appid, credential.secret, settings.PROVINCE_AES_KEY)

    @property
    def field_key(self) -> str:
        return self.aes_key or self.secret

    def cipher(self) -> FieldCipher:
        return FieldCipher(self.field_key)

    def signed_params(self, method: str, data: dict) -> dict[str, str]:
        params = {
            "appid": self.appid,
            "format": "json",
            "method": method,
            "version": "1.0",
            "timestamp": timezone.localtime().strftime("%Y%m%d%H%M%S"),
            "nonce": uuid.uuid4().hex,
            "data": json.dumps(data, ensure_ascii=False, separators=(",", ":")),
        }
        params["sign"] = sign(params, self.secret)
        return params

    def call(self, method: str, data: dict) -> dict:
        """The `data` of the province's answer; TransientError or ProvinceError otherwise."""
        body = urllib.parse.urlencode(self.signed_params(method, data)).encode("utf-8")
        request = urllib.request.Request(
            self.endpoint,
            data=body,
            headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
                answer = json.loads(response.read().decode("utf-8"))
        except urllib.error.HTTPError as exc:
            raise TransientError(f"省平台返回 HTTP {exc.code}") from exc
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise TransientError(f"无法连接省平台：{exc}") from exc
        except ValueError as exc:
            raise TransientError("省平台返回的内容不是 JSON") from exc
        if not isinstance(answer, dict):
            raise TransientError("省平台返回的内容格式不正确")
        if str(answer.get("code")) != "0":
            message = str(answer.get("message") or "省平台拒绝了请求（未说明原因）")[:500]
            if is_transient(message):
                raise TransientError(f"省平台暂时故障：{message}")
            raise ProvinceError(message)
        return parse_result(answer.get("data")) or {}

    def submit(self, method: str, data: dict) -> str:
        """Send a write; the province answers a request serial code to poll."""
        answer = self.call(method, data)
        serial = answer.get("requestSerialCode") if isinstance(answer, dict) else None
        if not serial:
            raise TransientError("省平台未返回请求流水号（requestSerialCode）")
        return str(serial)

    def result(self, serial: str) -> dict:
        """AsyncHandleResult.Query: {"status": "0"|"10"|"20", "result": object, array or text}."""
        answer = self.call("AsyncHandleResult.Query", {"requestSerialCode": serial})
        if not isinstance(answer, dict):
            raise TransientError("省平台返回的处理结果格式不正确")
        return {**answer, "result": parse_result(answer.get("result"))}
