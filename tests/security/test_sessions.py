"""OWASP ASVS 5.0 V6/V7: login, session rotation, termination (docs/security.md)."""

from __future__ import annotations

import json
import re

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.test import Client
from django.urls import reverse

from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


def login_data(username, password=TEST_PASSWORD):
    return {"username": username, "password": password, "captcha_0": "k", "captcha_1": "PASSED"}


def overview(user):
    return reverse("projects:overview", args=[user.project_id])


def test_login_issues_a_new_session_key_and_drops_the_anonymous_one(client, project_user):
    """V7.2.4: a session id planted before login (fixation) is not the one that gets authenticated."""
    client.get(LOGIN)
    session = client.session
    session["planted"] = "x"
    session.save()
    before = session.session_key
    client.cookies[settings.SESSION_COOKIE_NAME] = before

    assert client.post(LOGIN, login_data(project_user.username)).status_code == 302
    after = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert after != before
    assert not SessionStore().exists(before)
    assert client.get(overview(project_user)).status_code == 200


def test_the_session_cookie_is_httponly_and_samesite_lax(client, project_user):
    """Cookie attributes of the session set at login (V7.2 / the cookie rules ASVS keeps in V3)."""
    client.post(LOGIN, login_data(project_user.username))
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    assert cookie["max-age"] == 8 * 3600


def test_logout_destroys_the_session_on_the_server(client, project_user):
    """V7.4.1: the old cookie replayed after logout is anonymous."""
    client.post(LOGIN, login_data(project_user.username))
    old_key = client.cookies[settings.SESSION_COOKIE_NAME].value
    client.post(reverse("accounts:logout"))
    assert not SessionStore().exists(old_key)
    replay = Client()
    replay.cookies[settings.SESSION_COOKIE_NAME] = old_key
    response = replay.get(overview(project_user))
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))


def test_a_password_change_logs_out_every_other_session_but_keeps_this_one(project_user):
    """V7.4.3: changing the password ends the account's other sessions (Django's session auth hash)."""
    here, elsewhere = Client(), Client()
    for browser in (here, elsewhere):
        assert browser.post(LOGIN, login_data(project_user.username)).status_code == 302
        assert browser.get(overview(project_user)).status_code == 200

    response = here.post(
        reverse("accounts:password_change"),
        {
            "old_password": TEST_PASSWORD,
            "new_password1": "Wuyi-Bridge#2027",
            "new_password2": "Wuyi-Bridge#2027",
        },
    )
    assert response.status_code == 302
    assert here.get(overview(project_user)).status_code == 200
    kicked = elsewhere.get(overview(project_user))
    assert kicked.status_code == 302 and kicked.url.startswith(reverse("accounts:login"))


def test_password_change_needs_the_current_password(client, project_user):
    """V6.2.3."""
    client.force_login(project_user)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": "not-it", "new_password1": "Wuyi-Bridge#2027", "new_password2": "Wuyi-Bridge#2027"},
    )
    assert response.status_code == 200 and "原密码不正确" in response.content.decode()
    project_user.refresh_from_db()
    assert project_user.check_password(TEST_PASSWORD)


@pytest.mark.parametrize(
    "password, accepted",
    [("Jm#2026", False), ("password123", False), ("江门工地实名制管理平台二〇二六年启用", True)],
)
def test_password_rules_are_length_and_common_passwords_not_composition(
    client, project_user, password, accepted
):
    """V6.2.1 (8 characters at least), V6.2.4 (common passwords refused), V6.2.5 (no composition rules:
    a long Chinese passphrase without digits or symbols is accepted)."""
    client.force_login(project_user)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": TEST_PASSWORD, "new_password1": password, "new_password2": password},
    )
    assert (response.status_code == 302) is accepted


def test_a_64_character_password_is_accepted_exactly_as_typed(client, project_user):
    """V6.2.9 (64 characters allowed) and V6.2.8 (no truncation or case change)."""
    long_password = "Aa1 " * 16
    client.force_login(project_user)
    client.post(
        reverse("accounts:password_change"),
        {"old_password": TEST_PASSWORD, "new_password1": long_password, "new_password2": long_password},
    )
    project_user.refresh_from_db()
    assert project_user.check_password(long_password)
    assert not project_user.check_password(long_password[:-1])
    assert not project_user.check_password(long_password.lower())


def test_disabling_an_account_ends_its_web_session_and_its_app_token(client, project_user, project):
    """V7.4.2: a disabled account can use neither its open browser session nor its collection-app token."""
    client.post(LOGIN, login_data(project_user.username))
    api = Client()
    token = api.post(
        "/api/v1/auth/token",
        json.dumps({"username": project_user.username, "password": TEST_PASSWORD}),
        content_type="application/json",
    ).json()["token"]
    roster = f"/api/v1/projects/{project.pk}/roster"
    assert api.get(roster, HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 200

    project_user.is_active = False
    project_user.save(update_fields=["is_active"])

    response = client.get(overview(project_user))
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))
    assert api.get(roster, HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 401


def test_a_session_in_constant_use_still_ends_at_the_absolute_lifetime(client, project_user, settings):
    """V7.3.2: SESSION_SAVE_EVERY_REQUEST slides the 8-hour inactivity timeout, so without an absolute
    cap a session used every few minutes would never end. After the cap the user logs in again."""
    import time

    client.post(LOGIN, login_data(project_user.username))
    assert client.get(overview(project_user)).status_code == 200
    old_key = client.cookies[settings.SESSION_COOKIE_NAME].value

    session = client.session
    session["auth_at"] = int(time.time()) - settings.SESSION_ABSOLUTE_MAX_AGE - 1
    session.save()
    response = client.get(overview(project_user))
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))
    assert not SessionStore().exists(old_key)


def test_the_absolute_lifetime_is_longer_than_a_working_day_and_configurable(settings):
    assert settings.SESSION_COOKIE_AGE < settings.SESSION_ABSOLUTE_MAX_AGE <= 24 * 3600


def test_password_fields_are_masked_and_logout_is_on_every_page(client, project_user):
    """V6.2.6 (type=password) and V7.4.4 (a visible logout on authenticated pages, as a POST form)."""
    login_page = client.get(LOGIN).content.decode()
    assert re.search(r'<input[^>]*name="password"[^>]*type="password"', login_page)
    client.force_login(project_user)
    change_page = client.get(reverse("accounts:password_change")).content.decode()
    for name in ("old_password", "new_password1", "new_password2"):
        assert re.search(rf'<input[^>]*type="password"[^>]*name="{name}"', change_page), name
    page = client.get(overview(project_user)).content.decode()
    assert re.search(rf'<form method="post" action="{reverse("accounts:logout")}"', page)


def test_the_documented_production_environment_gives_secure_cookies_and_hsts(tmp_path):
    """The cookie flags that only production turns on (docs/deploy.md §3): the settings module loaded
    with that environment, in a fresh interpreter, sends session and CSRF cookies only over HTTPS."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    from cryptography.fernet import Fernet

    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PII_", "SESSION_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="jmzhgd.settings",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="p" * 60,
        PII_ENCRYPTION_KEYS=Fernet.generate_key().decode(),
        PII_DIGEST_KEY="d" * 60,
        DJANGO_ALLOWED_HOSTS="gd.example.cn",
        DJANGO_SECURE_SSL_REDIRECT="1",
        DJANGO_SECURE_COOKIES="1",
        DJANGO_HSTS_SECONDS="31536000",
        MEDIA_ROOT=str(tmp_path),
    )
    probe = (
        "import json, django; django.setup(); from django.conf import settings as s; print(json.dumps(["
        "s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, s.SESSION_COOKIE_SAMESITE,"
        " s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, s.DEBUG, s.SESSION_ABSOLUTE_MAX_AGE]))"
    )
    root = Path(__file__).resolve().parents[2]
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=root, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == [
        True,
        True,
        True,
        "Lax",
        True,
        31536000,
        False,
        12 * 3600,
    ]


def test_an_administrator_can_end_every_session_and_app_token_of_an_account(project_user, project):
    """V7.4.5: the admin action 强制下线 ends the chosen accounts' browser sessions and app tokens,
    leaves other accounts logged in, and is audit-logged."""
    from jmzhgd.core.models import AuditLog
    from tests.factories import AdminFactory, ProjectUserFactory

    victim, bystander = Client(), Client()
    victim.post(LOGIN, login_data(project_user.username))
    colleague = ProjectUserFactory(project=project, username="colleague-sec")
    bystander.post(LOGIN, login_data(colleague.username))
    token = (
        Client()
        .post(
            "/api/v1/auth/token",
            json.dumps({"username": project_user.username, "password": TEST_PASSWORD}),
            content_type="application/json",
        )
        .json()["token"]
    )

    admin = Client()
    admin.force_login(AdminFactory(username="admin-sec"))
    response = admin.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "end_sessions", "_selected_action": [project_user.pk]},
    )
    assert response.status_code == 302

    kicked = victim.get(overview(project_user))
    assert kicked.status_code == 302 and kicked.url.startswith(reverse("accounts:login"))
    roster = f"/api/v1/projects/{project.pk}/roster"
    assert Client().get(roster, HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 401
    assert bystander.get(overview(colleague)).status_code == 200
    assert admin.get(reverse("admin:index")).status_code == 200
    assert AuditLog.objects.filter(action="auth.sessions_ended", object_id=str(project_user.pk)).exists()
