"""Collection-app login (docs/requirements.md §10.3): the project account gets a short-lived token; the web
login's lockout applies."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from jmzhgd.api.models import ApiToken
from tests import factories

from .conftest import error_of

pytestmark = pytest.mark.django_db

LOGIN = "/api/v1/auth/token"


def login(client, username, password):
    return client.post(
        LOGIN, json.dumps({"username": username, "password": password}), content_type="application/json"
    )


def bearer(token):
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def test_the_project_account_gets_a_token_that_reads_its_roster(client, project_user, project):
    response = login(client, project_user.username, factories.TEST_PASSWORD)
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["projectId"] == project.pk and data["expiresIn"] == 7200
    stored = ApiToken.objects.get()
    assert data["token"] not in stored.token_hash and len(stored.token_hash) == 64
    roster = client.get(f"/api/v1/projects/{project.pk}/roster", **bearer(data["token"]))
    assert roster.status_code == 200


def test_the_token_uploads_persons_of_its_project(client, project_user, project):
    token = login(client, project_user.username, factories.TEST_PASSWORD).json()["token"]
    body = json.dumps({"workerName": "张三", "idCardNumber": "11010519491231002X"})
    response = client.post(
        f"/api/v1/projects/{project.pk}/persons", body, content_type="application/json", **bearer(token)
    )
    assert response.status_code == 200, response.content


def test_the_token_cannot_push_punches(client, project_user, project):
    token = login(client, project_user.username, factories.TEST_PASSWORD).json()["token"]
    response = client.post(
        f"/api/v1/projects/{project.pk}/punches",
        json.dumps({"records": []}),
        content_type="application/json",
        **bearer(token),
    )
    assert response.status_code == 401


def test_the_token_cannot_reach_another_project(client, project_user, other_project):
    token = login(client, project_user.username, factories.TEST_PASSWORD).json()["token"]
    response = client.get(f"/api/v1/projects/{other_project.pk}/roster", **bearer(token))
    assert response.status_code == 404 and error_of(response)["code"] == "not_found"


def test_an_expired_or_unknown_token_is_refused(client, project_user, project):
    token = login(client, project_user.username, factories.TEST_PASSWORD).json()["token"]
    ApiToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert (
        error_of(client.get(f"/api/v1/projects/{project.pk}/roster", **bearer(token)))["code"] == "bad_token"
    )
    assert (
        error_of(client.get(f"/api/v1/projects/{project.pk}/roster", **bearer("guess")))["code"]
        == "bad_token"
    )


def test_a_wrong_password_is_refused(client, project_user):
    response = login(client, project_user.username, "wrong")
    assert response.status_code == 401
    assert error_of(response) == {
        "code": "login_failed",
        "message": "账号或密码不正确。",
        "field": "password",
    }


def test_repeated_failures_lock_the_account_with_a_json_429(client, project_user, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, project_user.username, "wrong")
    response = login(client, project_user.username, factories.TEST_PASSWORD)
    assert response.status_code == 429
    error = error_of(response)
    assert error["code"] == "locked_out" and "锁定" in error["message"]
    assert not ApiToken.objects.exists()


def test_a_supervisor_cannot_log_in_to_the_collection_app(client, supervisor):
    response = login(client, supervisor.username, factories.TEST_PASSWORD)
    assert response.status_code == 403 and error_of(response)["code"] == "not_project_account"


def test_an_account_that_must_change_its_password_is_told_so(client, project_user):
    project_user.must_change_password = True
    project_user.save()
    response = login(client, project_user.username, factories.TEST_PASSWORD)
    assert response.status_code == 403 and error_of(response)["code"] == "password_change_required"


def test_a_login_without_a_password_names_the_field(client):
    response = client.post(LOGIN, json.dumps({"username": "x"}), content_type="application/json")
    assert response.status_code == 422 and error_of(response)["field"] == "password"
