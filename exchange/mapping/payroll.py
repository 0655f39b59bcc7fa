"""Payroll.Add (docs/domain.md §2.2 工资单): one record per worker row of a paid 工资支付表.

Only a sheet the general contractor has paid (已发放, then 已确认) is wages the province records; a
draft, submitted or approved sheet is still being worked on (条例 art. 30, 31) and is never sent.
The rows of one sheet share the header (unit, team, payMonth) and go together in `detailList`.
A row waits for its team (teamSysNo) and for its worker: the province refuses wages of a worker it
does not know ("…的工人信息,不允许上传该工人的工资发放信息!").
"""

from __future__ import annotations

from django.core.exceptions import ObjectDoesNotExist

from wages.models import PAID_STATES, PayrollRow

from .base import Mapper, as_date

MONTH_FORMAT = "%Y-%m"  # payMonth, backPayMonth


def third_payroll_code(payroll) -> str:
    """thirdPayRollCode: the vendor's own code for a sheet it uploaded, else the platform's sheet id,
    stable across re-sends so the province can tell a repeat from a new sheet."""
    return payroll.third_payroll_code or f"JMZHGD-{payroll.pk}"


def wage_account(project):
    try:
        return project.wage_account
    except ObjectDoesNotExist:  # no 工资专户 yet: the paying account's fields stay empty and are named
        return None


class PayrollMapper(Mapper):
    method = "Payroll.Add"
    rank = 80
    label = "工资单"
    list_name = "detailList"
    batch_size = 100
    # The standard's required flags (Payroll detailList); teamSysNo is known only once the team is
    # accepted, so the local check cannot ask for it (as for ProjectWorker.Add).
    required = {
        "projectCode": "项目编码",
        "corpCode": "统一社会信用代码",
        "corpName": "企业名称",
        "payMonth": "工资月份",
        "idCardType": "证件类型",
        "idCardNumber": "证件号码",
        "payRollBankCardNumber": "工资卡号",
        "payRollBankCode": "工资卡银行代码",
        "payRollBankName": "工资卡开户行",
        "payBankCardNumber": "工资专户账号",
        "payBankCode": "工资专户银行代码",
        "payBankName": "工资专户开户行",
        "totalPayAmount": "应发金额",
        "actualAmount": "实发金额",
        "isBackPay": "是否补发",
        "balanceDate": "发放日期",
        "thirdPayRollCode": "第三方工资单编号",
    }

    # Rows change only while their sheet is a draft; a sheet's state change (paid, confirmed)
    # touches the sheet, and an edit of the person (ID number) is a change of the payload.
    changed_by = ("payroll__updated_at", "person__updated_at")

    def rows(self, project):
        # A row that records nothing owed and nothing paid (a worker without a day that month) says
        # nothing about wages: it is left out rather than reported as a payment of 0.
        return (
            PayrollRow.objects.filter(payroll__project=project, payroll__status__in=PAID_STATES)
            .exclude(total_amount=0, actual_amount=0)
            .select_related(
                "person", "payroll__project__wage_account", "payroll__unit__enterprise", "payroll__team"
            )
        )

    def describe(self, obj):
        return f"{obj.person.name} {obj.payroll.pay_month:{MONTH_FORMAT}}"

    def requires(self, obj):
        return [("Team.Add", str(obj.payroll.team_id)), ("ProjectWorker.Add", str(obj.roster_entry_id))]

    def header(self, obj, ctx):
        payroll = obj.payroll
        return {
            "projectCode": payroll.project.code,
            "corpCode": payroll.unit.enterprise.credit_code,
            "corpName": payroll.unit.enterprise.name,
            "teamSysNo": ctx.team_no(payroll.team_id),
            "payMonth": f"{payroll.pay_month:{MONTH_FORMAT}}",
        }

    def item(self, obj, ctx):
        payroll = obj.payroll
        account = wage_account(payroll.project)
        item = {
            "idCardType": obj.person.id_type,
            "idCardNumber": ctx.secret(obj.person.id_number),
            "days": obj.days,
            "workHours": str(obj.work_hours),
            "payRollBankCardNumber": ctx.secret(obj.bank_card_number),
            "payRollBankCode": obj.bank_code,
            "payRollBankName": obj.bank_name,
            "payBankCardNumber": ctx.secret(account.account_number) if account else "",
            "payBankCode": account.bank_code if account else "",
            "payBankName": account.branch_name if account else "",
            "totalPayAmount": str(obj.total_amount),
            "actualAmount": str(obj.actual_amount),
            "isBackPay": 1 if obj.is_back_pay else 0,
            "balanceDate": as_date(payroll.balance_date),
            "thirdPayRollCode": third_payroll_code(payroll),
        }
        if obj.is_back_pay:  # required with isBackPay = 1: the month the back pay is for
            item["backPayMonth"] = f"{payroll.pay_month:{MONTH_FORMAT}}"
        return item
