"""接口文档 (SPEC §10): served by the platform from local static files, in Chinese, linked from 技术服务支持."""

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
