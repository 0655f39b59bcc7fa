import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_supervisor_reaches_every_page_of_a_project_from_its_navigation(client, supervisor, project):
    client.force_login(supervisor)
    html = client.get(reverse("projects:card", args=[project.pk])).content.decode()
    assert 'data-testid="project-nav"' in html and "监管方只读" in html
    for name in [
        "projects:overview",
        "enterprises:unit_list",
        "enterprises:team_list",
        "workforce:roster",
        "attendance:month",
        "contracts:list",
        "core:project_audit_log",
    ]:
        url = reverse(name, args=[project.pk])
        assert f'href="{url}"' in html, name
        page = client.get(url)
        assert page.status_code == 200, name
        assert 'data-testid="project-nav"' in page.content.decode(), name


@pytest.mark.django_db
def test_project_account_uses_its_menu_not_the_project_navigation(client, project_user):
    client.force_login(project_user)
    html = client.get(reverse("projects:card", args=[project_user.project_id])).content.decode()
    assert 'data-testid="project-nav"' not in html
