"""PDF contract scans are viewed in the platform's own page, sandboxed; an unsafe stored PDF is not shown."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from contracts import services
from contracts.models import ContractScan
from jmzhgd.core.uploads import clean_pdf
from tests.security.test_hostile_pdfs import HOSTILE

from .conftest import pdf_bytes, upload

pytestmark = pytest.mark.django_db


def _contract_with_pdf(actor, entry, data: bytes, *, checked: bool = True) -> ContractScan:
    contract = services.sign_contract(
        actor, entry, {"start_date": date(2026, 3, 3), "end_date": date(2027, 3, 2)}
    )
    if checked:
        (scan,) = services.add_scans(actor, contract, [clean_pdf(upload(data, "合同.pdf"))])
        return scan
    # Stored as it was before a later rule existed: straight into storage, past today's checks.
    scan = ContractScan(project=contract.project, contract=contract, content_type="application/pdf", page=1)
    scan.file.save("old.pdf", ContentFile(data), save=False)
    scan.save()
    return scan


def urls(scan):
    kwargs = {"project_id": scan.project_id, "scan_id": scan.pk}
    return reverse("contracts:scan_view", kwargs=kwargs), reverse("contracts:scan", kwargs=kwargs)


def test_a_pdf_scan_is_shown_in_the_viewer_page_from_the_sandboxed_inline_file(project_client, actor, entry):
    scan = _contract_with_pdf(actor, entry, pdf_bytes())
    view_url, file_url = urls(scan)
    page = project_client.get(view_url).content.decode()
    assert f'<iframe src="{file_url}"' in page and "请点击【下载】后查看" not in page
    response = project_client.get(file_url)
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline;")
    policy = response["Content-Security-Policy"]
    assert "sandbox" in policy and "default-src 'none'" in policy and "frame-ancestors 'self'" in policy
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    # The download stays an attachment, and images keep refusing to be framed by anyone.
    assert project_client.get(file_url + "?download=1")["Content-Disposition"].startswith("attachment;")


def test_a_stored_pdf_that_fails_the_safety_check_is_not_shown(project_client, actor, entry):
    scan = _contract_with_pdf(actor, entry, HOSTILE["open-uri"][0], checked=False)
    view_url, file_url = urls(scan)
    page = project_client.get(view_url).content.decode()
    assert "<iframe" not in page and "未通过安全检查（打开时访问网址的动作（URI））" in page
    response = project_client.get(file_url)
    assert response["Content-Disposition"].startswith("attachment;")
    assert "X-Frame-Options" not in response or response["X-Frame-Options"] == "DENY"
