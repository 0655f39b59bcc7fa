"""企业信息完善 of an enterprise a project registered (docs/requirements.md §5, docs/architecture.md pattern 10): its project
fixes a typo before adding it as a 参建单位; once another project uses it, the supervisors do."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from enterprises.models import Enterprise
from tests.factories import EnterpriseFactory, UnitFactory

pytestmark = pytest.mark.django_db
FIX = {"name": "江门市蓬江建筑劳务有限公司", "legal_rep": "张三"}


@pytest.fixture
def registered(project_user):
    """Registered through 【企业注册】 by the project's account, with a typo, used by no project yet."""
    return EnterpriseFactory(name="江门市蓬江建筑劳物有限公司", created_by=project_user)


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def edit(client, enterprise):
    # A supervisor's form also holds the credit code (only they may correct it).
    return client.post(
        reverse("enterprises:edit", args=[enterprise.pk]), {**FIX, "credit_code": enterprise.credit_code}
    )


def test_the_registering_project_fixes_a_typo_before_adding_it_as_a_unit(project_user, registered):
    client = signed_in(project_user)
    detail = client.get(reverse("enterprises:detail", args=[registered.pk])).content.decode()
    assert reverse("enterprises:edit", args=[registered.pk]) in detail
    listing = client.get(reverse("enterprises:list")).content.decode()
    assert reverse("enterprises:edit", args=[registered.pk]) in listing
    assert edit(client, registered).status_code == 302
    registered.refresh_from_db()
    assert registered.name == FIX["name"]


def test_another_project_cannot_edit_an_enterprise_this_project_registered(other_user, registered):
    response = edit(signed_in(other_user), registered)
    assert response.status_code == 403
    assert Enterprise.objects.get(pk=registered.pk).name == "江门市蓬江建筑劳物有限公司"


def test_once_another_project_uses_it_changes_go_through_the_supervisors(
    project, project_user, other_project, supervisor, registered
):
    UnitFactory(project=project, enterprise=registered)
    UnitFactory(project=other_project, enterprise=registered)
    # Still a unit of its own project: that project keeps 企业信息完善, as every participant does.
    assert edit(signed_in(project_user), registered).status_code == 302


def test_a_registered_enterprise_used_only_elsewhere_says_to_ask_the_supervisors(
    project_user, other_project, supervisor, registered
):
    UnitFactory(project=other_project, enterprise=registered)
    client = signed_in(project_user)
    detail = client.get(reverse("enterprises:detail", args=[registered.pk])).content.decode()
    assert reverse("enterprises:edit", args=[registered.pk]) not in detail
    assert "该企业已被其他项目使用，信息如需更正请联系监管方修改" in detail
    listing = client.get(reverse("enterprises:list")).content.decode()
    assert reverse("enterprises:edit", args=[registered.pk]) not in listing
    assert edit(client, registered).status_code == 403
    assert Enterprise.objects.get(pk=registered.pk).name == "江门市蓬江建筑劳物有限公司"
    assert edit(signed_in(supervisor), registered).status_code == 302
