"""WorkerContract.Add (docs/domain.md §2.2): a contract waits for its worker."""

from __future__ import annotations

from contracts.models import Contract
from jmzhgd.core.codes import ContractPeriodType

from .base import Mapper, MappingError, as_date, compact

# contractPeriodType (docs/domain.md §3.8) has 0 and 1 only; 无固定期限 is a local extension code.
NATIONAL_PERIOD_TYPES = {ContractPeriodType.FIXED.value, ContractPeriodType.TASK.value}


class ContractMapper(Mapper):
    method = "WorkerContract.Add"
    rank = 70
    label = "劳动合同"
    list_name = "contractList"
    batch_size = 50
    required = {
        "corpCode": "统一社会信用代码",
        "corpName": "企业名称",
        "idCardType": "证件类型",
        "idCardNumber": "证件号码",
        "contractPeriodType": "合同期限类型",
        "startDate": "合同生效日期",
    }

    def rows(self, project):
        return Contract.objects.filter(project=project).select_related(
            "project", "person", "unit__enterprise"
        )

    def describe(self, obj):
        return f"{obj.person.name} {as_date(obj.start_date)}"

    def requires(self, obj):
        return [("ProjectWorker.Add", str(obj.roster_entry_id))]

    def header(self, obj, ctx):
        return {"projectCode": obj.project.code}

    def item(self, obj, ctx):
        if obj.period_type not in NATIONAL_PERIOD_TYPES:
            raise MappingError(
                f"{self.label}【{self.describe(obj)}】的合同期限类型（contractPeriodType）"
                f"“{obj.get_period_type_display()}”不在国家标准代码表中（0 固定期限、1 以完成一定工作为期限）"
            )
        return compact(
            {
                "corpCode": obj.unit.enterprise.credit_code,
                "corpName": obj.unit.enterprise.name,
                "idCardType": obj.person.id_type,
                "idCardNumber": ctx.secret(obj.person.id_number),
                "contractPeriodType": obj.period_type,
                "startDate": as_date(obj.start_date),
                "endDate": as_date(obj.end_date),
                "unit": obj.measure_unit,
                "unitPrice": str(obj.unit_price) if obj.unit_price is not None else "",
            }
        )
