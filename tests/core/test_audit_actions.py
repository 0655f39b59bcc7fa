import re
from pathlib import Path

import pytest
from django.urls import reverse

from jmzhgd.core import audit
from jmzhgd.core.actor import Actor
from jmzhgd.core.audit_actions import ACTION_LABELS

ROOT = Path(__file__).parents[2]


def test_every_action_code_written_by_the_platform_has_a_chinese_name():
    codes = set()
    for app in [
        "jmzhgd",
        "projects",
        "enterprises",
        "workforce",
        "attendance",
        "contracts",
        "training",
        "wages",
    ]:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            codes |= set(
                re.findall(
                    r'"((?:auth|account|declaration|project|permit|enterprise|unit|team|person|roster|'
                    r"contract|api_credential|api_token|device|punch|attendance|wage_account|payroll|training|"
                    r'certificate)\.[a-z_]+)"',
                    path.read_text(),
                )
            )
    codes.discard("attendance.urls")
    codes -= {"training.urls", "training.check_entry_training"}  # a URLconf and a dispatch_uid, not actions
    assert sorted(codes - set(ACTION_LABELS)) == []


@pytest.mark.django_db
def test_the_audit_page_names_actions_in_chinese(client, project, project_user):
    audit.record(Actor.system(), "roster.enter", project, summary="x")
    client.force_login(project_user)
    html = client.get(reverse("core:project_audit_log", args=[project.pk])).content.decode()
    assert "人员进场" in html and "roster.enter" in html
