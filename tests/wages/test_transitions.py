"""The 工资支付表's states (条例 art. 30, 31): every allowed transition, every refused one, all audited."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from jmzhgd.core.models import AuditLog
from tests import factories
from tests.wages.approval import CONFIRMED
from wages import services, transitions
from wages.models import PayrollStatus, PayRule, RowPayStatus

from .conftest import APRIL

pytestmark = pytest.mark.django_db
S = PayrollStatus
PAY_DAY = datetime.date(2026, 5, 15)


def png() -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (60, 40), "white").save(out, "PNG")
    return SimpleUploadedFile("凭证.png", out.getvalue(), content_type="image/png")


@pytest.fixture
def sheet(actor, team, workers, today_may):
    return services.generate_payroll(actor, team, APRIL, pay_rule=PayRule.DAILY, rate=Decimal("300"))


def run(actor, sheet, name):
    """Perform transition `name` with the inputs it needs."""
    if name == "submit":
        return transitions.submit(actor, sheet)
    if name == "approve":
        return transitions.approve(actor, sheet, confirmation=CONFIRMED)
    if name == "return":
        return transitions.return_payroll(actor, sheet, "金额有误")
    if name == "pay":
        return transitions.mark_paid(actor, sheet, balance_date=PAY_DAY, voucher=png())
    return transitions.confirm(actor, sheet, signature_scan=png())


def bring_to(actor, sheet, status):
    path = {S.DRAFT: [], S.SUBMITTED: ["submit"], S.APPROVED: ["submit", "approve"]}
    path[S.PAID] = path[S.APPROVED] + ["pay"]
    path[S.CONFIRMED] = path[S.PAID] + ["confirm"]
    for name in path[status]:
        sheet = run(actor, sheet, name)
    return sheet


ALLOWED = {
    (S.DRAFT, "submit"): S.SUBMITTED,
    (S.SUBMITTED, "approve"): S.APPROVED,
    (S.SUBMITTED, "return"): S.DRAFT,
    (S.APPROVED, "return"): S.DRAFT,
    (S.APPROVED, "pay"): S.PAID,
    (S.PAID, "confirm"): S.CONFIRMED,
}
CASES = [(state, name) for state in S.values for name in ("submit", "approve", "return", "pay", "confirm")]


@pytest.mark.parametrize("state, name", CASES)
def test_each_transition_from_each_state(actor, sheet, state, name):
    sheet = bring_to(actor, sheet, state)
    audited = AuditLog.objects.filter(action=f"payroll.{name}").count()
    if (state, name) in ALLOWED:
        sheet = run(actor, sheet, name)
        sheet.refresh_from_db()
        assert sheet.status == ALLOWED[(state, name)]
        assert AuditLog.objects.filter(action=f"payroll.{name}").count() == audited + 1
    else:
        with pytest.raises(ValidationError, match="不能"):
            run(actor, sheet, name)
        sheet.refresh_from_db()
        assert sheet.status == state
        assert AuditLog.objects.filter(action=f"payroll.{name}").count() == audited


def test_return_needs_a_reason_and_keeps_it(actor, sheet):
    sheet = bring_to(actor, sheet, S.APPROVED)
    with pytest.raises(ValidationError, match="须填写原因"):
        transitions.return_payroll(actor, sheet, "  ")
    transitions.return_payroll(actor, sheet, "王五出勤天数有误")
    sheet.refresh_from_db()
    assert sheet.status == S.DRAFT and sheet.return_reason == "王五出勤天数有误"
    row = AuditLog.objects.get(action="payroll.return")
    assert "王五出勤天数有误" in row.summary and row.before == {"status": "approved"}


def test_rows_cannot_be_edited_after_submission(actor, sheet):
    sheet = bring_to(actor, sheet, S.APPROVED)
    row = sheet.rows.first()
    with pytest.raises(ValidationError, match="退回"):
        services.update_rows(actor, sheet, {row.pk: {"total_amount": "1"}})


def test_paying_needs_a_voucher_or_the_bank_result(actor, sheet):
    sheet = bring_to(actor, sheet, S.APPROVED)
    with pytest.raises(ValidationError, match="代发凭证"):
        transitions.mark_paid(actor, sheet, balance_date=PAY_DAY)


@pytest.mark.parametrize(
    "day, message",
    [(datetime.date(2026, 5, 21), "不能晚于今天"), (datetime.date(2026, 3, 31), "不能早于工资月份")],
)
def test_the_balance_date_is_not_in_the_future_nor_before_the_month(actor, sheet, day, message):
    sheet = bring_to(actor, sheet, S.APPROVED)
    with pytest.raises(ValidationError, match=message):
        transitions.mark_paid(actor, sheet, balance_date=day, voucher=png())


def test_a_row_the_bank_failed_keeps_the_sheet_from_paid(actor, sheet):
    sheet = bring_to(actor, sheet, S.APPROVED)
    sheet.rows.filter(person__name="李四").update(pay_status=RowPayStatus.FAILED)
    with pytest.raises(ValidationError, match="代发失败"):
        transitions.mark_paid(actor, sheet, balance_date=PAY_DAY, voucher=png())
    sheet.refresh_from_db()
    assert sheet.status == S.APPROVED and not sheet.voucher


def test_confirm_by_ticking_every_signed_row(actor, sheet):
    sheet = bring_to(actor, sheet, S.PAID)
    ids = list(sheet.rows.values_list("pk", flat=True))
    with pytest.raises(ValidationError, match="1 人未签字"):
        transitions.confirm(actor, sheet, signed_row_ids=ids[:-1])
    assert not sheet.rows.filter(signed=True).exists()  # the refused attempt wrote nothing
    transitions.confirm(actor, sheet, signed_row_ids=ids)
    sheet.refresh_from_db()
    assert sheet.status == S.CONFIRMED and sheet.rows.filter(signed=False).count() == 0


def test_a_voucher_that_is_not_an_image_or_pdf_is_refused(actor, sheet):
    sheet = bring_to(actor, sheet, S.APPROVED)
    fake = SimpleUploadedFile("凭证.png", b"<script>alert(1)</script>", content_type="image/png")
    with pytest.raises(ValidationError, match="不是有效的"):
        transitions.mark_paid(actor, sheet, balance_date=PAY_DAY, voucher=fake)
    sheet.refresh_from_db()
    assert sheet.status == S.APPROVED


def test_a_sheet_without_any_amount_cannot_be_submitted(actor, team, workers, today_may):
    sheet = services.generate_payroll(actor, team, APRIL)
    with pytest.raises(ValidationError, match="没有实发金额"):
        transitions.submit(actor, sheet)
    sheet.refresh_from_db()
    assert sheet.status == S.DRAFT


def test_the_account_that_submitted_approves_only_with_a_written_confirmation(actor, sheet):
    """A project with one account (总包审核 by the same account): a second, written confirmation."""
    submitted = transitions.submit(actor, sheet)
    with pytest.raises(ValidationError, match="提交与审核为同一账号"):
        transitions.approve(actor, submitted)
    approved = transitions.approve(actor, submitted, confirmation="已由总包项目负责人王某核对")
    assert approved.status == PayrollStatus.APPROVED
    row = AuditLog.objects.get(action="payroll.approve")
    assert "提交人本人审核" in row.summary and "已由总包项目负责人王某核对" in row.summary


def test_where_the_project_has_another_account_the_submitter_cannot_approve(actor, sheet, project, contracts):
    from jmzhgd.core.actor import Actor

    other_account = factories.ProjectUserFactory(project=project, username="zb-reviewer")
    submitted = transitions.submit(actor, sheet)
    with pytest.raises(ValidationError, match="须由提交人以外的账号"):
        transitions.approve(actor, submitted, confirmation="我自己核对过了")
    approved = transitions.approve(Actor(user=other_account, ip="127.0.0.1"), submitted)
    assert approved.status == PayrollStatus.APPROVED


def test_the_sheet_page_asks_the_submitter_for_the_confirmation(project_client, actor, sheet, contracts):
    from django.urls import reverse

    transitions.submit(actor, sheet)
    url = reverse("wages:approve", kwargs={"project_id": sheet.project_id, "payroll_id": sheet.pk})
    html = project_client.post(url, follow=True).content.decode()
    assert "提交与审核为同一账号" in html and 'data-testid="approve-confirmation"' in html
    project_client.post(url, {"confirmation": "已由总包项目负责人核对"})
    sheet.refresh_from_db()
    assert sheet.status == PayrollStatus.APPROVED
