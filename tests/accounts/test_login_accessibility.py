"""The login and the captcha for everyone (WCAG 2.1): the captcha has a Chinese text alternative, a real
button for a new picture, and the spoken captcha, synthesised on the server by flite without a network."""

from __future__ import annotations

import re

import pytest
from captcha.models import CaptchaStore
from django.conf import settings

LOGIN = "/accounts/login/"


@pytest.mark.django_db
@pytest.mark.parametrize("url", [LOGIN, "/declare/", "/declare/status/", "/worker/"])
def test_every_captcha_has_a_chinese_alternative_a_refresh_button_and_a_spoken_version(client, url):
    html = client.get(url).content.decode()
    assert 'alt="captcha"' not in html
    assert re.search(r'<img src="/captcha/image/\w+/" alt="验证码图片：[^"]+" class="captcha">', html)
    assert re.search(r'<button type="button"[^>]*data-captcha-refresh="/captcha/refresh/"', html)
    assert 'href="#"' not in html
    assert re.search(r'<a [^>]*href="/captcha/audio/\w+\.wav"[^>]*>.*听语音验证码', html)


@pytest.mark.django_db
def test_the_spoken_captcha_is_a_sound_file_made_on_the_server(client):
    assert settings.CAPTCHA_FLITE_PATH, "flite is missing: scripts/system-packages.sh test installs it"
    html = client.get(LOGIN).content.decode()
    key = re.search(r"/captcha/audio/(\w+)\.wav", html).group(1)
    assert CaptchaStore.objects.filter(hashkey=key).exists()
    response = client.get(f"/captcha/audio/{key}.wav")
    assert response.status_code == 200 and response["Content-Type"] == "audio/wav"
    assert b"".join(response.streaming_content)[:4] == b"RIFF"


@pytest.mark.django_db
def test_the_login_fields_are_described_by_their_messages(client):
    html = client.post(LOGIN, {"captcha_0": "k", "captcha_1": "PASSED"}).content.decode()
    for field, message in (("id_username", "请填写账号。"), ("id_password", "请填写密码。")):
        assert f'aria-invalid="true" aria-describedby="{field}_error"' in html
        assert f'id="{field}_error">{message}</div>' in html


@pytest.mark.django_db
def test_one_address_fetching_spoken_captchas_too_often_is_slowed_down(client, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "captcha-audio": (2, 60, ["GET"])}
    key = CaptchaStore.generate_key()
    for _ in range(2):
        assert client.get(f"/captcha/audio/{key}.wav").status_code == 200
    assert client.get(f"/captcha/audio/{key}.wav").status_code == 429
