"""Import of the bank's 代发 result: good lines mark rows paid or failed, any bad line writes nothing."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from jmzhgd.core.models import AuditLog
from wages import services, transitions
from wages.bank_results import import_bank_result
from wages.models import PayrollStatus, PayRule, RowPayStatus

from .conftest import APRIL

pytestmark = pytest.mark.django_db
ZHANG, LI, WANG = "6217000000000000011", "6228480000000000022", "6222000000000000033"


def xlsx(*lines, header=("卡号", "金额", "状态", "原因")) -> SimpleUploadedFile:
    wb = Workbook()
    wb.active.append(list(header))
    for line in lines:
        wb.active.append(list(line))
    out = io.BytesIO()
    wb.save(out)
    return SimpleUploadedFile("结果.xlsx", out.getvalue())


@pytest.fixture
def sheet(actor, team, workers, today_may):
    sheet = services.generate_payroll(actor, team, APRIL, pay_rule=PayRule.DAILY, rate=Decimal("300"))
    return transitions.approve(actor, transitions.submit(actor, sheet), "已核对")


def test_every_row_paid_marks_the_sheet_paid(actor, sheet):
    result = import_bank_result(
        actor, sheet, xlsx((ZHANG, 900, "成功"), (LI, "600.00", "成功"), (WANG, 300, "成功"))
    )
    sheet.refresh_from_db()
    assert (result.paid, result.failed, result.sheet_paid) == (3, 0, True)
    assert sheet.status == PayrollStatus.PAID and sheet.balance_date.isoformat() == "2026-05-20"
    assert AuditLog.objects.filter(action__in=["payroll.bank_result", "payroll.pay"]).count() == 2


def test_a_failed_row_keeps_the_sheet_from_paid_until_it_is_paid(actor, sheet):
    result = import_bank_result(
        actor, sheet, xlsx((ZHANG, 900, "成功"), (LI, 600, "失败", "户名不符"), (WANG, 300, "成功"))
    )
    sheet.refresh_from_db()
    assert (result.paid, result.failed, result.sheet_paid) == (2, 1, False)
    assert sheet.status == PayrollStatus.APPROVED
    li = sheet.rows.get(person__name="李四")
    assert (li.pay_status, li.pay_note) == (RowPayStatus.FAILED, "户名不符")
    import_bank_result(actor, sheet, xlsx((LI, 600, "成功")))
    sheet.refresh_from_db()
    assert sheet.status == PayrollStatus.PAID


def test_bad_lines_are_each_reported_and_nothing_is_written(actor, sheet):
    upload = xlsx(
        (ZHANG, 900, "成功"),
        ("6200000000000000999", 100, "成功"),
        (LI, 650, "成功"),
        (WANG, 300, "处理中"),
        (6.2220000000000005e18, 300, "成功"),
        (ZHANG, 900, "成功"),
    )
    with pytest.raises(ValidationError) as caught:
        import_bank_result(actor, sheet, upload)
    messages = caught.value.messages
    assert messages[0].startswith("第3行 卡号：不是本工资支付表中任何人员的工资卡号")
    assert messages[1] == "第4行 金额：李四 的实发金额为 600.00，文件中为 650.00。"
    assert messages[2] == "第5行 状态：只能是“成功”或“失败”。"
    assert messages[3].startswith("第6行 卡号")
    assert messages[4] == "第7行 卡号：该卡号在文件中重复出现。"
    assert not sheet.rows.exclude(pay_status=RowPayStatus.PENDING).exists()


@pytest.mark.parametrize(
    "upload, message",
    [
        (SimpleUploadedFile("a.xlsx", b"not a workbook"), ".xlsx"),
        (xlsx((ZHANG, 900), header=("卡号", "金额")), "缺少列：状态"),
        (xlsx(), "没有数据行"),
    ],
)
def test_a_bad_file_is_refused_with_a_clear_message(actor, sheet, upload, message):
    with pytest.raises(ValidationError, match=message):
        import_bank_result(actor, sheet, upload)


def test_the_result_is_only_imported_between_approval_and_payment(actor, team, workers, today_may):
    draft = services.generate_payroll(actor, team, APRIL)
    with pytest.raises(ValidationError, match="审核后、发放前"):
        import_bank_result(actor, draft, xlsx((ZHANG, 0, "成功")))


def test_the_page_lists_the_errors(project_client, sheet):
    from django.urls import reverse

    url = reverse("wages:bank_result", kwargs={"project_id": sheet.project_id, "payroll_id": sheet.pk})
    html = project_client.post(url, {"file": xlsx((LI, 1, "成功"))}).content.decode()
    assert "文件未导入" in html and "第2行 金额：李四 的实发金额为 600.00，文件中为 1.00。" in html


def test_the_import_asks_first_because_a_fully_paid_result_is_final(project_client, sheet):
    from django.urls import reverse

    url = reverse("wages:bank_result", kwargs={"project_id": sheet.project_id, "payroll_id": sheet.pk})
    assert (
        'data-confirm="全部发放成功时，工资支付表将标记为已发放' in project_client.get(url).content.decode()
    )
