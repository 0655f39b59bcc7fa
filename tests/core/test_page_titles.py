"""The browser tab reads 「页面 - 平台名称」 (templates/base.html)."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db


def title_of(response) -> str:
    return re.search(r"<title>(.*?)</title>", response.content.decode(), re.S).group(1)


def test_a_page_title_and_the_platform_name_are_separated(supervisor_client):
    response = supervisor_client.get(reverse("projects:dashboard"))
    assert title_of(response) == f"监管总览 - {settings.PLATFORM_NAME}"


def test_a_project_page_title_is_separated_too(project_client, project):
    response = project_client.get(reverse("projects:overview", args=[project.pk]))
    assert title_of(response) == f"项目总览 - {settings.PLATFORM_NAME}"


def test_a_page_without_a_title_shows_the_platform_name_alone():
    from django.template import Context, Template

    rendered = Template(
        "{% load platform_tags %}{% page_title %}  {% endpage_title %}|{% page_title %}<b>{% endpage_title %}"
    ).render(Context({"PLATFORM_NAME": "平台"}))
    assert rendered == "平台|<b> - 平台"
