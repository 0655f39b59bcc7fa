"""接口文档 (docs/requirements.md §10): served by the platform from local static files, in Chinese, linked from 技术服务支持."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from jmzhgd.api.docs import EXAMPLE_SIGN

pytestmark = pytest.mark.django_db


def test_the_docs_page_loads_only_local_assets(client):
    response = client.get(reverse("api-1:openapi-view"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert not re.search(r"(src|href)=\"(https?:)?//", html), "no asset from another host"
    assert "cdn" not in html.lower()
    # Swagger UI's online validator would call validator.swagger.io: it is switched off.
    assert '"validatorUrl": null' in html


def test_the_bundled_swagger_assets_are_served(client):
    assert client.get("/static/ninja/swagger-ui-bundle.js").status_code == 200
    assert client.get("/static/ninja/swagger-ui.css").status_code == 200


def test_the_openapi_document_is_chinese_and_carries_the_worked_signing_example(client):
    schema = client.get(reverse("api-1:openapi-json")).json()
    assert schema["info"]["title"] == "江门市智慧工地实名制管理平台接口"
    assert EXAMPLE_SIGN in schema["info"]["description"]
    assert "/api/v1/projects/{project_id}/punches" in schema["paths"]
    punches = schema["paths"]["/api/v1/projects/{project_id}/punches"]["post"]
    assert punches["summary"] == "批量上传考勤记录" and punches["security"]
    assert set(schema["components"]["securitySchemes"]) == {"SignedRequest", "BearerToken"}


def test_the_support_page_links_the_docs(client):
    page = client.get(reverse("core:support")).content.decode()
    assert reverse("api-1:openapi-view") in page


def _download(client, name: str):
    return client.get(reverse(f"api_credentials:{name}"))


def test_the_docs_link_the_client_and_the_sample_request_downloads(client):
    description = client.get(reverse("api-1:openapi-json")).json()["info"]["description"]
    assert f"]({reverse('api_credentials:client_download')})" in description
    assert f"]({reverse('api_credentials:sample_request')})" in description
    assert "代码仓库" not in description  # vendors cannot reach it


def test_an_anonymous_visitor_is_sent_to_log_in_before_any_download(client):
    for name in ("client_download", "sample_request"):
        response = _download(client, name)
        assert response.status_code == 302 and "/login/" in response["Location"]


def test_a_signed_in_account_downloads_the_reference_client_as_it_is(project_client):
    from django.conf import settings

    response = _download(project_client, "client_download")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="jmzhgd_client.py"'
    source = (settings.BASE_DIR / "clients" / "jmzhgd_client.py").read_bytes()
    assert response.content == source


def test_the_sample_request_is_signed_as_the_reference_client_signs_it(project_client):
    from clients.jmzhgd_client import sign
    from jmzhgd.api.docs import EXAMPLE

    response = _download(project_client, "sample_request")
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    head, body = response.content.decode("utf-8").split("\n\n")[-2:]
    headers = dict(line.split(": ", 1) for line in head.splitlines()[1:])
    assert head.splitlines()[0] == f"{EXAMPLE['method']} {EXAMPLE['path']} HTTP/1.1"
    expected = sign(
        EXAMPLE["secret"],
        "POST",
        EXAMPLE["path"],
        headers["X-Timestamp"],
        headers["X-Nonce"],
        body.rstrip("\n").encode("utf-8"),
    )
    assert headers["X-Sign"] == expected and headers["X-App-Key"] == EXAMPLE["app_key"]
