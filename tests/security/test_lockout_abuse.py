"""Malicious account lockout behind the documented proxy (ASVS 6.1.1; docs/deploy.md runs the
platform behind one reverse proxy, TRUSTED_PROXY_COUNT=1, which appends the caller's address to
X-Forwarded-For). Project usernames are xm + 项目编码, so an attacker can guess them."""

from __future__ import annotations

import json

import pytest
from axes.models import AccessAttempt

from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db

APP_LOGIN = "/api/v1/auth/token"
WEB_LOGIN = "/accounts/login/"
PROXY = "127.0.0.1"  # every request reaches the platform from the proxy


@pytest.fixture(autouse=True)
def behind_the_proxy(settings):
    settings.TRUSTED_PROXY_COUNT = 1


def app_login(client, username, password, address):
    return client.post(
        APP_LOGIN,
        json.dumps({"username": username, "password": password}),
        content_type="application/json",
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=address,
    )


def test_failures_from_five_addresses_do_not_lock_the_owner_out(client, project_user, settings):
    for n in range(settings.AXES_FAILURE_LIMIT):
        response = app_login(client, project_user.username, f"guess-{n}", f"203.0.113.{n + 1}")
        assert response.status_code == 401, response.content
    # The lockout counts each (username, caller address) pair, not the proxy's address.
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {
        f"203.0.113.{n + 1}" for n in range(settings.AXES_FAILURE_LIMIT)
    }

    owner = "198.51.100.7"
    web = client.post(
        WEB_LOGIN,
        {
            "username": project_user.username,
            "password": TEST_PASSWORD,
            "captcha_0": "k",
            "captcha_1": "PASSED",
        },
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=owner,
    )
    assert web.status_code == 302 and client.session.get("_auth_user_id") == str(project_user.pk)
    assert app_login(client, project_user.username, TEST_PASSWORD, owner).status_code == 200


def test_five_failures_from_one_address_still_lock_that_address(client, project_user, settings):
    attacker = "203.0.113.9"
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert app_login(client, project_user.username, "guess", attacker).status_code == 401
    assert app_login(client, project_user.username, "guess", attacker).json()["code"] == "locked_out"
    assert app_login(client, project_user.username, TEST_PASSWORD, "198.51.100.7").status_code == 200


def test_one_address_trying_many_usernames_gets_429(client, settings, monkeypatch):
    # The limiter counts in fixed windows: hold its clock mid-minute, so that a slow run never
    # straddles two windows and starts counting again.
    from types import SimpleNamespace

    from django.utils import timezone

    from jmzhgd.core import ratelimit

    held = timezone.now().replace(second=30, microsecond=0)
    monkeypatch.setattr(ratelimit, "timezone", SimpleNamespace(now=lambda: held))
    limit = settings.RATE_LIMITS["/api/v1/auth/token"][0]
    attacker = "203.0.113.50"
    answers = [app_login(client, f"xm44070{n:04d}", "123456", attacker) for n in range(limit)]
    assert {a.status_code for a in answers} == {401}
    refused = app_login(client, "xm440709999", "123456", attacker)
    assert refused.status_code == 429 and refused["Retry-After"] == "60"
    assert refused.json() == {
        "code": "rate_limited",
        "message": "请求过于频繁，请 1 分钟后再试。",
        "field": None,
    }
    # Another address is not slowed down by it.
    assert app_login(client, "xm440709999", "123456", "203.0.113.51").status_code == 401


def test_strangers_on_many_addresses_do_not_lock_the_owner_out_of_the_app(client, project_user, settings):
    """Nine (or any number of) addresses trying the owner's username each keep their own count: the
    owner's phone, on its own address, still logs in (the web login's account + address pairing)."""
    limit, seconds = settings.API_LOGIN_USERNAME_RATE_LIMIT
    for n in range(limit + 2):
        assert app_login(client, project_user.username, "guess", f"192.0.2.{n + 1}").status_code == 401
    assert app_login(client, project_user.username, TEST_PASSWORD, "198.51.100.7").status_code == 200


def test_one_address_trying_one_username_too_often_gets_429(client, project_user, settings):
    limit, seconds = settings.API_LOGIN_USERNAME_RATE_LIMIT
    settings.AXES_FAILURE_LIMIT = limit + 5  # the count under test, not the lockout, answers first
    for _ in range(limit):
        assert app_login(client, project_user.username, "guess", "192.0.2.9").status_code == 401
    refused = app_login(client, project_user.username.upper(), TEST_PASSWORD, "192.0.2.9")
    assert refused.status_code == 429 and refused["Retry-After"] == str(seconds)
    body = refused.json()
    assert body["code"] == "rate_limited" and body["field"] == "username" and "过于频繁" in body["message"]
