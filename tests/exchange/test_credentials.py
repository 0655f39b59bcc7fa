"""Each project's credentials on the provincial platform: entered by a supervisor (never shown again,
audited without the secret) or imported from the province's list; the page says in one line whether
anything is sent."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from exchange.client import ProvinceClient
from exchange.models import ProvinceCredential
from jmzhgd.core.models import AuditLog
from tests import factories

pytestmark = pytest.mark.django_db

SECRET = "fedcba9876543210fedcba9876543210"


def page(client, project) -> str:
    return client.get(reverse("exchange:page", kwargs={"project_id": project.pk})).content.decode()


def state_line(body: str) -> str:
    start = body.index('data-testid="exchange-state"')
    return body[start : body.index("</div>", start)]


@pytest.mark.parametrize("who", ["project_client", "supervisor_client"])
def test_without_a_province_the_page_says_nothing_is_sent(request, project, settings, who):
    settings.PROVINCE_SYNC_ENABLED = False
    line = state_line(page(request.getfixturevalue(who), project))
    assert "未配置省平台：本平台未启用省平台数据对接，不会向省平台推送任何数据" in line
    assert "录入对接凭据" not in line


def test_a_project_without_credentials_says_so_and_a_supervisor_is_offered_the_form(
    project, settings, project_user, supervisor
):
    settings.PROVINCE_SYNC_ENABLED, settings.PROVINCE_ENDPOINT = True, "https://province.example/openapi"
    project_client, supervisor_client = Client(), Client()
    project_client.force_login(project_user)
    supervisor_client.force_login(supervisor)
    for client in (project_client, supervisor_client):
        assert "本项目尚未录入省平台对接凭据（appid 与密钥），数据不会推送" in state_line(
            page(client, project)
        )
    assert "录入对接凭据" not in state_line(page(project_client, project))
    assert reverse("exchange:credential", kwargs={"project_id": project.pk}) in page(
        supervisor_client, project
    )


def test_a_supervisor_enters_the_credentials_stored_encrypted_and_never_shown(
    project, settings, supervisor_client
):
    settings.PROVINCE_SYNC_ENABLED, settings.PROVINCE_ENDPOINT = True, "https://province.example/openapi"
    settings.PROVINCE_AES_KEY = ""
    url = reverse("exchange:credential", kwargs={"project_id": project.pk})
    assert f'value="{project.code}"' in supervisor_client.get(url).content.decode()  # appid = national code
    response = supervisor_client.post(url, {"appid": project.code, "secret": SECRET})
    assert response.status_code == 302
    credential = ProvinceCredential.objects.get(project=project)
    assert credential.secret == SECRET
    raw = ProvinceCredential.objects.filter(pk=credential.pk).values_list("secret", flat=True)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT secret FROM exchange_provincecredential WHERE id = %s", [credential.pk])
        assert cursor.fetchone()[0] != SECRET
    assert list(raw) == [SECRET]
    client = ProvinceClient.for_project(project)
    assert (client.appid, client.field_key) == (project.code, SECRET)  # the secret is the AES key
    log = AuditLog.objects.get(action="exchange.credential")
    assert SECRET not in str(log.after) + log.summary
    body = page(supervisor_client, project)
    assert f"已接入省平台：appid {project.code}" in body and SECRET not in body
    assert SECRET not in supervisor_client.get(url).content.decode()


def test_a_secret_that_cannot_be_the_aes_key_is_refused_unless_one_key_is_set(
    project, settings, supervisor_client
):
    settings.PROVINCE_AES_KEY = ""
    url = reverse("exchange:credential", kwargs={"project_id": project.pk})
    response = supervisor_client.post(url, {"appid": project.code, "secret": "short"})
    assert "密钥同时是证件号码的 AES 密钥，应为 32 个 ASCII 字符" in response.content.decode()
    assert not ProvinceCredential.objects.exists()
    settings.PROVINCE_AES_KEY = "0123456789abcdef0123456789ABCDEF"  # the documented override
    assert supervisor_client.post(url, {"appid": project.code, "secret": "short"}).status_code == 302
    assert ProvinceClient.with_credentials(project).field_key == settings.PROVINCE_AES_KEY


def test_the_projects_own_account_cannot_enter_credentials(project, project_client):
    url = reverse("exchange:credential", kwargs={"project_id": project.pk})
    assert project_client.post(url, {"appid": "x", "secret": SECRET}).status_code == 404
    assert not ProvinceCredential.objects.exists()


def test_the_provinces_list_is_imported_all_or_nothing(project, other_project, tmp_path, settings):
    settings.PROVINCE_AES_KEY = ""
    bad = tmp_path / "bad.csv"
    bad.write_text(f"项目编码,密钥\n{project.code},{SECRET}\n{other_project.code},short\n", encoding="utf-8")
    with pytest.raises(CommandError) as raised:
        call_command("import_province_credentials", str(bad))
    assert "第3行：密钥同时是证件号码的 AES 密钥" in str(raised.value)
    assert not ProvinceCredential.objects.exists()
    good = tmp_path / "good.csv"
    good.write_text(
        f"\ufeffappid,appsecret\n{project.code},{SECRET}\n{other_project.code},{SECRET}\n", encoding="utf-8"
    )
    call_command("import_province_credentials", str(good))
    assert set(ProvinceCredential.objects.values_list("appid", flat=True)) == {
        project.code,
        other_project.code,
    }
    assert AuditLog.objects.filter(action="exchange.credential").count() == 2


def test_an_unknown_project_code_in_the_list_is_named(db, tmp_path):
    factories.ProjectFactory()
    file = tmp_path / "list.csv"
    file.write_text(f"appid,密钥\n999999,{SECRET}\n", encoding="utf-8")
    with pytest.raises(CommandError) as raised:
        call_command("import_province_credentials", str(file))
    assert "第2行：没有项目编码为 999999 的项目。" in str(raised.value)
