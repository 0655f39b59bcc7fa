import pytest
from django.apps import apps
from django.contrib import admin

from tests.factories import AdminFactory


def test_every_model_of_the_platform_is_registered_in_the_admin():
    ours = [
        m
        for m in apps.get_models()
        if m.__module__.split(".")[0]
        in {"jmzhgd", "projects", "enterprises", "workforce", "attendance", "contracts"}
    ]
    missing = [m._meta.label for m in ours if m not in admin.site._registry and not m._meta.auto_created]
    inline_only = {"enterprises.UnitStay"}
    assert sorted(set(missing) - inline_only) == []


@pytest.mark.django_db
def test_admin_pages_open_for_an_administrator_and_not_for_a_project_account(client, project_user):
    client.force_login(AdminFactory())
    for model in admin.site._registry:
        url = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        assert client.get(url).status_code == 200, url
        assert client.get(url, {"q": "张"}).status_code == 200, url
    client.force_login(project_user)
    assert client.get("/admin/workforce/person/").status_code == 302


@pytest.mark.django_db
def test_the_login_lockout_section_reads_in_chinese(client):
    # django-axes ships no Chinese catalogue: its app, models and columns are named in locale/.
    client.force_login(AdminFactory())
    index = client.get("/admin/").content.decode()
    assert "登录锁定" in index and "登录尝试记录" in index and "登录日志" in index
    assert "Access attempts" not in index and "Axes" not in index
    from axes.models import AccessAttempt

    AccessAttempt.objects.create(
        username="xm0001",
        ip_address="10.0.0.9",
        user_agent="Mozilla",
        http_accept="*/*",
        path_info="/accounts/login/",
        failures_since_start=3,
    )
    attempts = client.get("/admin/axes/accessattempt/").content.decode()
    assert "IP 地址" in attempts and "登录失败次数" in attempts and "Failed Logins" not in attempts
