"""The admin signs in through the platform's login: captcha, lockout and rate limit (ASVS 6.1.1).
The admin's own login form had none of them, and an over-long username was a 500 on PostgreSQL."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt

from jmzhgd.core.models import AuditLog
from tests.factories import TEST_PASSWORD, AdminFactory

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


def login_data(username, password=TEST_PASSWORD):
    return {"username": username, "password": password, "captcha_0": "k", "captcha_1": "PASSED"}


def test_the_admin_login_page_sends_to_the_platforms_login_with_next(client):
    response = client.get("/admin/login/", {"next": "/admin/accounts/user/"})
    assert response.status_code == 302
    assert response.url == "/accounts/login/?next=/admin/accounts/user/"
    # Opening an admin page signed out ends up there too.
    assert client.get("/admin/", follow=True).redirect_chain[-1][0] == "/accounts/login/?next=/admin/"


def test_posting_passwords_to_the_admin_login_tries_none(client):
    admin_user = AdminFactory()
    for password in [TEST_PASSWORD] + [f"guess-{n}" for n in range(39)]:
        response = client.post("/admin/login/", {"username": admin_user.username, "password": password})
        assert response.status_code == 302 and response.url.startswith(LOGIN)
    long_name = client.post("/admin/login/", {"username": "x" * 300, "password": "x"})
    assert long_name.status_code == 302
    assert "_auth_user_id" not in client.session
    assert not AccessAttempt.objects.exists()
    assert not AuditLog.objects.filter(action__startswith="auth.").exists()


def test_staff_reach_the_admin_through_the_platforms_login(client):
    admin_user = AdminFactory()
    response = client.post(f"{LOGIN}?next=/admin/", login_data(admin_user.username), follow=True)
    assert response.redirect_chain[-1][0] == "/admin/" and response.status_code == 200
    assert "系统管理" in response.content.decode()


def test_an_account_without_admin_rights_is_told_so_instead_of_looping(client, project_user):
    client.force_login(project_user)
    response = client.get("/admin/", follow=True)
    assert response.status_code == 403 and "没有系统管理权限" in response.content.decode()


def test_next_never_leads_off_the_site(client):
    client.force_login(AdminFactory())
    response = client.get("/admin/login/", {"next": "https://evil.example/"})
    assert response.status_code == 302 and response.url == "/admin/"


def test_an_over_long_username_is_answered_with_a_message_and_records_nothing(client):
    # On PostgreSQL the failure used to reach axes' 255-character column.
    response = client.post(LOGIN, login_data("x" * 300, password="x"))
    assert response.status_code == 200
    assert "账号不能超过 150 个字符" in response.content.decode()
    assert not AccessAttempt.objects.exists()
    assert not AuditLog.objects.filter(action="auth.login_failed").exists()
