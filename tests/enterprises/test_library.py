"""企业库 (docs/requirements.md §5): registration, 企业信息完善 rights, detail scope, deletion, the licence scan."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from enterprises.models import Enterprise
from jmzhgd.core.models import AuditLog
from tests.factories import AdminFactory, EnterpriseFactory, UnitFactory, credit_code

pytestmark = pytest.mark.django_db


def png_upload(name="licence.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (20, 10), "white").save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def register(client, **fields):
    data = {
        "credit_code": credit_code(),
        "name": "江门市蓬江建筑劳务有限公司",
        "contact_phone": "13800138000",
    }
    data.update(fields)
    return client.post(reverse("enterprises:register"), data)


def test_registering_an_enterprise_checks_the_credit_code_digit(project_client):
    good = credit_code()
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    response = register(project_client, credit_code=bad)
    assert response.status_code == 200
    assert "统一社会信用代码校验位不正确" in response.content.decode()
    assert not Enterprise.objects.exists()
    response = register(project_client, credit_code=good.lower())
    enterprise = Enterprise.objects.get()
    assert enterprise.credit_code == good
    assert response["Location"] == reverse("enterprises:detail", args=[enterprise.pk])
    assert AuditLog.objects.filter(action="enterprise.register", object_id=str(enterprise.pk)).exists()


def test_registering_an_existing_code_links_to_that_enterprise_instead_of_a_second(project_client):
    existing = EnterpriseFactory(name="已登记的企业")
    response = register(project_client, credit_code=existing.credit_code, name="另一个名字")
    assert response["Location"] == reverse("enterprises:detail", args=[existing.pk])
    assert Enterprise.objects.count() == 1
    assert Enterprise.objects.get().name == "已登记的企业"


def test_registration_with_a_licence_scan_stores_it_privately_and_serves_it_to_its_registrant(project_client):
    register(project_client, licence_scan=png_upload())
    enterprise = Enterprise.objects.get()
    assert enterprise.licence_scan.name.startswith("enterprises/licences/")
    response = project_client.get(reverse("enterprises:licence", args=[enterprise.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "image/png"


def test_a_licence_scan_that_is_not_an_image_or_pdf_is_refused(project_client):
    fake = SimpleUploadedFile("licence.png", b"not an image at all", content_type="image/png")
    response = register(project_client, licence_scan=fake)
    assert "营业执照扫描件不是有效的 JPG 或 PNG 图片" in response.content.decode()
    assert not Enterprise.objects.exists()


def test_another_projects_account_cannot_see_the_licence_scan(client, project, other_user):
    unit = UnitFactory(project=project)
    unit.enterprise.licence_scan = png_upload()
    unit.enterprise.save()
    client.force_login(other_user)
    assert client.get(reverse("enterprises:licence", args=[unit.enterprise.pk])).status_code == 404


def test_a_project_user_edits_only_enterprises_taking_part_in_its_project(client, project, project_user):
    mine = UnitFactory(project=project).enterprise
    stranger = EnterpriseFactory(name="别人的企业")
    client.force_login(project_user)
    page = client.get(reverse("enterprises:list")).content.decode()
    assert reverse("enterprises:edit", args=[mine.pk]) in page
    assert reverse("enterprises:edit", args=[stranger.pk]) not in page
    detail = client.get(reverse("enterprises:detail", args=[stranger.pk])).content.decode()
    assert reverse("enterprises:edit", args=[stranger.pk]) not in detail
    response = client.post(
        reverse("enterprises:edit", args=[stranger.pk]), {"name": "改掉", "legal_rep": "某人"}
    )
    assert response.status_code == 403
    stranger.refresh_from_db()
    assert stranger.name == "别人的企业"
    response = client.post(
        reverse("enterprises:edit", args=[mine.pk]),
        {"name": "完善后的名称", "legal_rep": "张三", "contact_phone": "0750-8270518"},
    )
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.name == "完善后的名称" and mine.contact_phone == "0750-8270518"
    log = AuditLog.objects.get(action="enterprise.update")
    assert log.after["name"] == "完善后的名称"


def test_a_project_user_cannot_change_the_credit_code_but_a_supervisor_can_correct_it(
    client, project, project_user, supervisor
):
    enterprise = UnitFactory(project=project).enterprise
    original, corrected = enterprise.credit_code, credit_code()
    client.force_login(project_user)
    client.post(reverse("enterprises:edit", args=[enterprise.pk]), {"credit_code": corrected, "name": "甲"})
    enterprise.refresh_from_db()
    assert enterprise.credit_code == original
    client.force_login(supervisor)
    response = client.post(
        reverse("enterprises:edit", args=[enterprise.pk]), {"credit_code": corrected, "name": "甲"}
    )
    assert response.status_code == 302
    enterprise.refresh_from_db()
    assert enterprise.credit_code == corrected


def test_a_supervisor_cannot_correct_a_code_into_one_already_registered(supervisor_client):
    first, second = EnterpriseFactory(), EnterpriseFactory()
    response = supervisor_client.post(
        reverse("enterprises:edit", args=[second.pk]), {"credit_code": first.credit_code, "name": second.name}
    )
    assert response.status_code == 200
    assert "已存在" in response.content.decode()


def test_enterprise_detail_lists_only_the_projects_in_the_viewers_scope(
    client, project, other_project, other_user
):
    enterprise = EnterpriseFactory()
    UnitFactory(project=project, enterprise=enterprise)
    UnitFactory(project=other_project, enterprise=enterprise)
    client.force_login(other_user)
    page = client.get(reverse("enterprises:detail", args=[enterprise.pk])).content.decode()
    assert other_project.name in page and project.name not in page


def test_the_library_searches_by_name_and_by_credit_code(project_client):
    wanted = EnterpriseFactory(name="鹤山市精工钢构有限公司")
    EnterpriseFactory(name="台山市水利工程有限公司")
    page = project_client.get(reverse("enterprises:list"), {"q": "精工"}).content.decode()
    assert wanted.name in page and "台山市水利" not in page
    page = project_client.get(
        reverse("enterprises:list"), {"q": wanted.credit_code[-6:].lower()}
    ).content.decode()
    assert wanted.name in page and "台山市水利" not in page


def test_only_supervisors_delete_and_only_an_enterprise_nothing_refers_to(
    client, project, project_user, supervisor
):
    lonely = EnterpriseFactory()
    taking_part = UnitFactory(project=project).enterprise
    client.force_login(project_user)
    assert client.post(reverse("enterprises:delete", args=[lonely.pk])).status_code == 404
    client.force_login(supervisor)
    response = client.post(reverse("enterprises:delete", args=[taking_part.pk]), follow=True)
    assert "已是项目参建单位，不能从企业库删除" in response.content.decode()
    assert Enterprise.objects.filter(pk=taking_part.pk).exists()
    client.post(reverse("enterprises:delete", args=[lonely.pk]))
    assert not Enterprise.objects.filter(pk=lonely.pk).exists()
    assert AuditLog.objects.filter(action="enterprise.delete", object_id=str(lonely.pk)).exists()


def test_an_admin_may_delete_an_unreferenced_enterprise(client):
    enterprise = EnterpriseFactory()
    client.force_login(AdminFactory())
    client.post(reverse("enterprises:delete", args=[enterprise.pk]))
    assert not Enterprise.objects.filter(pk=enterprise.pk).exists()


def test_registration_never_returns_to_another_site(project_client):
    response = project_client.post(
        reverse("enterprises:register") + "?next=https://evil.example/",
        {"credit_code": credit_code(), "name": "外链测试公司"},
    )
    enterprise = Enterprise.objects.get(name="外链测试公司")
    assert response["Location"] == reverse("enterprises:detail", args=[enterprise.pk])


def test_a_negative_registered_capital_is_refused(project_client):
    response = register(project_client, registered_capital="-5")
    assert "注册资本不能为负数" in response.content.decode()
    assert not Enterprise.objects.exists()


def test_a_project_user_can_narrow_the_library_to_its_own_units(client, project, project_user, supervisor):
    mine = UnitFactory(project=project).enterprise
    stranger = EnterpriseFactory(name="别处的企业")
    client.force_login(project_user)
    page = client.get(reverse("enterprises:list"), {"mine": "true"}).content.decode()
    assert mine.name in page and stranger.name not in page
    page = client.get(reverse("enterprises:list"), {"mine": "false"}).content.decode()
    assert mine.name not in page and stranger.name in page
    client.force_login(supervisor)
    page = client.get(reverse("enterprises:list"), {"mine": "true"}).content.decode()
    assert mine.name in page and stranger.name in page and "本项目参建单位" not in page


def test_a_referenced_enterprise_shows_no_delete_button(supervisor_client, project):
    enterprise = UnitFactory(project=project).enterprise
    page = supervisor_client.get(reverse("enterprises:detail", args=[enterprise.pk])).content.decode()
    assert reverse("enterprises:delete", args=[enterprise.pk]) not in page
    assert "不能删除" in page
