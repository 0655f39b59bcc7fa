"""SMS gateways behind one small interface: `send(phone, params)` with the template's parameters.

- `ConsoleBackend` (development): writes the message to standard output, never to the logging system,
  and only while DEBUG is on; a production settings file that forgot SMS_BACKEND refuses to send.
- `MemoryBackend` (tests): keeps the messages in `outbox`, like Django's locmem mail backend.
- `TencentBackend`: Tencent Cloud SMS through its own SDK (tencentcloud-sdk-python-sms, SendSms
  2021-01-11). SMS_TENCENT_ENDPOINT and SMS_TENCENT_SCHEME point it at a local fake in the tests.

Messages carry the code and go to the phone; no backend logs either (docs/sms.md).
"""

from __future__ import annotations

import sys
from typing import Protocol

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

from jmzhgd.core.pii import mask_phone


class SmsError(Exception):
    """The gateway did not accept the message (its own code in `code`, never the phone)."""

    def __init__(self, code: str, message: str = ""):
        super().__init__(f"短信发送失败（{code}）{message}")
        self.code = code


class SmsBackend(Protocol):
    def send(self, phone: str, params: list[str]) -> None: ...


def render(params: list[str]) -> str:
    """The verification template's text (as registered with the provider)."""
    return f"您的验证码为 {params[0]}，{params[1]} 分钟内有效。如非本人操作，请忽略本短信。"


class ConsoleBackend:
    def send(self, phone: str, params: list[str]) -> None:
        if not settings.DEBUG:
            raise ImproperlyConfigured("SMS_BACKEND 未配置：控制台短信仅用于开发环境。")
        sys.stdout.write(f"[短信] {mask_phone(phone)}：{render(params)}\n")


class MemoryBackend:
    outbox: list[tuple[str, str]] = []

    def send(self, phone: str, params: list[str]) -> None:
        MemoryBackend.outbox.append((phone, render(params)))


class TencentBackend:
    """SendSms with the template SMS_TENCENT_TEMPLATE_ID and the signature SMS_TENCENT_SIGN_NAME."""

    def send(self, phone: str, params: list[str]) -> None:
        from tencentcloud.common import credential
        from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException
        from tencentcloud.common.profile.client_profile import ClientProfile
        from tencentcloud.common.profile.http_profile import HttpProfile
        from tencentcloud.sms.v20210111 import models, sms_client

        http = HttpProfile(
            protocol=settings.SMS_TENCENT_SCHEME, endpoint=settings.SMS_TENCENT_ENDPOINT, reqTimeout=10
        )
        client = sms_client.SmsClient(
            credential.Credential(settings.SMS_TENCENT_SECRET_ID, settings.SMS_TENCENT_SECRET_KEY),
            settings.SMS_TENCENT_REGION,
            ClientProfile(httpProfile=http),
        )
        request = models.SendSmsRequest()
        request.SmsSdkAppId = settings.SMS_TENCENT_APP_ID
        request.SignName = settings.SMS_TENCENT_SIGN_NAME
        request.TemplateId = settings.SMS_TENCENT_TEMPLATE_ID
        request.TemplateParamSet = params
        request.PhoneNumberSet = [f"+86{phone}"]
        try:
            response = client.SendSms(request)
        except TencentCloudSDKException as exc:
            raise SmsError(exc.get_code() or "network") from None
        status = (response.SendStatusSet or [None])[0]
        if status is None or status.Code != "Ok":
            raise SmsError(status.Code if status else "empty")


def backend() -> SmsBackend:
    return import_string(settings.SMS_BACKEND)()
