"""工资保证金 pages: supervisors keep the register, a project reads its 总包's deposit, nobody else."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook
from PIL import Image

from deposits.models import Deposit, DepositStatus
from jmzhgd.core.models import AuditLog
from tests import factories

from .conftest import make_deposit

pytestmark = pytest.mark.django_db


def png(name="凭证.png"):
    out = io.BytesIO()
    Image.new("RGB", (60, 40), "white").save(out, "PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


def form_data(project, **overrides):
    data = {
        "contractor_name": project.contractor_name,
        "contractor_code": project.contractor_code,
        "district": project.district,
        "form": "bank_guarantee",
        "bank_code": "102",
        "branch_name": "江门分行",
        "amount": "1,500,000",
        "contract_sum": "100000000",
        "deposited_on": "2026-06-01",
        "guarantee_valid_until": "2028-12-31",
        "note": "",
    }
    data.update(overrides)
    return data


def test_a_supervisor_records_a_deposit_with_its_scan(supervisor_client, project):
    response = supervisor_client.post(
        reverse("deposits:create"), {**form_data(project), "document_file": png()}
    )
    deposit = Deposit.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "deposits:detail", args=[deposit.pk]
    )
    assert deposit.ratio == 1.5 and deposit.document_name == "凭证.png"
    page = supervisor_client.get(reverse("deposits:detail", args=[deposit.pk]))
    assert "1.50%" in page.content.decode() and project.name in page.content.decode()
    assert supervisor_client.get(reverse("deposits:document", args=[deposit.pk])).status_code == 200


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("amount", "1e30", "必须是数字"),
        ("amount", "-5", "不能为负数"),
        ("amount", "200000000", "不能超过"),
        ("contract_sum", "NaN", "必须是数字"),
        ("contractor_code", "91440700MA4UXXXXX1", "统一社会信用代码"),
    ],
)
def test_bad_input_is_answered_in_chinese_and_saves_nothing(
    supervisor_client, project, field, value, message
):
    response = supervisor_client.post(reverse("deposits:create"), form_data(project, **{field: value}))
    assert response.status_code == 200 and message in response.content.decode()
    assert not Deposit.objects.exists()


def test_a_forged_upload_is_refused(supervisor_client, project):
    fake = SimpleUploadedFile("凭证.pdf", b"not a pdf at all", content_type="application/pdf")
    response = supervisor_client.post(
        reverse("deposits:create"), {**form_data(project), "document_file": fake}
    )
    assert response.status_code == 200 and not Deposit.objects.exists()


def test_an_event_is_recorded_through_the_page_and_audited(supervisor_client, project):
    deposit = make_deposit(project)
    url = reverse("deposits:event", args=[deposit.pk])
    data = {"kind": "used", "happened_on": "2026-07-01", "amount": "50000", "reason": "支付通知书〔2026〕3号"}
    response = supervisor_client.post(url, {**data, "document_file": png("通知书.png")})
    assert response.status_code == 302
    deposit.refresh_from_db()
    assert deposit.status == DepositStatus.USED and str(deposit.balance) == "250000.00"
    event = deposit.events.get()
    assert (
        supervisor_client.get(reverse("deposits:event_document", args=[deposit.pk, event.pk])).status_code
        == 200
    )
    assert AuditLog.objects.filter(action="deposit.use", object_id=str(deposit.pk)).exists()
    too_much = supervisor_client.post(url, {**data, "amount": "250000.01"})
    assert "不能超过当前余额" in too_much.content.decode()


def test_coverage_lists_contractors_with_and_without_a_deposit_and_filters(supervisor_client, project):
    make_deposit(project)
    bare = factories.ProjectFactory(district="440705", status="003")
    page = supervisor_client.get(reverse("deposits:coverage")).content.decode()
    assert project.contractor_name in page and bare.contractor_name in page and "无工资保证金" in page
    by_district = supervisor_client.get(reverse("deposits:coverage"), {"district": "440705"}).content.decode()
    assert bare.contractor_name in by_district and project.contractor_name not in by_district
    searched = supervisor_client.get(
        reverse("deposits:coverage"), {"q": project.contractor_code}
    ).content.decode()
    assert project.contractor_name in searched and bare.contractor_name not in searched
    none = supervisor_client.get(reverse("deposits:coverage"), {"cover": "none"}).content.decode()
    assert bare.contractor_name in none and project.contractor_name not in none


def test_coverage_export_is_the_filtered_rows_and_is_audited(supervisor_client, project):
    make_deposit(project)
    factories.ProjectFactory(district="440705")
    response = supervisor_client.get(reverse("deposits:export"), {"district": project.district})
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][1] == "总承包单位名称" and len(rows) == 3
    assert rows[2][2] == project.contractor_code and rows[2][9] == 1.5
    assert AuditLog.objects.filter(action="deposit.export").exists()


def test_the_project_reads_its_own_contractors_deposit_read_only(
    client, project, project_user, other_project, other_user
):
    deposit = make_deposit(project)
    make_deposit(other_project)
    client.force_login(project_user)
    page = client.get(reverse("deposits:project", args=[project.pk])).content.decode()
    assert deposit.contractor_name in page and "300000" in page and "登记动用" not in page
    assert client.get(reverse("deposits:project", args=[other_project.pk])).status_code == 404
    assert client.get(reverse("deposits:detail", args=[deposit.pk])).status_code == 404
    assert client.post(reverse("deposits:event", args=[deposit.pk]), {"kind": "returned"}).status_code == 404
    assert Deposit.objects.visible_to(project_user).get() == deposit


def test_a_project_whose_contractor_has_none_is_told_so(project_client, project):
    page = project_client.get(reverse("deposits:project", args=[project.pk])).content.decode()
    assert "尚未登记" in page


def test_a_district_supervisor_sees_only_his_districts_deposits(client, project):
    deposit = make_deposit(project)  # 蓬江区
    elsewhere = factories.SupervisorFactory(districts=["440705"])
    client.force_login(elsewhere)
    assert client.get(reverse("deposits:detail", args=[deposit.pk])).status_code == 404
    assert project.contractor_name not in client.get(reverse("deposits:coverage")).content.decode()
    form = client.get(reverse("deposits:create")).context["form"]
    assert [code for code, _ in form.fields["district"].choices] == ["440705"]


def test_the_coverage_page_costs_the_same_queries_however_many_contractors(supervisor_client, project):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert supervisor_client.get(reverse("deposits:coverage")).status_code == 200
        return len(queries)

    make_deposit(project)
    few = count()
    for _ in range(4):
        make_deposit(factories.ProjectFactory())
        factories.ProjectFactory()
    assert count() == few


def test_a_large_coverage_export_runs_as_a_job_by_its_registered_name(supervisor_client, project, settings):
    from jmzhgd.jobs.models import Export, ExportState

    settings.EXPORT_JOB_THRESHOLD_ROWS = 1
    make_deposit(project)
    factories.ProjectFactory()
    response = supervisor_client.get(reverse("deposits:export"))
    export = Export.objects.get()
    assert response.status_code == 302 and export.exporter == "deposits:coverage"
    assert export.state == ExportState.READY and export.total_rows == 2 and export.project is None
