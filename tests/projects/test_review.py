"""The supervisor's review: queue, detail, 【通过】 and 【驳回】, the 账号开通通知书 (docs/requirements.md §3)."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from enterprises.models import Enterprise, ParticipatingUnit, Team
from jmzhgd.accounts.models import Role, User
from jmzhgd.core.actor import Actor
from jmzhgd.core.codes import CorpType, TeamType
from jmzhgd.core.models import AuditLog
from projects.models import ConstructionPermit, Declaration, DeclarationAttachment, DeclarationStatus, Project
from tests import factories

from .helpers import make_declaration, png_bytes

pytestmark = pytest.mark.django_db


def approve(client, declaration):
    return client.post(reverse("projects:review_approve", args=[declaration.pk]))


def test_queue_lists_pending_declarations_first(supervisor_client, supervisor):
    from projects import services

    old_pending = make_declaration(name="早提交的待审核")
    rejected = make_declaration(name="已驳回的申报")
    services.reject_declaration(Actor(user=supervisor), rejected.pk, "资料不全")
    new_pending = make_declaration(name="新提交的待审核")
    html = supervisor_client.get(reverse("projects:review_list")).content.decode()
    positions = [html.index(d.name) for d in (new_pending, old_pending, rejected)]
    assert positions == sorted(positions)


def test_queue_filters_by_status_and_searches(supervisor_client, supervisor):
    from projects import services

    make_declaration(name="甲申报")
    rejected = make_declaration(name="乙申报")
    services.reject_declaration(Actor(user=supervisor), rejected.pk, "资料不全")
    html = supervisor_client.get(reverse("projects:review_list"), {"status": "rejected"}).content.decode()
    assert "乙申报" in html and "甲申报" not in html
    html = supervisor_client.get(reverse("projects:review_list"), {"q": rejected.number}).content.decode()
    assert "乙申报" in html and "甲申报" not in html


def test_the_queue_is_not_there_for_project_accounts(project_client):
    declaration = make_declaration()
    assert project_client.get(reverse("projects:review_list")).status_code == 404
    assert project_client.get(reverse("projects:review_detail", args=[declaration.pk])).status_code == 404
    assert approve(project_client, declaration).status_code == 404
    assert not Project.objects.filter(name=declaration.name).exists()


def test_a_district_supervisor_sees_only_its_districts_declarations(client):
    pengjiang = factories.SupervisorFactory(districts=["440703"])
    client.force_login(pengjiang)
    own = make_declaration(name="蓬江申报", district="440703")
    other = make_declaration(name="台山申报", district="440781")
    html = client.get(reverse("projects:review_list")).content.decode()
    assert "蓬江申报" in html and "台山申报" not in html
    assert client.get(reverse("projects:review_detail", args=[own.pk])).status_code == 200
    assert client.get(reverse("projects:review_detail", args=[other.pk])).status_code == 404
    assert approve(client, other).status_code == 404


def test_approval_creates_project_units_teams_and_account_in_one_step(supervisor_client):
    declaration = make_declaration()
    response = approve(supervisor_client, declaration)
    declaration.refresh_from_db()
    project = declaration.project
    assert declaration.status == DeclarationStatus.APPROVED and project is not None
    # Project code: 区县(6) + year(4) + sequence(4).
    assert project.code.startswith(f"440703{declaration.reviewed_at.year}") and len(project.code) == 14
    assert project.name == declaration.name and project.builder_code == declaration.builder_code
    assert list(ConstructionPermit.objects.filter(project=project).values_list("number", flat=True)) == [
        declaration.permit_number
    ]
    # Builder and general contractor: in the library, on site as units, each with its 管理人员班组.
    units = {u.corp_type: u for u in ParticipatingUnit.objects.filter(project=project)}
    assert set(units) == {CorpType.BUILDER, CorpType.GENERAL_CONTRACTOR}
    assert units[CorpType.BUILDER].enterprise.credit_code == declaration.builder_code
    assert units[CorpType.GENERAL_CONTRACTOR].enterprise.credit_code == declaration.contractor_code
    teams = set(
        Team.objects.filter(project=project, team_type=TeamType.MANAGEMENT).values_list("name", flat=True)
    )
    assert teams == {"建设单位项目部", "总承包单位项目部"}
    # The account: bound to the project, must change its one-time password.
    account = User.objects.get(project=project)
    assert account.role == Role.PROJECT and account.username == f"xm{project.code}"
    assert account.must_change_password
    assert response.status_code == 302
    assert response["Location"] == reverse("projects:account_notice", args=[account.pk])
    actions = set(AuditLog.objects.values_list("action", flat=True))
    assert {
        "declaration.approve",
        "project.create",
        "enterprise.register",
        "unit.enter",
        "account.issue",
    } <= actions


def test_the_notice_shows_the_one_time_password_once_and_it_works(supervisor_client):
    declaration = make_declaration()
    response = approve(supervisor_client, declaration)
    first = supervisor_client.get(response["Location"]).content.decode()
    account = User.objects.get(project__declaration=declaration)
    assert "账号开通通知书" in first and account.username in first
    marker = 'data-testid="notice-password">'
    password = first[first.index(marker) + len(marker) :].split("<", 1)[0]
    assert len(password) == 12
    assert account.check_password(password)
    # Not stored in clear anywhere we write: not in the audit log, not on a second view.
    assert not AuditLog.objects.filter(summary__contains=password).exists()
    second = supervisor_client.get(response["Location"]).content.decode()
    assert password not in second and 'data-testid="notice-password-hidden"' in second


def test_approval_reuses_an_enterprise_already_in_the_library(supervisor_client):
    existing = factories.EnterpriseFactory(name="库里已有的建设单位")
    declaration = make_declaration(builder_code=existing.credit_code, builder_name="申报时写的名称")
    approve(supervisor_client, declaration)
    assert Enterprise.objects.filter(credit_code=existing.credit_code).count() == 1
    unit = ParticipatingUnit.objects.get(project__declaration=declaration, corp_type=CorpType.BUILDER)
    assert unit.enterprise == existing


def test_a_declaration_is_approved_only_once(supervisor_client):
    declaration = make_declaration()
    approve(supervisor_client, declaration)
    response = approve(supervisor_client, declaration)
    assert response.status_code == 302
    assert response["Location"] == reverse("projects:review_detail", args=[declaration.pk])
    assert Project.objects.filter(name=declaration.name).count() == 1
    html = supervisor_client.get(response["Location"]).content.decode()
    assert "不能重复审核" in html


def test_reject_without_a_reason_is_refused(supervisor_client):
    declaration = make_declaration()
    response = supervisor_client.post(
        reverse("projects:review_reject", args=[declaration.pk]), {"reason": "  "}
    )
    assert response.status_code == 400
    assert response.content.decode().count("驳回时必须填写驳回原因") == 1  # under the field, once
    declaration.refresh_from_db()
    assert declaration.status == DeclarationStatus.PENDING
    assert not AuditLog.objects.filter(action="declaration.reject").exists()


def test_reject_with_a_reason_is_recorded(supervisor_client, supervisor):
    declaration = make_declaration()
    response = supervisor_client.post(
        reverse("projects:review_reject", args=[declaration.pk]), {"reason": "建设单位信用代码与名称不符"}
    )
    assert response.status_code == 302
    declaration.refresh_from_db()
    assert declaration.status == DeclarationStatus.REJECTED
    assert declaration.reject_reason == "建设单位信用代码与名称不符"
    assert declaration.reviewed_by == supervisor
    log = AuditLog.objects.get(action="declaration.reject")
    assert log.actor == supervisor and "建设单位信用代码与名称不符" in log.summary
    # A rejected declaration cannot then be approved.
    approve(supervisor_client, declaration)
    assert not Project.objects.filter(name=declaration.name).exists()


def test_attachments_are_served_only_to_supervisors(client, supervisor, project_user):
    declaration = make_declaration()
    attachment = DeclarationAttachment.objects.create(
        declaration=declaration, file=ContentFile(png_bytes(), name="a.png"), original_name="许可证.png"
    )
    url = reverse("projects:declaration_attachment", args=[declaration.pk, attachment.pk])
    response = client.get(url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(project_user)
    assert client.get(url).status_code == 404
    client.force_login(supervisor)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    other = make_declaration(name="另一份申报")
    assert (
        client.get(reverse("projects:declaration_attachment", args=[other.pk, attachment.pk])).status_code
        == 404
    )


def test_the_detail_points_at_a_project_that_may_be_the_same(supervisor_client):
    project = factories.ProjectFactory(name="已入库的同名项目")
    declaration = make_declaration(name="已入库的同名项目")
    html = supervisor_client.get(reverse("projects:review_detail", args=[declaration.pk])).content.decode()
    assert "可能重复" in html and project.code in html


def test_declaration_model_keeps_its_number_unique():
    first = make_declaration(name="编号一")
    second = make_declaration(name="编号二")
    assert first.number != second.number and first.number.startswith("SB")
    assert Declaration.objects.count() == 2
