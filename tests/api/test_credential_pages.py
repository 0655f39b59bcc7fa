"""接口凭证 pages (docs/requirements.md §10): create (secret shown once), revoke, last used; supervisors for projects in
scope, a project account for its own project."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from jmzhgd.api.models import ApiCredential
from jmzhgd.api.services import new_form_token
from jmzhgd.core.models import AuditLog
from tests import factories

pytestmark = pytest.mark.django_db


def shown_secret(response) -> str:
    match = re.search(r'data-testid="app-secret">([0-9a-f]+)<', response.content.decode())
    assert match, "the secret is shown on the created page"
    return match.group(1)


def test_a_supervisor_creates_a_credential_for_projects_in_scope_and_sees_the_secret_once(
    supervisor_client, project, other_project
):
    response = supervisor_client.post(
        reverse("api_credentials:create"),
        {"form_token": new_form_token(), "name": "某考勤机厂商", "projects": [project.pk, other_project.pk]},
    )
    assert response.status_code == 200
    secret = shown_secret(response)
    credential = ApiCredential.objects.get()
    assert credential.secret == secret and secret not in credential.secret_encrypted
    assert set(credential.projects.all()) == {project, other_project}
    assert AuditLog.objects.filter(action="api_credential.create").count() == 2
    listing = supervisor_client.get(reverse("api_credentials:list")).content.decode()
    assert credential.app_key in listing and secret not in listing and "从未使用" in listing


def test_a_district_supervisor_cannot_grant_a_project_outside_its_districts(client, project):
    outside = factories.ProjectFactory(district="440705")
    supervisor = factories.SupervisorFactory(districts=[project.district])
    client.force_login(supervisor)
    response = client.post(
        reverse("api_credentials:create"),
        {"form_token": new_form_token(), "name": "厂商", "projects": [outside.pk]},
    )
    assert response.status_code == 200 and "不在您的管理范围内" in response.content.decode()
    assert not ApiCredential.objects.exists()


def test_creating_without_a_name_or_project_names_the_problem(supervisor_client):
    response = supervisor_client.post(
        reverse("api_credentials:create"), {"form_token": new_form_token(), "name": "", "projects": []}
    )
    body = response.content.decode()
    assert "请填写用途说明" in body and "请至少选择一个授权项目" in body
    assert not ApiCredential.objects.exists()


def test_the_project_account_creates_a_credential_for_its_own_project(project_client, project):
    response = project_client.post(
        reverse("api_credentials:project_create", args=[project.pk]),
        {"form_token": new_form_token(), "name": "采集APP"},
    )
    assert response.status_code == 200
    shown_secret(response)
    assert list(ApiCredential.objects.get().projects.all()) == [project]


def test_the_project_account_revokes_its_credential(project_client, project):
    project_client.post(
        reverse("api_credentials:project_create", args=[project.pk]),
        {"form_token": new_form_token(), "name": "采集APP"},
    )
    credential = ApiCredential.objects.get()
    page = project_client.get(reverse("api_credentials:project_list", args=[project.pk])).content.decode()
    assert 'data-confirm="确定吊销接口凭证' in page
    response = project_client.post(
        reverse("api_credentials:project_revoke", args=[project.pk, credential.pk])
    )
    assert response.status_code == 302
    credential.refresh_from_db()
    assert credential.revoked_at is not None
    assert AuditLog.objects.filter(action="api_credential.revoke", project=project).exists()


def test_a_project_cannot_revoke_a_credential_shared_with_another_project(
    supervisor_client, client, project, other_project, project_user
):
    supervisor_client.post(
        reverse("api_credentials:create"),
        {"form_token": new_form_token(), "name": "共用", "projects": [project.pk, other_project.pk]},
    )
    credential = ApiCredential.objects.get()
    client.force_login(project_user)
    client.post(reverse("api_credentials:project_revoke", args=[project.pk, credential.pk]))
    credential.refresh_from_db()
    assert credential.revoked_at is None


def test_a_supervisor_revokes_and_the_credential_stops_working(supervisor_client, client, project):
    from .conftest import make_signed

    signed = make_signed(client, project)
    credential = ApiCredential.objects.get()
    response = supervisor_client.post(reverse("api_credentials:revoke", args=[credential.pk]))
    assert response.status_code == 302
    assert signed.get(f"/api/v1/projects/{project.pk}/roster").status_code == 401


def test_revoking_twice_is_refused_with_a_message(supervisor_client, project):
    from jmzhgd.api.services import create_credential
    from jmzhgd.core.actor import Actor

    credential, _ = create_credential(Actor.system(), name="x", projects=[project])
    supervisor_client.post(reverse("api_credentials:revoke", args=[credential.pk]))
    response = supervisor_client.post(reverse("api_credentials:revoke", args=[credential.pk]), follow=True)
    assert "已吊销" in response.content.decode()


def test_the_project_menu_links_the_credentials_page(project_client, project):
    page = project_client.get(reverse("api_credentials:project_list", args=[project.pk])).content.decode()
    assert f'href="/projects/{project.pk}/api-credentials/"' in page


def test_a_shared_credential_does_not_reveal_the_other_projects_name(
    supervisor_client, client, project, other_project, project_user
):
    supervisor_client.post(
        reverse("api_credentials:create"),
        {"form_token": new_form_token(), "name": "共用", "projects": [project.pk, other_project.pk]},
    )
    client.force_login(project_user)
    page = client.get(reverse("api_credentials:project_list", args=[project.pk])).content.decode()
    assert project.name in page and other_project.name not in page and "另有 1 个项目" in page


def test_a_double_posted_form_creates_one_credential(project_client, project):
    """A double click or a browser re-post sends the same form twice: the second is refused."""
    url = reverse("api_credentials:project_create", args=[project.pk])
    page = project_client.get(url).content.decode()
    token = re.search(r'name="form_token" value="([^"]+)"', page).group(1)
    first = project_client.post(url, {"form_token": token, "name": "采集APP"})
    second = project_client.post(url, {"form_token": token, "name": "采集APP"})
    shown_secret(first)
    assert (
        "该表单已经提交过" in second.content.decode()
        and 'data-testid="app-secret"' not in second.content.decode()
    )
    assert ApiCredential.objects.count() == 1


def test_a_form_without_its_token_or_with_an_expired_one_creates_nothing(project_client, project, settings):
    url = reverse("api_credentials:project_create", args=[project.pk])
    assert "请从新建页面提交" in project_client.post(url, {"name": "采集APP"}).content.decode()
    settings.API_SIGNATURE_WINDOW_SECONDS = -1
    expired = project_client.post(url, {"form_token": new_form_token(), "name": "采集APP"})
    assert "请重新打开新建页面" in expired.content.decode()
    assert not ApiCredential.objects.exists()
