"""A new password ends the account's collection-app tokens (ASVS 7.4.3; docs/security.md promises
that a password change ends every session, and an app token is one)."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from jmzhgd.api.models import ApiToken
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Wuyi-Bridge#2027"


def app_token(client, user) -> str:
    response = client.post(
        "/api/v1/auth/token",
        json.dumps({"username": user.username, "password": TEST_PASSWORD}),
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    return response.json()["token"]


def roster(client, project, token):
    return client.get(f"/api/v1/projects/{project.pk}/roster", HTTP_AUTHORIZATION=f"Bearer {token}")


def test_changing_the_password_ends_the_accounts_app_tokens(client, project_user, project, other_user):
    token = app_token(client, project_user)
    others = app_token(client, other_user)
    assert roster(client, project, token).status_code == 200

    client.force_login(project_user)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": TEST_PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    refused = roster(client, project, token)
    assert refused.status_code == 401 and refused.json()["code"] == "bad_token"
    assert not ApiToken.objects.filter(user=project_user).exists()
    # Another account's token is untouched.
    assert ApiToken.objects.filter(user=other_user).count() == 1 and others


def test_a_supervisors_password_reset_ends_the_accounts_app_tokens(client, supervisor, project_user, project):
    token = app_token(client, project_user)
    client.force_login(supervisor)
    response = client.post(reverse("projects:account_reset_password", args=[project_user.pk]))
    assert response.status_code == 302
    client.logout()
    refused = roster(client, project, token)
    assert refused.status_code == 401 and refused.json()["code"] == "bad_token"


def test_saving_the_account_without_a_new_password_keeps_its_tokens(client, project_user, project):
    token = app_token(client, project_user)
    project_user.real_name = "新名字"
    project_user.save()
    assert roster(client, project, token).status_code == 200
