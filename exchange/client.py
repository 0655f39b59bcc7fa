"""The HTTP side of the exchange: one signed form POST per call (docs/domain.md §2.1)."""

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


class TransientError(Exception):
    """The province could not be reached or answered 5xx: try again later, refuse nothing."""


class ProvinceError(Exception):
    """The province answered code != 0: it refuses the request, with its own message."""


@dataclass
class ProvinceClient:
    endpoint: str
    appid: str
    secret: str
    aes_key: str

    @classmethod
    def from_settings(cls) -> ProvinceClient:
        return cls(
            endpoint=settings.PROVINCE_ENDPOINT,
            appid=settings.PROVINCE_APPID,
            secret=settings.PROVINCE_SECRET,
            aes_key=settings.PROVINCE_AES_KEY,
        )

    def cipher(self) -> FieldCipher:
        return FieldCipher(self.aes_key)

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
            raise ProvinceError(str(answer.get("message") or "省平台拒绝了请求（未说明原因）")[:500])
        return answer.get("data") or {}

    def submit(self, method: str, data: dict) -> str:
        """Send a write; the province answers a request serial code to poll."""
        serial = self.call(method, data).get("requestSerialCode")
        if not serial:
            raise TransientError("省平台未返回请求流水号（requestSerialCode）")
        return str(serial)

    def result(self, serial: str) -> dict:
        """AsyncHandleResult.Query: {"status": "0"|"10"|"20", "result": …}."""
        return self.call("AsyncHandleResult.Query", {"requestSerialCode": serial})
