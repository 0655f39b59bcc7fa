"""工资单上传 (national `Payroll.Add`, docs/requirements.md §10): vendors' payroll software sends a team's month.
Signed like every endpoint (jmzhgd.api.auth); the rules are wages.vendor's."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.utils.dateparse import parse_date
from ninja import Router, Schema
from pydantic import Field

from enterprises.models import Team
from jmzhgd.api.auth import SIGNED, client_project
from jmzhgd.api.errors import ApiError, not_found
from jmzhgd.api.schemas import ERRORS
from jmzhgd.core.months import parse_month

from .checks import run_checks
from .vendor import UploadedRow, UploadRefused, upload_payroll

router = Router(tags=["工资"])
MAX_DETAILS = 2000


# The plausible maximum of one worker's line (jmzhgd.core.money), as on the pages.
MAX_WAGE = Decimal(settings.MONEY_MAX_WAGE)


class PayrollDetailIn(Schema):
    idCardType: str = Field("01", max_length=2, description="证件类型，默认 01 居民身份证")
    idCardNumber: str = Field(..., min_length=1, max_length=40, description="证件号码")
    days: int | None = Field(None, ge=0, le=31, description="出勤天数（以平台考勤为准，仅供核对）")
    workHours: Decimal | None = Field(
        None, ge=0, le=744, max_digits=5, decimal_places=2, description="总工时（以平台考勤为准，仅供核对）"
    )
    totalPayAmount: Decimal = Field(
        ..., ge=0, le=MAX_WAGE, max_digits=12, decimal_places=2, description="应发金额(元)"
    )
    actualAmount: Decimal = Field(
        ..., ge=0, le=MAX_WAGE, max_digits=12, decimal_places=2, description="实发金额(元)"
    )
    isBackPay: int = Field(0, ge=0, le=1, description="是否补发 0/1；实发大于应发时须为 1")
    balanceDate: str | None = Field(None, max_length=10, description="发放日期 YYYY-MM-DD，不能晚于今天")


class PayrollIn(Schema):
    corpCode: str = Field(..., max_length=18, description="参建单位统一社会信用代码")
    teamName: str = Field(..., max_length=100, description="班组名称")
    payMonth: str = Field(..., max_length=7, description="工资月份 YYYY-MM，不能晚于本月")
    thirdPayRollCode: str = Field(
        ..., min_length=1, max_length=64, description="第三方工资单编号，重复上传按此去重"
    )
    detailList: list[PayrollDetailIn] = Field(..., min_length=1, max_length=MAX_DETAILS)


class CheckOut(Schema):
    idCardNumber: str = Field(..., description="证件号码（脱敏）")
    name: str
    check: str = Field(..., description="days/roster/contract/amounts/minimum_wage/unit_price/card")
    level: str = Field(..., description="hard：须更正后才能提交；soft：审核时须填写说明")
    reason: str


class PayrollOut(Schema):
    payrollId: int
    created: bool = Field(..., description="false 表示该 thirdPayRollCode 已上传过，未重复写入")
    status: str
    rows: int
    checks: list[CheckOut] = Field(default_factory=list, description="提交、审核前的核查结果（每行一条原因）")


@router.post(
    "/projects/{int:project_id}/payrolls",
    auth=SIGNED,
    response={200: PayrollOut, **ERRORS},
    summary="工资单上传（Payroll.Add）",
    description=(
        "上传一个班组一个月的工资支付表（草稿），之后在平台提交、审核、发放。按 thirdPayRollCode 去重；"
        "payMonth 不能晚于本月，balanceDate 不能晚于今天；每名工人须在该月该班组的花名册中，"
        "否则整单拒绝、不写入任何数据。出勤天数和总工时以平台考勤为准。"
    ),
)
def upload(request, project_id: int, payload: PayrollIn):
    project = client_project(request, project_id)
    team = (
        Team.objects.filter(
            project=project,
            unit__enterprise__credit_code=payload.corpCode.strip().upper(),
            name=payload.teamName.strip(),
        )
        .select_related("unit")
        .first()
    )
    if team is None:
        raise not_found("参建单位或班组不存在或不属于本项目。", "teamName")
    month = parse_month(payload.payMonth)
    if month is None:
        raise ApiError(422, "invalid", "工资月份格式应为 YYYY-MM。", "payMonth")
    details = []
    for index, item in enumerate(payload.detailList):
        balance_date = None
        if item.balanceDate:
            try:
                balance_date = parse_date(item.balanceDate)
            except ValueError:
                balance_date = None
            if balance_date is None:
                raise ApiError(
                    422, "invalid", "发放日期格式应为 YYYY-MM-DD。", f"detailList[{index}].balanceDate"
                )
        details.append(
            UploadedRow(
                id_type=item.idCardType,
                id_number=item.idCardNumber.strip().upper(),
                total_amount=item.totalPayAmount,
                actual_amount=item.actualAmount,
                is_back_pay=bool(item.isBackPay),
                balance_date=balance_date,
            )
        )
    try:
        payroll, created = upload_payroll(
            request.auth.actor, team, month, payload.thirdPayRollCode.strip(), details
        )
    except UploadRefused as exc:
        raise ApiError(422, "invalid", exc.messages[0], exc.field) from None
    masked = dict(payroll.rows.values_list("pk", "person__id_number_masked"))
    return {
        "payrollId": payroll.pk,
        "created": created,
        "status": payroll.status,
        "rows": len(masked),
        "checks": [
            {
                "idCardNumber": masked[f.row_id],
                "name": f.person,
                "check": f.check,
                "level": f.level,
                "reason": f.reason,
            }
            for f in run_checks(payroll)
        ],
    }
