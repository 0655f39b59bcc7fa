"""【批量人员进场】 pages: upload, preview, 【导入】, 【放弃】, history and downloads."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from tests.workforce.fixtures.site import NOT_IN_LIBRARY, PERSONS, build_site, row, workbook_bytes
from workforce.models import ImportBatch, ImportBatchStatus, RosterEntry

pytestmark = pytest.mark.django_db
FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def site(project):
    return build_site(project)


def url(name, project, batch=None):
    kwargs = {"project_id": project.pk}
    if batch is not None:
        kwargs["batch_id"] = batch.pk
    return reverse(f"workforce:{name}", kwargs=kwargs)


def post_file(client, project, data: bytes, name: str = "进场名单.xlsx"):
    return client.post(url("import", project), {"file": SimpleUploadedFile(name, data)})


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_the_import_page_offers_the_template_and_the_upload(project_client, project, site):
    page = project_client.get(url("import", project)).content.decode()
    assert url("import_template", project) in page and 'type="file"' in page and "导入记录" in page
    response = project_client.get(url("import_template", project))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    assert load_workbook(io.BytesIO(response.content)).sheetnames[1] == "人员进场"


def test_an_upload_opens_its_preview_with_every_problem(project_client, project, site):
    data = workbook_bytes([row("李建国", PERSONS["李建国"]), row(*NOT_IN_LIBRARY)])
    response = post_file(project_client, project, data)
    batch = ImportBatch.objects.get()
    assert response.status_code == 302 and response["Location"] == url("import_detail", project, batch)
    page = project_client.get(response["Location"]).content.decode()
    assert "第3行 证件号码: 人员库中没有该人员，请先通过采集APP或采集接口采集" in page
    assert "4407**********0968" in page and NOT_IN_LIBRARY[1] not in page
    assert 'data-testid="commit"' in page and "放弃" in page
    assert batch.file_name == "进场名单.xlsx" and batch.uploaded_by.project == project
    assert not RosterEntry.objects.exists()


def test_a_bad_upload_is_answered_on_the_form_and_records_nothing(project_client, project, site):
    response = post_file(project_client, project, (FIXTURES / "libreoffice_old_header.xlsx").read_bytes())
    assert response.status_code == 400
    assert "缺少列：证件号码、是否班组长" in response.content.decode()
    response = post_file(project_client, project, b"\xd0\xcf\x11\xe0" + b"\0" * 100, "old.xls")
    assert "另存为 .xlsx" in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_import_button_enters_the_valid_rows_and_shows_the_result(project_client, project, site):
    post_file(
        project_client, project, workbook_bytes([row("李建国", PERSONS["李建国"]), row(*NOT_IN_LIBRARY)])
    )
    batch = ImportBatch.objects.get()
    response = project_client.post(url("import_commit", project, batch), follow=True)
    page = response.content.decode()
    assert "导入完成：成功进场1人，失败1行" in page and 'data-testid="download-errors"' in page
    batch.refresh_from_db()
    assert batch.status == ImportBatchStatus.IMPORTED
    assert RosterEntry.objects.get().person.name == "李建国"


def test_warnings_need_the_confirmation_checkbox(project_client, project, site):
    person = site.persons["李建国"]
    person.id_valid_to = date(2026, 1, 1)
    person.save()
    post_file(project_client, project, workbook_bytes([row("李建国", PERSONS["李建国"])]))
    batch = ImportBatch.objects.get()
    page = project_client.get(url("import_detail", project, batch)).content.decode()
    assert 'name="confirm_warnings"' in page and "证件已于2026-01-01过期" in page
    page = project_client.post(url("import_commit", project, batch), follow=True).content.decode()
    assert "请勾选确认后再导入" in page and not RosterEntry.objects.exists()
    project_client.post(url("import_commit", project, batch), {"confirm_warnings": "1"})
    assert RosterEntry.objects.count() == 1


def test_abandon_leaves_the_roster_untouched(project_client, project, site):
    post_file(project_client, project, workbook_bytes([row("李建国", PERSONS["李建国"])]))
    batch = ImportBatch.objects.get()
    response = project_client.post(url("import_abandon", project, batch))
    assert response["Location"] == url("import", project)
    batch.refresh_from_db()
    assert batch.status == ImportBatchStatus.ABANDONED and not RosterEntry.objects.exists()
    page = project_client.get(url("import_detail", project, batch)).content.decode()
    assert 'data-testid="commit"' not in page


def test_an_abandoned_uploads_file_is_gone_and_its_page_says_so(
    project_client, project, site, django_capture_on_commit_callbacks
):
    post_file(project_client, project, workbook_bytes([row("李建国", "440703198003158500")]))
    batch = ImportBatch.objects.get()
    assert project_client.get(url("import_file", project, batch)).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        project_client.post(url("import_abandon", project, batch))
    page = project_client.get(url("import_detail", project, batch)).content.decode()
    assert 'data-testid="file-deleted"' in page and url("import_file", project, batch) not in page
    assert project_client.get(url("import_file", project, batch)).status_code == 404
    assert project_client.get(url("import_errors", project, batch)).status_code == 404


@pytest.fixture
def supervisor_browser(supervisor):
    """The supervisor in a client of their own (project_client and supervisor_client share one)."""
    client = Client()
    client.force_login(supervisor)
    return client


def test_history_lists_every_upload_with_its_counts(project_client, supervisor_browser, project, site):
    post_file(
        project_client,
        project,
        workbook_bytes([row("李建国", PERSONS["李建国"]), row(*NOT_IN_LIBRARY)]),
        "第一批.xlsx",
    )
    project_client.post(url("import_commit", project, ImportBatch.objects.get()))
    post_file(project_client, project, workbook_bytes([row("王秀英", PERSONS["王秀英"])]), "第二批.xlsx")
    page = supervisor_browser.get(url("import_history", project)).content.decode()
    assert "第一批.xlsx" in page and "第二批.xlsx" in page and "已导入" in page and "待确认" in page
    filtered = supervisor_browser.get(url("import_history", project) + "?status=imported").content.decode()
    assert "第一批.xlsx" in filtered and "第二批.xlsx" not in filtered


def test_downloads_report_failed_rows_and_original_file(project_client, project, site):
    data = workbook_bytes([row("李建国", PERSONS["李建国"]), row(*NOT_IN_LIBRARY)])
    post_file(project_client, project, data)
    batch = ImportBatch.objects.get()
    project_client.post(url("import_commit", project, batch))

    errors = load_workbook(io.BytesIO(body(project_client.get(url("import_errors", project, batch)))))
    rows = [[c.value for c in r] for r in errors.active.iter_rows() if any(c.value is not None for c in r)]
    assert (
        len(rows) == 2
        and rows[1][2] == NOT_IN_LIBRARY[1]
        and rows[1][-1].startswith("证件号码: 人员库中没有")
    )

    report = load_workbook(io.BytesIO(body(project_client.get(url("import_report", project, batch)))))
    values = [[c.value for c in r] for r in report.active.iter_rows(min_row=3)]
    assert [v[3] for v in values] == ["已进场", "失败"]
    assert values[1][2] == "4407**********0968" and values[1][4].startswith("第3行 证件号码:")

    original = project_client.get(url("import_file", project, batch))
    assert body(original) == data and "attachment" in original["Content-Disposition"]


def test_a_supervisor_reads_the_batch_but_cannot_import_or_see_full_numbers(
    supervisor_browser, project_client, project, site
):
    post_file(project_client, project, workbook_bytes([row(*NOT_IN_LIBRARY)]))
    batch = ImportBatch.objects.get()
    page = supervisor_browser.get(url("import_detail", project, batch)).content.decode()
    assert "第2行 证件号码" in page and 'data-testid="commit"' not in page and "下载失败记录" not in page
    assert supervisor_browser.get(url("import_errors", project, batch)).status_code == 403
    assert supervisor_browser.post(url("import_commit", project, batch)).status_code == 403
