"""QA walk findings on plain pages (no browser needed)."""

from __future__ import annotations

import re

from django.contrib.messages import get_messages
from django.urls import reverse


def test_batch_exit_opened_from_the_address_bar_goes_back_to_the_roster_with_a_chinese_hint(
    project_client, project
):
    # A reload, a bookmark or the login redirect after an expired session opens the 批量退场 page by GET.
    url = reverse("workforce:batch_exit", kwargs={"project_id": project.pk})
    response = project_client.get(url)
    assert response.status_code == 302
    assert response.url == reverse("workforce:roster", kwargs={"project_id": project.pk})
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["请先在花名册中勾选要退场的在场人员。"]


def test_batch_exit_by_get_is_still_refused_to_a_supervisor(supervisor_client, project):
    url = reverse("workforce:batch_exit", kwargs={"project_id": project.pk})
    assert supervisor_client.get(url).status_code == 403


def test_contract_list_keeps_status_near_the_name_and_the_contract_button_at_the_right_edge(
    project_client, project
):
    # The page leaves the ledger's widest columns to the export so that it fits a 1366 px screen.
    from tests.factories import RosterEntryFactory

    RosterEntryFactory(team__unit__project=project, person__name="甲工人")
    page = project_client.get(reverse("contracts:list", kwargs={"project_id": project.pk})).content.decode()
    head = page.split('data-testid="contract-table"', 1)[1].split("</thead>", 1)[0]
    headers = [re.sub(r"<[^>]+>|\s+", "", th) for th in re.findall(r"<th[^>]*>(.*?)</th>", head, re.S)]
    assert headers.index("姓名") < headers.index("合同状态") < 3
    assert headers[-1] == "操作" and "扫描件页数" not in headers


def test_rejecting_a_declaration_asks_for_confirmation_like_approving(supervisor_client):
    from tests.projects.helpers import make_declaration

    declaration = make_declaration()
    page = supervisor_client.get(reverse("projects:review_detail", args=[declaration.pk])).content.decode()
    buttons = re.findall(r"<button[^>]*>\s*(?:通过|驳回)\s*</button>", page)
    assert len(buttons) == 2 and all("data-confirm=" in b for b in buttons)


def test_masked_id_columns_in_the_admin_have_chinese_labels(client, django_user_model):
    from tests.factories import PersonFactory

    PersonFactory()
    admin_user = django_user_model.objects.create_superuser("qa_admin", password="x-Qa-2026-pass")
    client.force_login(admin_user)
    page = client.get(reverse("admin:workforce_person_changelist")).content.decode()
    assert "Id number masked" not in page
    assert "证件号码（脱敏）" in page


def test_admin_lists_of_users_and_management_posts_have_no_english_column_titles(client, django_user_model):
    admin_user = django_user_model.objects.create_superuser("qa_admin", password="x-Qa-2026-pass")
    client.force_login(admin_user)
    users = client.get(reverse("admin:accounts_user_changelist")).content.decode()
    posts = client.get(reverse("admin:core_managementpost_changelist")).content.decode()
    assert "District labels" not in users and "管辖区县" in users
    assert "Corp type labels" not in posts and "适用参建单位类型" in posts
