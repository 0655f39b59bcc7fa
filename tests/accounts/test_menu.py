import pytest
from django.urls import reverse

from jmzhgd.core.menu import menu_for


@pytest.mark.django_db
def test_project_user_menu_follows_the_manual_and_points_into_its_project(project_user):
    labels = [item["label"] for item in menu_for(project_user)]
    assert labels[:2] == ["项目总览", "项目库"]
    assert "技术服务支持" in labels and "申报审核" not in labels
    overview = next(item for item in menu_for(project_user) if item["label"] == "项目总览")
    assert overview["url"] == reverse("projects:overview", args=[project_user.project_id])


@pytest.mark.django_db
def test_supervisor_menu_has_supervisor_pages_and_no_project_pages(supervisor):
    labels = [item["label"] for item in menu_for(supervisor)]
    assert "监管总览" in labels and "审计日志" in labels
    assert "项目总览" not in labels


@pytest.mark.django_db
def test_anonymous_visitor_has_no_menu():
    from django.contrib.auth.models import AnonymousUser

    assert menu_for(AnonymousUser()) == []


@pytest.mark.django_db
def test_support_page_is_public_and_lists_the_configured_phones(client, settings):
    settings.SUPPORT_PHONES = ["13750017262", "0750-8270518"]
    html = client.get(reverse("core:support")).content.decode()
    assert "13750017262" in html and "0750-8270518" in html and "常见问题" in html


@pytest.mark.django_db
def test_error_pages_are_chinese(client, project_user):
    client.force_login(project_user)
    response = client.get("/no-such-page/")
    assert response.status_code == 404 and "页面不存在" in response.content.decode()
