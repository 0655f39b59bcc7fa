import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_a_post_only_page_opened_by_get_explains_itself_in_chinese(client, project_user):
    client.force_login(project_user)
    response = client.get(reverse("accounts:logout"))
    assert response.status_code == 405 and response["Allow"] == "POST, OPTIONS"
    assert "该操作需要通过页面上的按钮提交" in response.content.decode()


@pytest.mark.django_db
def test_the_api_keeps_its_own_answer_for_a_wrong_method(client):
    response = client.get("/api/v1/auth/token")
    assert response.status_code == 405 and "该操作需要通过页面上的按钮提交" not in response.content.decode()


@pytest.mark.django_db
def test_pages_name_a_favicon_that_exists(client):
    from django.contrib.staticfiles import finders

    html = client.get(reverse("accounts:login")).content.decode()
    assert "img/favicon.svg" in html and finders.find("img/favicon.svg")
