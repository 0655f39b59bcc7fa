import pytest
from django.urls import reverse
from django.utils import timezone

from jmzhgd.core.models import AuditLog
from tests.factories import TEST_PASSWORD, ProjectUserFactory

LOGIN = "/accounts/login/"


def login_data(username, password=TEST_PASSWORD, captcha="PASSED"):
    return {"username": username, "password": password, "captcha_0": "k", "captcha_1": captcha}


@pytest.mark.django_db
def test_login_page_shows_account_password_and_captcha_image(client):
    response = client.get(LOGIN)
    html = response.content.decode()
    assert response.status_code == 200
    for text in ("账号", "密码", "验证码", "登录", "技术服务支持", "换一张"):
        assert text in html
    assert 'class="captcha"' in html and "/captcha/image/" in html


@pytest.mark.django_db
def test_a_wrong_captcha_is_refused_without_trying_the_password(client, project_user):
    response = client.post(LOGIN, login_data(project_user.username, captcha="WRONG"))
    assert response.status_code == 200
    assert "验证码错误" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert not AuditLog.objects.filter(action="auth.login_failed").exists()


@pytest.mark.django_db
def test_project_user_logs_in_and_lands_on_its_overview(client, project_user):
    response = client.post(LOGIN, login_data(project_user.username), follow=True)
    assert response.redirect_chain[-1][0] == reverse("projects:overview", args=[project_user.project_id])
    assert AuditLog.objects.filter(action="auth.login", actor=project_user).exists()


@pytest.mark.django_db
def test_supervisor_lands_on_the_dashboard(client, supervisor):
    response = client.post(LOGIN, login_data(supervisor.username), follow=True)
    assert response.redirect_chain[-1][0] == reverse("projects:dashboard")


@pytest.mark.django_db
def test_wrong_password_is_audited_and_says_so_in_chinese(client, project_user):
    response = client.post(LOGIN, login_data(project_user.username, password="wrong-password"))
    assert "账号或密码错误" in response.content.decode()
    failure = AuditLog.objects.get(action="auth.login_failed")
    assert project_user.username in failure.summary and failure.ip == "127.0.0.1"


@pytest.mark.django_db
def test_five_failures_lock_the_username_and_ip_pair(client, project_user, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert client.post(LOGIN, login_data(project_user.username, password="bad")).status_code == 200
    locked = client.post(LOGIN, login_data(project_user.username, password="bad"))
    assert locked.status_code == 429
    assert "已被锁定" in locked.content.decode()
    # Even the right password is refused while locked.
    again = client.post(LOGIN, login_data(project_user.username))
    assert again.status_code == 429 and "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_lockout_is_per_username_and_ip(client, project_user, other_user, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(LOGIN, login_data(project_user.username, password="bad"))
    # Another account from the same IP is not locked…
    assert client.post(LOGIN, login_data(other_user.username)).status_code == 302
    client.logout()
    # …and the locked account from another IP is not locked either.
    response = client.post(LOGIN, login_data(project_user.username), REMOTE_ADDR="10.1.2.3")
    assert response.status_code == 302


@pytest.mark.django_db
def test_issued_account_must_change_its_password_first(client, project):
    user = ProjectUserFactory(project=project, must_change_password=True)
    client.post(LOGIN, login_data(user.username))
    overview = reverse("projects:overview", args=[project.pk])
    assert client.get(overview).url == reverse("accounts:password_change")
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": TEST_PASSWORD,
            "new_password1": "Jiangmen#2027new",
            "new_password2": "Jiangmen#2027new",
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert not user.must_change_password and user.check_password("Jiangmen#2027new")
    assert client.get(overview).status_code == 200
    assert AuditLog.objects.filter(action="auth.password_change", actor=user).exists()


@pytest.mark.django_db
def test_new_password_must_differ_from_the_old_one(client, project_user):
    client.force_login(project_user)
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": TEST_PASSWORD,
            "new_password1": TEST_PASSWORD,
            "new_password2": TEST_PASSWORD,
        },
    )
    assert "新密码不能与原密码相同" in response.content.decode()


@pytest.mark.django_db
def test_logout_is_a_post(client, project_user):
    client.force_login(project_user)
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert "_auth_user_id" not in client.session


def test_session_ends_after_a_working_day_of_inactivity(settings):
    assert settings.SESSION_COOKIE_AGE == 8 * 3600
    assert settings.SESSION_SAVE_EVERY_REQUEST is True


def test_no_setting_switches_the_captcha_off():
    from pathlib import Path

    settings_source = (Path(__file__).parents[2] / "jmzhgd" / "settings.py").read_text()
    assert "CAPTCHA_TEST_MODE" not in settings_source
    test_settings = (Path(__file__).parents[2] / "jmzhgd" / "settings_test.py").read_text()
    assert "CAPTCHA_TEST_MODE" not in test_settings.split('"""')[-1]


@pytest.mark.django_db
def test_logging_in_tells_when_the_last_login_was_and_how_many_attempts_failed_since(client, project_user):
    # ASVS 6.3.5: a user learns of attempts on the account at the next login.
    first = client.post(LOGIN, login_data(project_user.username), follow=True).content.decode()
    assert "上次登录" not in first  # nothing before the first login
    client.logout()
    for _ in range(2):
        client.post(LOGIN, login_data(project_user.username, password="wrong-password"))
    client.post(LOGIN, login_data("somebody-else", password="wrong-password"))  # not this account
    page = client.post(LOGIN, login_data(project_user.username), follow=True).content.decode()
    previous = AuditLog.objects.filter(action="auth.login", actor=project_user).earliest("created_at")
    assert f"上次登录：{timezone.localtime(previous.created_at):%Y-%m-%d %H:%M}（IP 127.0.0.1）" in page
    assert "此后本账号有 2 次登录失败" in page and "alert-warning" in page
    client.logout()
    again = client.post(LOGIN, login_data(project_user.username), follow=True).content.decode()
    assert "上次登录：" in again and "登录失败" not in again
