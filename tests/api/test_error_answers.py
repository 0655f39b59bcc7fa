"""Every answer under the API prefix is the API's JSON error (docs/requirements.md §10: {"code", "message",
"field"}), also when Django answers by itself: an unknown path (an encoded slash included), a
method the path does not take, a server error; and the OpenAPI document lists the 400 bad_json."""

from __future__ import annotations

import json

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def assert_api_error(response, status: int, code: str):
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json"), response.content[:80]
    body = response.json()
    assert body["code"] == code and body["message"] and "field" in body


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/no-such-endpoint",
        "/api/v1/projects/1%2f2/roster",
        "/api/v1/projects/1%2F..%2F2/roster",
        "/api/v1/projects/not-a-number/roster",
        "/api/v2/",
    ],
)
def test_an_unknown_path_is_a_json_404(client, path):
    assert_api_error(client.get(path), 404, "not_found")


def test_a_method_the_path_does_not_take_is_a_json_405(client):
    response = client.delete("/api/v1/auth/token")
    assert_api_error(response, 405, "method_not_allowed")
    assert "POST" in response["Allow"]


def test_a_request_django_cannot_accept_is_a_json_400(client):
    # An unknown Host header (DisallowedHost) is answered by Django's 400 handler.
    assert_api_error(client.get("/api/v1/no-such-endpoint", HTTP_HOST="evil.example"), 400, "bad_request")


def test_a_server_error_is_a_json_500(monkeypatch, project):
    from jmzhgd.api import auth

    def broken(self, request, token):
        raise RuntimeError("simulated fault")

    monkeypatch.setattr(auth.BearerToken, "authenticate", broken)
    response = Client(raise_request_exception=False).get(
        f"/api/v1/projects/{project.pk}/roster", HTTP_AUTHORIZATION="Bearer x"
    )
    assert_api_error(response, 500, "server_error")


def test_a_body_that_is_not_json_is_a_400_listed_in_the_openapi_document(client):
    response = client.post("/api/v1/auth/token", b"{not json", content_type="application/json")
    assert_api_error(response, 400, "bad_json")
    schema = client.get("/api/v1/openapi.json").json()
    with_body = [
        (path, method, operation)
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
        if "requestBody" in operation
    ]
    assert with_body
    for path, method, operation in with_body:
        assert "400" in operation["responses"], f"{method.upper()} {path} does not list 400"
        listed = json.dumps(operation["responses"]["400"])
        assert "ErrorOut" in listed, f"{method.upper()} {path}: 400 is not the API's error"


def test_pages_outside_the_api_keep_their_html_error_pages(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404 and response["Content-Type"].startswith("text/html")
