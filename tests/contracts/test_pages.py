"""合同管理 pages: the entry page's 【提交】, scans served only through the project check, list and ledger."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from PIL import Image

from contracts import services
from contracts.models import Contract, ContractScan
from jmzhgd.core.models import AuditLog
from tests import factories

from .conftest import pdf_bytes, png_bytes, upload

pytestmark = pytest.mark.django_db


def entry_url(entry):
    return reverse("contracts:entry", kwargs={"project_id": entry.project_id, "entry_id": entry.pk})


def form_data(entry, **overrides):
    data = {
        "unit": entry.unit_id,
        "contract_type": "labour",
        "period_type": "0",
        "start_date": "2026-03-03",
        "end_date": "2027-03-02",
        "measure_unit": "",
        "unit_price": "",
    }
    data.update(overrides)
    return data


def test_submitting_the_form_signs_a_contract_with_its_scan_pages(project_client, entry):
    data = form_data(entry, scans=[upload(png_bytes(), "第一页.png"), upload(pdf_bytes(), "第二页.pdf")])
    response = project_client.post(entry_url(entry), data)
    assert response.status_code == 302
    contract = Contract.objects.get(roster_entry=entry)
    scans = list(contract.scans.all())
    assert [(s.page, s.original_name, s.content_type) for s in scans] == [
        (1, "第一页.png", "image/png"),
        (2, "第二页.pdf", "application/pdf"),
    ]
    assert scans[0].thumbnail and scans[1].thumbnail  # the PDF is a scan: its page image
    assert scans[0].project == entry.project
    assert AuditLog.objects.filter(action="contract.scan_add", object_id=str(contract.pk)).exists()


def test_a_pdf_that_is_not_a_pdf_is_refused_and_nothing_is_saved(project_client, entry):
    fake = upload(b"%PDF-1.4 this is really an executable without an end marker", "合同.pdf")
    response = project_client.post(entry_url(entry), form_data(entry, scans=[fake]))
    assert response.status_code == 200
    assert "不完整或已损坏" in response.content.decode()
    assert not Contract.objects.exists() and not ContractScan.objects.exists()


def test_an_html_file_named_pdf_is_refused_as_not_a_pdf(project_client, entry):
    fake = upload(b"<html><script>alert(1)</script></html>", "合同.pdf")
    response = project_client.post(entry_url(entry), form_data(entry, scans=[fake]))
    assert "文件“合同.pdf”不是有效的 PDF 文件" in response.content.decode()
    assert not Contract.objects.exists()


def test_expiry_before_effective_date_is_shown_on_the_field(project_client, entry):
    response = project_client.post(entry_url(entry), form_data(entry, end_date="2026-03-01"))
    assert response.status_code == 200
    assert "合同失效日期（2026-03-01）不能早于合同生效日期（2026-03-03）" in response.content.decode()


def test_a_unit_of_another_project_cannot_be_chosen(project_client, entry, other_project):
    foreign = factories.UnitFactory(project=other_project)
    response = project_client.post(entry_url(entry), form_data(entry, unit=foreign.pk))
    assert "请选择本项目的参建单位" in response.content.decode()


def test_an_html_file_named_png_is_refused_as_not_an_image(project_client, entry):
    fake = upload(b"<html><script>alert(1)</script></html>", "第一页.png")
    response = project_client.post(entry_url(entry), form_data(entry, scans=[fake]))
    assert "文件“第一页.png”不是有效的 JPG 或 PNG 图片" in response.content.decode()
    assert not Contract.objects.exists()


def test_the_form_offers_only_this_projects_units_with_the_workers_unit_preselected(
    project_client, entry, other_project
):
    foreign = factories.UnitFactory(project=other_project)
    page = project_client.get(entry_url(entry)).content.decode()
    assert f'<option value="{entry.unit_id}" selected>' in page
    assert foreign.enterprise.name not in page


def test_supervisor_reads_the_contract_page_but_cannot_submit(client, supervisor, entry):
    client.force_login(supervisor)
    page = client.get(entry_url(entry))
    assert page.status_code == 200 and "提交" not in page.content.decode()
    assert client.post(entry_url(entry), form_data(entry)).status_code == 403
    assert not Contract.objects.exists()


def test_another_projects_account_gets_404_for_the_entry(client, other_user, entry):
    client.force_login(other_user)
    assert client.get(entry_url(entry)).status_code == 404
    own = reverse("contracts:entry", kwargs={"project_id": other_user.project_id, "entry_id": entry.pk})
    assert client.get(own).status_code == 404


def scan_url(name, scan, project_id=None):
    return reverse(name, kwargs={"project_id": project_id or scan.project_id, "scan_id": scan.pk})


def test_the_projects_account_gets_the_scan_and_its_thumbnail(project_client, scan):
    response = project_client.get(scan_url("contracts:scan", scan))
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")
    assert project_client.get(scan_url("contracts:scan_thumbnail", scan))["Content-Type"] == "image/jpeg"
    assert "合同扫描件第 1 页" in project_client.get(scan_url("contracts:scan_view", scan)).content.decode()


def test_another_projects_scan_is_404(client, other_user, scan):
    client.force_login(other_user)
    for name in ("contracts:scan", "contracts:scan_thumbnail", "contracts:scan_view"):
        assert client.get(scan_url(name, scan)).status_code == 404
        assert client.get(scan_url(name, scan, project_id=other_user.project_id)).status_code == 404


def test_removing_a_scan_page_keeps_the_file_and_the_record(project_client, scan):
    response = project_client.post(scan_url("contracts:scan_remove", scan))
    assert response.status_code == 302
    scan.refresh_from_db()
    assert scan.removed_at is not None and scan.file.storage.exists(scan.file.name)
    page = project_client.get(entry_url(scan.contract.roster_entry)).content.decode()
    assert scan_url("contracts:scan_view", scan) not in page
    assert AuditLog.objects.filter(action="contract.scan_remove").exists()


def test_renewing_from_the_page_keeps_the_previous_contract_as_history(project_client, scan):
    previous = scan.contract
    url = reverse("contracts:renew", kwargs={"project_id": previous.project_id, "contract_id": previous.pk})
    form = project_client.get(url).content.decode()
    assert 'value="2027-03-03"' in form  # the day after the previous expiry
    entry = previous.roster_entry
    response = project_client.post(url, form_data(entry, start_date="2027-03-03", end_date="2028-03-02"))
    assert response.status_code == 302
    renewal = services.current_contract(entry)
    assert renewal.renewal_of == previous
    page = project_client.get(entry_url(entry)).content.decode()
    assert "历史合同" in page and "2026-03-03 至 2027-03-02" in page


@pytest.fixture
def ledger(project, actor):
    """Four workers on site: unsigned, valid, expiring in 10 days, expired yesterday."""
    today = timezone.localdate()
    team = factories.TeamFactory(unit__project=project)
    names = ["甲未签", "乙有效", "丙将到期", "丁已过期"]
    entries = [
        factories.RosterEntryFactory(team=team, person__name=n, entry_date=date(2025, 1, 1)) for n in names
    ]
    for entry, end in zip(
        entries[1:],
        [today + timedelta(days=200), today + timedelta(days=10), today - timedelta(days=1)],
        strict=True,
    ):
        services.sign_contract(actor, entry, {"start_date": date(2025, 1, 1), "end_date": end})
    return entries


def test_the_list_shows_one_row_per_roster_entry_with_its_status(project_client, project, ledger):
    page = project_client.get(reverse("contracts:list", kwargs={"project_id": project.pk})).content.decode()
    for name in ("甲未签", "乙有效", "丙将到期", "丁已过期"):
        assert name in page
    for label in ("未签订", "有效", "即将到期", "已过期"):
        assert f'data-testid="contract-status">{label}<' in page


@pytest.mark.parametrize(
    ("status", "name"),
    [("none", "甲未签"), ("valid", "乙有效"), ("expiring", "丙将到期"), ("expired", "丁已过期")],
)
def test_the_list_filters_by_status(project_client, project, ledger, status, name):
    url = reverse("contracts:list", kwargs={"project_id": project.pk})
    page = project_client.get(url, {"status": status}).content.decode()
    table = page.split('data-testid="contract-table"', 1)[1]
    shown = [n for n in ("甲未签", "乙有效", "丙将到期", "丁已过期") if n in table]
    assert shown == [name]


def test_the_list_filters_by_unit_and_offers_only_this_projects_units(
    project_client, project, ledger, other_project
):
    foreign = factories.UnitFactory(project=other_project)
    elsewhere = factories.RosterEntryFactory(team__unit__project=project, person__name="戊别的单位")
    url = reverse("contracts:list", kwargs={"project_id": project.pk})
    page = project_client.get(url, {"unit": elsewhere.unit_id}).content.decode()
    table = page.split('data-testid="contract-table"', 1)[1]
    assert "戊别的单位" in table and "乙有效" not in table
    assert foreign.enterprise.name not in page

    searched = (
        project_client.get(url, {"q": "丙将"}).content.decode().split('data-testid="contract-table"', 1)[1]
    )
    assert "丙将到期" in searched and "乙有效" not in searched


def test_adding_a_scan_page_updates_the_contracts_update_date(actor, scan):
    contract = scan.contract
    before = contract.updated_at
    page = SimpleUploadedFile("b.png", png_bytes(), content_type="image/png")
    services.add_scans(actor, contract, [page])
    contract.refresh_from_db()
    assert contract.updated_at > before


def test_the_list_query_count_does_not_grow_with_rows(project_client, project, ledger, actor):
    url = reverse("contracts:list", kwargs={"project_id": project.pk})
    with CaptureQueriesContext(connection) as few:
        project_client.get(url)
    team = ledger[0].team
    for _ in range(5):
        entry = factories.RosterEntryFactory(team=team)
        services.sign_contract(actor, entry, {"start_date": date(2026, 3, 3), "end_date": date(2027, 3, 2)})
    with CaptureQueriesContext(connection) as more:
        project_client.get(url)
    assert len(more) == len(few)


def test_the_ledger_export_has_the_same_rows_as_the_page_and_is_audit_logged(project_client, project, ledger):
    url = reverse("contracts:export", kwargs={"project_id": project.pk})
    response = project_client.get(url, {"status": "expiring"})
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(workbook.active.iter_rows(values_only=True))
    header, data = rows[1], rows[2:]
    assert header[0] == "姓名" and "合同状态" in header
    assert [row[0] for row in data] == ["丙将到期"]
    assert data[0][header.index("合同状态")] == "即将到期"
    assert "*" in data[0][1]  # masked ID number, never the full one
    assert AuditLog.objects.filter(action="contract.export", project=project).exists()


def test_a_refused_edit_changes_nothing_and_the_page_still_shows_the_saved_status(project_client, scan):
    contract = scan.contract
    entry = contract.roster_entry
    today = timezone.localdate()
    response = project_client.post(
        entry_url(entry),
        form_data(entry, start_date="2026-03-03", end_date=f"{today + timedelta(days=5):%Y-%m-%d}"),
    )
    assert response.status_code == 302  # saved: now expiring within 30 days
    response = project_client.post(entry_url(entry), form_data(entry, end_date="2026-01-01"))
    assert response.status_code == 200
    assert 'data-testid="contract-status">即将到期<' in response.content.decode()
    contract.refresh_from_db()
    assert contract.end_date == today + timedelta(days=5)


def test_the_page_lists_the_same_persons_contracts_of_other_stays_in_the_project(project_client, scan, actor):
    entry = scan.contract.roster_entry
    earlier = factories.RosterEntryFactory(
        person=entry.person, team=entry.team, entry_date=date(2025, 5, 1), exit_date=date(2025, 12, 31)
    )
    services.sign_contract(actor, earlier, {"start_date": date(2025, 5, 1), "end_date": date(2025, 12, 31)})
    page = project_client.get(entry_url(entry)).content.decode()
    other = page.split('data-testid="other-stays"', 1)[1]
    assert "2025-05-01 至 2025-12-31" in other and "已过期" in other


def test_a_scanned_pdf_page_shows_its_picture_and_a_drawn_one_a_pdf_icon(project_client, actor, scan):
    # A scanner's PDF holds one image per page: the list shows it, marked PDF. A PDF drawn from
    # text and lines has no image to show and keeps the icon.
    from pypdf import PdfWriter

    drawn = io.BytesIO()
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer.write(drawn)
    scanned, blank = services.add_scans(
        actor,
        scan.contract,
        [
            SimpleUploadedFile("扫描.pdf", pdf_bytes(), content_type="application/pdf"),
            SimpleUploadedFile("导出.pdf", drawn.getvalue(), content_type="application/pdf"),
        ],
    )
    assert scanned.thumbnail and not blank.thumbnail
    response = project_client.get(scan_url("contracts:scan_thumbnail", scanned))
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    thumbnail = Image.open(io.BytesIO(b"".join(response.streaming_content)))
    assert thumbnail.format == "JPEG" and max(thumbnail.size) <= services.THUMBNAIL_SIZE[0]
    assert project_client.get(scan_url("contracts:scan_thumbnail", blank)).status_code == 404

    page = project_client.get(entry_url(scan.contract.roster_entry)).content.decode()
    cards = page.split('data-testid="scan"')[1:]
    assert len(cards) == 3
    shown = {card.split("第 ", 1)[1].split(" 页", 1)[0]: card for card in cards}
    assert "/thumbnail/" in shown["1"] and "PDF</span>" not in shown["1"]  # the PNG page
    assert "/thumbnail/" in shown["2"] and "PDF</span>" in shown["2"]
    assert "/thumbnail/" not in shown["3"] and "bi-file-earmark-pdf" in shown["3"]
