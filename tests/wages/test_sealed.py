"""The sealed 工资支付表: every signature on it, sealed by the platform; a changed byte fails 验证签章."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from pypdf import PdfReader

from jmzhgd.core import seal
from jmzhgd.core.models import AuditLog
from wages.models import LineSignature

from .test_signing import outbox, png_data_url, sheet, urls, verified  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_sheet(client, sheet, workers, outbox):  # noqa: F811
    verified(client, sheet, workers["zhang"].person, outbox)
    client.post(urls(sheet)[2], {"decision": "confirmed", "signature": png_data_url()})
    verified(client, sheet, workers["li"].person, outbox)
    client.post(urls(sheet)[2], {"decision": "disputed", "reason": "少算一天"})
    assert LineSignature.objects.count() == 2
    return sheet


def test_the_sheets_sealed_pdf_lists_each_signature_and_verifies(project_client, signed_sheet, project):
    url = reverse("wages:sealed_pdf", args=[project.pk, signed_sheet.pk])
    response = project_client.get(url)
    assert response["Content-Type"] == "application/pdf"
    data = response.content
    verdict = seal.verify_pdf(data)
    assert verdict.valid, verdict.message
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages).replace("\x00", "")
    confirmed = LineSignature.objects.get(decision="confirmed")
    assert "张三" in text and "李四" in text and "王五" in text
    assert confirmed.content_sha256 in text.replace("\n", "") and "少算一天" in text and "未签署" in text
    assert AuditLog.objects.filter(action="payroll.export", summary__contains="电子签章").exists()


def test_a_one_byte_change_fails_the_page_and_the_command(project_client, signed_sheet, project, tmp_path):
    data = project_client.get(reverse("wages:sealed_pdf", args=[project.pk, signed_sheet.pk])).content
    page = reverse("core:verify_seal")
    good = project_client.post(page, {"file": _named(data)})
    assert "签章有效" in good.content.decode()
    at = len(data) // 3  # inside the signed content
    tampered = bytearray(data)
    tampered[at] ^= 0x01
    bad = project_client.post(page, {"file": _named(bytes(tampered))})
    assert "签章无效" in bad.content.decode()
    path = tmp_path / "sheet.pdf"
    path.write_bytes(bytes(tampered))
    with pytest.raises(CommandError):
        call_command("verify_seal", str(path), stdout=io.StringIO())
    path.write_bytes(data)
    out = io.StringIO()
    call_command("verify_seal", str(path), stdout=out)
    assert "有效" in out.getvalue()


def test_verifying_a_file_that_is_not_a_pdf_says_so(project_client):
    response = project_client.post(reverse("core:verify_seal"), {"file": _named(b"hello")})
    assert response.status_code == 400 and "请上传PDF文件" in response.content.decode()


def test_a_draft_sheet_has_no_sealed_pdf(project_client, actor, team, workers, today_may, project):
    from wages import services

    from .conftest import APRIL

    draft = services.generate_payroll(actor, team, APRIL)
    response = project_client.get(reverse("wages:sealed_pdf", args=[project.pk, draft.pk]), follow=True)
    assert "审核通过后才能生成电子签章PDF" in response.content.decode()


def _named(data: bytes):
    handle = io.BytesIO(data)
    handle.name = "file.pdf"
    return handle
