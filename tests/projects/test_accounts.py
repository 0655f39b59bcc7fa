"""The supervisor's care of project accounts (docs/requirements.md §3): direct creation, reset, disable/enable."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from enterprises.models import ParticipatingUnit
from jmzhgd.accounts.models import User
from jmzhgd.core.models import AuditLog
from projects.models import Project
from tests import factories

from .helpers import CAPTCHA

pytestmark = pytest.mark.django_db


def notice_password(html: str) -> str:
    marker = 'data-testid="notice-password">'
    return html[html.index(marker) + len(marker) :].split("<", 1)[0]


def test_account_list_shows_project_accounts_in_scope(client):
    pengjiang = factories.ProjectUserFactory(project=factories.ProjectFactory(district="440703"))
    taishan = factories.ProjectUserFactory(project=factories.ProjectFactory(district="440781"))
    client.force_login(factories.SupervisorFactory(districts=["440703"]))
    html = client.get(reverse("projects:account_list")).content.decode()
    assert pengjiang.username in html and taishan.username not in html
    assert client.get(reverse("projects:account_notice", args=[taishan.pk])).status_code == 404
    response = client.post(reverse("projects:account_reset_password", args=[taishan.pk]))
    assert response.status_code == 404


def test_a_supervisor_creates_an_old_platform_project_with_its_account(supervisor_client):
    data = {
        "name": "旧平台迁入项目",
        "category": "02",
        "nature": "001",
        "district": "440705",
        "address": "江门市新会区会城",
        "builder_name": "新会建设单位",
        "builder_code": factories.credit_code(),
        "contractor_name": "新会总包单位",
        "contractor_code": factories.credit_code(),
        "status": "003",
        "contact_name": "黄工",
        "contact_phone": "0750-6612345",
        "permit_number": "4407052025010101",
    }
    response = supervisor_client.post(reverse("projects:account_create"), data)
    project = Project.objects.get(name="旧平台迁入项目")
    account = User.objects.get(project=project)
    assert response.status_code == 302
    assert response["Location"] == reverse("projects:account_notice", args=[account.pk])
    assert project.code.startswith("440705") and account.must_change_password
    assert project.permits.get().number == "4407052025010101"
    assert ParticipatingUnit.objects.filter(project=project).count() == 2
    password = notice_password(supervisor_client.get(response["Location"]).content.decode())
    assert account.check_password(password)
    assert AuditLog.objects.filter(action="project.create_direct", project=project).exists()


def test_direct_creation_checks_the_credit_codes(supervisor_client):
    response = supervisor_client.post(
        reverse("projects:account_create"),
        {"name": "坏代码项目", "builder_code": "123", "contractor_code": "91440703MA4UHN8R1X"},
    )
    html = response.content.decode()
    assert "统一社会信用代码应为18位" in html and "校验位不正确" in html
    assert not Project.objects.filter(name="坏代码项目").exists()


def test_reset_gives_a_new_one_time_password_and_forces_a_change(supervisor_client, project_user):
    client = Client()
    response = supervisor_client.post(reverse("projects:account_reset_password", args=[project_user.pk]))
    assert response["Location"] == reverse("projects:account_notice", args=[project_user.pk])
    password = notice_password(supervisor_client.get(response["Location"]).content.decode())
    project_user.refresh_from_db()
    assert project_user.check_password(password) and project_user.must_change_password
    assert AuditLog.objects.filter(action="account.reset_password", object_id=str(project_user.pk)).exists()
    # The new password logs in, and the account is sent to change it first.
    login = client.post(
        "/accounts/login/", {"username": project_user.username, "password": password, **CAPTCHA}, follow=True
    )
    assert login.redirect_chain[-1][0] == reverse("accounts:password_change")


def test_a_disabled_account_cannot_log_in_and_is_signed_out(supervisor_client, project_user):
    client = Client()
    client.force_login(project_user)
    assert client.get(reverse("projects:overview", args=[project_user.project_id])).status_code == 200
    supervisor_client.post(reverse("projects:account_set_active", args=[project_user.pk]), {"active": "0"})
    project_user.refresh_from_db()
    assert not project_user.is_active
    response = client.get(reverse("projects:overview", args=[project_user.project_id]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert AuditLog.objects.filter(action="account.disable").exists()
    supervisor_client.post(reverse("projects:account_set_active", args=[project_user.pk]), {"active": "1"})
    project_user.refresh_from_db()
    assert project_user.is_active
    assert AuditLog.objects.filter(action="account.enable").exists()


def test_account_care_is_not_there_for_project_accounts(project_client, other_user):
    assert project_client.get(reverse("projects:account_list")).status_code == 404
    assert project_client.get(reverse("projects:account_create")).status_code == 404
    assert (
        project_client.post(reverse("projects:account_reset_password", args=[other_user.pk])).status_code
        == 404
    )
    assert (
        project_client.post(
            reverse("projects:account_set_active", args=[other_user.pk]), {"active": "0"}
        ).status_code
        == 404
    )
    other_user.refresh_from_db()
    assert other_user.is_active
