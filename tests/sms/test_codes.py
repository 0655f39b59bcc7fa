"""SMS one-time codes: five minutes, used once, limited per phone and per address, never logged;
the Tencent Cloud adapter speaks the provider's SendSms to a local fake."""

from __future__ import annotations

import datetime
import json
import logging
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from jmzhgd.sms import codes
from jmzhgd.sms.backends import MemoryBackend
from jmzhgd.sms.models import VerificationCode

pytestmark = pytest.mark.django_db
PHONE = "13800138000"


@pytest.fixture(autouse=True)
def outbox():
    MemoryBackend.outbox.clear()
    return MemoryBackend.outbox


def last_code(outbox) -> str:
    return outbox[-1][1].split("验证码为 ")[1][:6]


def test_a_code_sent_to_the_phone_verifies_once(outbox):
    record = codes.send_code(PHONE, "sign", "10.0.0.1")
    assert outbox[0][0] == PHONE and "5 分钟内有效" in outbox[0][1]
    assert codes.verify_code(PHONE, "sign", last_code(outbox)).pk == record.pk
    with pytest.raises(ValidationError, match="验证码无效"):
        codes.verify_code(PHONE, "sign", last_code(outbox))


def test_a_wrong_code_is_refused_and_five_wrong_tries_void_it(outbox):
    codes.send_code(PHONE, "sign", "10.0.0.1")
    code = last_code(outbox)
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    for _ in range(codes.MAX_ATTEMPTS):
        with pytest.raises(ValidationError, match="验证码不正确"):
            codes.verify_code(PHONE, "sign", wrong)
    with pytest.raises(ValidationError, match="验证码已失效"):
        codes.verify_code(PHONE, "sign", code)


def test_a_code_expires_after_five_minutes(outbox, monkeypatch):
    codes.send_code(PHONE, "sign", "10.0.0.1")
    later = timezone.now() + datetime.timedelta(minutes=5, seconds=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    with pytest.raises(ValidationError, match="验证码已失效"):
        codes.verify_code(PHONE, "sign", last_code(outbox))


def test_a_code_for_another_purpose_or_phone_does_not_verify(outbox):
    codes.send_code(PHONE, "sign", "10.0.0.1")
    with pytest.raises(ValidationError):
        codes.verify_code(PHONE, "lookup", last_code(outbox))
    with pytest.raises(ValidationError):
        codes.verify_code("13900139000", "sign", last_code(outbox))


def test_one_phone_gets_one_code_a_minute(outbox):
    codes.send_code(PHONE, "sign", "10.0.0.1")
    with pytest.raises(ValidationError, match="过于频繁"):
        codes.send_code(PHONE, "sign", "10.0.0.2")
    assert len(outbox) == 1


def test_one_address_is_limited_across_phones(outbox, settings):
    settings.SMS_IP_LIMIT = (2, 3600)
    codes.send_code("13800138001", "sign", "10.0.0.9")
    codes.send_code("13800138002", "sign", "10.0.0.9")
    with pytest.raises(ValidationError, match="过于频繁"):
        codes.send_code("13800138003", "sign", "10.0.0.9")
    assert len(outbox) == 2


def test_neither_phone_nor_code_is_logged_or_stored(outbox, caplog):
    caplog.set_level(logging.DEBUG)
    codes.send_code(PHONE, "sign", "10.0.0.1")
    code = last_code(outbox)
    codes.verify_code(PHONE, "sign", code)
    assert PHONE not in caplog.text and code not in caplog.text
    stored = json.dumps(list(VerificationCode.objects.values()), default=str)
    assert PHONE not in stored and code not in stored


class FakeTencent(BaseHTTPRequestHandler):
    """Answers SendSms as Tencent Cloud documents it (SendStatusSet per number)."""

    requests: list[tuple[dict, dict]] = []
    answer_code = "Ok"

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        FakeTencent.requests.append((dict(self.headers), body))
        status = {"Code": FakeTencent.answer_code, "Message": "x", "PhoneNumber": body["PhoneNumberSet"][0]}
        payload = {"Response": {"SendStatusSet": [status], "RequestId": "fake-1"}}
        data = json.dumps(payload).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):  # the fake must not print the phone either
        pass


@pytest.fixture
def tencent(settings):
    server = HTTPServer(("127.0.0.1", 0), FakeTencent)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.SMS_BACKEND = "jmzhgd.sms.backends.TencentBackend"
    settings.SMS_TENCENT_ENDPOINT = f"127.0.0.1:{server.server_port}"
    settings.SMS_TENCENT_SCHEME = "http"
    settings.SMS_TENCENT_SECRET_ID, settings.SMS_TENCENT_SECRET_KEY = "AKIDtest", "secret"
    settings.SMS_TENCENT_APP_ID, settings.SMS_TENCENT_SIGN_NAME = "1400000000", "江门智慧工地"
    settings.SMS_TENCENT_TEMPLATE_ID = "100001"
    FakeTencent.requests.clear()
    FakeTencent.answer_code = "Ok"
    yield FakeTencent
    server.shutdown()


def test_the_tencent_adapter_sends_the_template_with_the_code(tencent):
    codes.send_code(PHONE, "sign", "10.0.0.1")
    headers, body = tencent.requests[0]
    assert headers["X-TC-Action"] == "SendSms" and headers["Authorization"].startswith("TC3-HMAC-SHA256")
    assert body["PhoneNumberSet"] == ["+8613800138000"] and body["TemplateId"] == "100001"
    assert body["SmsSdkAppId"] == "1400000000" and body["TemplateParamSet"][1] == "5"
    assert len(body["TemplateParamSet"][0]) == 6


def test_a_refused_message_is_a_chinese_error_and_the_code_is_void(tencent):
    tencent.answer_code = "LimitExceeded.PhoneNumberDailyLimit"
    with pytest.raises(ValidationError, match="未能发出（LimitExceeded.PhoneNumberDailyLimit）"):
        codes.send_code(PHONE, "sign", "10.0.0.1")
    assert VerificationCode.objects.get().expires_at <= timezone.now()
