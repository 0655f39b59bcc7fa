"""项目申报 and 申报进度查询 (public pages, docs/requirements.md §3)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from jmzhgd.core.models import AuditLog
from projects import services
from projects.models import Declaration, DeclarationAttachment, DeclarationStatus
from projects.services import declarations

from .helpers import CAPTCHA, declaration_data, make_declaration, png_bytes

pytestmark = pytest.mark.django_db

DECLARE = "/declare/"


def post_declaration(client, ip="10.1.1.1", files=None, **overrides):
    data = {**declaration_data(**overrides), **CAPTCHA}
    if files:
        data["attachments"] = files
    return client.post(DECLARE, data, REMOTE_ADDR=ip)


def test_login_page_links_to_declaration_and_status_lookup(client):
    html = client.get("/accounts/login/").content.decode()
    assert f'href="{reverse("projects:declare")}"' in html and "项目申报" in html
    assert f'href="{reverse("projects:declaration_status")}"' in html and "申报进度查询" in html


def test_declaration_form_is_public_and_has_a_captcha(client):
    response = client.get(DECLARE)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="captcha"' in html and "提交申报" in html


def test_submitting_gives_a_declaration_number_and_is_audited(client):
    response = post_declaration(client, files=[SimpleUploadedFile("许可证.png", png_bytes())])
    assert response.status_code == 302 and response["Location"] == reverse("projects:declaration_submitted")
    declaration = Declaration.objects.get()
    assert declaration.status == DeclarationStatus.PENDING
    assert declaration.submitted_ip == "10.1.1.1"
    page = client.get(response["Location"]).content.decode()
    assert declaration.number in page
    attachment = DeclarationAttachment.objects.get()
    assert attachment.original_name == "许可证.png" and "许可证" not in attachment.file.name
    log = AuditLog.objects.get(action="declaration.submit")
    assert log.ip == "10.1.1.1" and declaration.number in log.summary


def test_the_submitted_page_shows_nothing_without_a_submission(client):
    response = client.get(reverse("projects:declaration_submitted"))
    assert response.status_code == 302 and response["Location"] == DECLARE


@pytest.mark.parametrize("field", ["builder_code", "contractor_code"])
def test_a_credit_code_with_a_wrong_check_digit_is_refused(client, field):
    good = declaration_data()[field]
    bad = good[:17] + ("0" if good[17] != "0" else "1")
    response = post_declaration(client, **{field: bad})
    assert response.status_code == 200
    assert "统一社会信用代码校验位不正确" in response.content.decode()
    assert not Declaration.objects.exists()


def test_a_credit_code_of_the_wrong_length_is_refused(client):
    response = post_declaration(client, builder_code="91440703MA5")
    assert "统一社会信用代码应为18位" in response.content.decode()
    assert not Declaration.objects.exists()


def test_a_pending_declaration_with_the_same_name_and_builder_is_refused(client):
    first = make_declaration(name="重复申报项目", builder_code="91440703MA4UHN8R1W")
    response = post_declaration(client, name="重复申报项目", builder_code="91440703MA4UHN8R1W")
    html = response.content.decode()
    assert response.status_code == 200
    assert "请勿重复申报" in html and first.number in html
    assert Declaration.objects.count() == 1


def test_the_same_project_may_be_declared_again_after_a_rejection(client, supervisor):
    from jmzhgd.core.actor import Actor

    first = make_declaration(name="被驳回的项目", builder_code="91440703MA4UHN8R1W")
    services.reject_declaration(Actor(user=supervisor), first.pk, "资料不全")
    response = post_declaration(client, name="被驳回的项目", builder_code="91440703MA4UHN8R1W")
    assert response.status_code == 302
    assert Declaration.objects.filter(status=DeclarationStatus.PENDING).count() == 1


def test_the_database_refuses_a_second_pending_duplicate_too(monkeypatch):
    """Two submits at once both pass the look-up; the partial unique constraint stops the second."""
    from django.core.exceptions import ValidationError

    make_declaration(name="并发申报", builder_code="91440703MA4UHN8R1W")
    original, calls = declarations.pending_duplicate, []

    def first_look_misses(*args):
        calls.append(args)
        return None if len(calls) == 1 else original(*args)

    monkeypatch.setattr(declarations, "pending_duplicate", first_look_misses)
    with pytest.raises(ValidationError) as caught:
        make_declaration(name="并发申报", builder_code="91440703MA4UHN8R1W")
    assert "请勿重复申报" in caught.value.messages[0]
    assert Declaration.objects.count() == 1


def test_a_mobile_number_is_required_as_contact_phone(client):
    response = post_declaration(client, contact_phone="0750-1234567")
    assert "手机号码应为以1开头的11位数字" in response.content.decode()


def test_a_wrong_captcha_is_refused(client):
    data = {**declaration_data(), "captcha_0": "k", "captcha_1": "WRONG"}
    response = client.post(DECLARE, data)
    assert "验证码错误" in response.content.decode()
    assert not Declaration.objects.exists()


def test_an_attachment_that_is_not_an_image_or_pdf_is_refused(client):
    bad = SimpleUploadedFile("合同.png", b"<html><script>alert(1)</script></html>")
    response = post_declaration(client, files=[bad])
    assert "不是有效的 JPG 或 PNG 图片" in response.content.decode()
    assert not Declaration.objects.exists()


def test_an_attachment_over_the_size_cap_is_refused(client, settings):
    settings.UPLOAD_IMAGE_MAX_BYTES = 1024 * 1024
    big = png_bytes(size=(1400, 1400))
    big += b"\0" * (1024 * 1024)  # trailing bytes push it over the cap
    response = post_declaration(client, files=[SimpleUploadedFile("big.png", big)])
    assert "不能超过 1 MB" in response.content.decode()
    assert not Declaration.objects.exists()


def test_too_many_attachments_are_refused(client):
    files = [
        SimpleUploadedFile(f"{i}.png", png_bytes()) for i in range(services.DECLARATION_MAX_ATTACHMENTS + 1)
    ]
    response = post_declaration(client, files=files)
    assert f"附件最多 {services.DECLARATION_MAX_ATTACHMENTS} 个" in response.content.decode()


def test_declarations_from_one_ip_are_rate_limited(client):
    for i in range(services.DECLARATION_RATE_LIMIT):
        make_declaration(ip="10.9.9.9", name=f"限流项目{i}")
    response = post_declaration(client, ip="10.9.9.9", name="再来一个")
    assert response.status_code == 429
    assert "提交过于频繁" in response.content.decode()
    assert not Declaration.objects.filter(name="再来一个").exists()
    # Another address is not affected.
    assert post_declaration(client, ip="10.9.9.10", name="再来一个").status_code == 302


STATUS = "/declare/status/"


def lookup(client, number, phone):
    return client.post(STATUS, {"number": number, "phone": phone, **CAPTCHA}).content.decode()


def test_status_lookup_needs_the_number_and_the_phone(client):
    declaration = make_declaration()
    assert "待审核" in lookup(client, declaration.number, "13800001111")
    assert "未找到" in lookup(client, declaration.number, "13800002222")
    assert "未找到" in lookup(client, "SB000", "13800001111")


def test_status_lookup_shows_the_rejection_reason(client, supervisor):
    from jmzhgd.core.actor import Actor

    declaration = make_declaration()
    services.reject_declaration(Actor(user=supervisor), declaration.pk, "施工许可证号有误")
    html = lookup(client, declaration.number.lower(), "13800001111")
    assert "已驳回" in html and "施工许可证号有误" in html


def test_status_lookup_after_approval_reveals_no_account_details(client, supervisor):
    from jmzhgd.core.actor import Actor

    declaration = make_declaration()
    project, user, password = services.approve_declaration(Actor(user=supervisor), declaration.pk)
    html = lookup(client, declaration.number, "13800001111")
    assert "已通过" in html
    assert user.username not in html and password not in html and project.code not in html
