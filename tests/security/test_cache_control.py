"""Authenticated answers are never cached (Cache-Control: no-store, private): pages, file
downloads and API answers carry names, ID numbers, faces and wages."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from projects.models import DeclarationAttachment
from tests.factories import TEST_PASSWORD
from tests.projects.helpers import CAPTCHA, declaration_data, png_bytes

pytestmark = pytest.mark.django_db


def directives(response) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part.strip()}


def test_a_signed_in_page_is_no_store_and_private(project_client, project):
    response = project_client.get(reverse("projects:overview", args=[project.pk]))
    assert response.status_code == 200
    assert {"no-store", "private"} <= directives(response)


def test_a_file_download_is_no_store_and_private(client, supervisor):
    data = {**declaration_data(), **CAPTCHA, "attachments": [SimpleUploadedFile("许可证.png", png_bytes())]}
    client.post("/declare/", data, REMOTE_ADDR="10.9.9.8")
    attachment = DeclarationAttachment.objects.get()
    client.force_login(supervisor)
    response = client.get(
        reverse(
            "projects:declaration_attachment",
            kwargs={"declaration_id": attachment.declaration_id, "attachment_id": attachment.pk},
        )
    )
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert {"no-store", "private"} <= directives(response)
    assert not any(d.startswith("max-age") for d in directives(response))


def test_the_app_token_and_the_answers_it_gets_are_no_store_and_private(client, project_user, project):
    login = client.post(
        "/api/v1/auth/token",
        json.dumps({"username": project_user.username, "password": TEST_PASSWORD}),
        content_type="application/json",
    )
    assert {"no-store", "private"} <= directives(login)
    token = login.json()["token"]
    roster = client.get(f"/api/v1/projects/{project.pk}/roster", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert roster.status_code == 200 and {"no-store", "private"} <= directives(roster)


def test_a_public_page_is_not_marked(client):
    assert "no-store" not in directives(client.get(reverse("core:support")))
