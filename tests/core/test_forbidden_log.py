"""A 403 is logged as one line (user, URL, reason), never with a Python traceback."""

from __future__ import annotations

import logging

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def forbidden_records(caplog):
    return [r for r in caplog.records if r.name.startswith("django.") and getattr(r, "status_code", 0) == 403]


def test_a_refused_action_logs_one_line_with_user_url_and_reason(
    supervisor_client, supervisor, project, caplog
):
    url = reverse("api_credentials:project_create", args=[project.pk])
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = supervisor_client.get(url)
    assert response.status_code == 403
    (record,) = forbidden_records(caplog)
    assert record.exc_info is None and record.exc_text is None
    line = record.getMessage()
    assert "\n" not in line and "Traceback" not in caplog.text
    assert f"user={supervisor.username}" in line and url in line and "监管方只能查看项目数据" in line


def test_a_csrf_refusal_logs_one_line_too(caplog):
    strict = Client(enforce_csrf_checks=True)
    with caplog.at_level(logging.WARNING, logger="django.security.csrf"):
        response = strict.post(reverse("accounts:login"), {"username": "x", "password": "y"})
    assert response.status_code == 403
    (record,) = forbidden_records(caplog)
    assert record.exc_info is None
    assert "user=anonymous" in record.getMessage() and "CSRF" in record.getMessage()


def test_other_answers_keep_their_log(client, caplog):
    with caplog.at_level(logging.WARNING, logger="django.request"):
        client.get("/no-such-page/")
    (record,) = [r for r in caplog.records if r.name == "django.request"]
    assert record.getMessage() == "Not Found: /no-such-page/"
