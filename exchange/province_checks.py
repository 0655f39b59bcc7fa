"""What the strict fake province (exchange.testing) checks, written from the national standard
(docs/domain.md §2–§3) rather than from exchange.mapping, so a mapping that drifts is refused: the code
tables, the field lengths, the encrypted fields, each method's required fields and batch list."""

from __future__ import annotations

import base64
import binascii
import io

from PIL import Image, UnidentifiedImageError

ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
TABLES = {
    "subCorpType": {f"{i:03d}" for i in range(1, 13)},  # 3.1 参建单位类型
    # 3.7 企业登记注册类型
    "corpType": set(
        "100 110 120 130 140 141 142 143 149 150 151 159 160 170 171 172 173 174 190 "
        "200 210 220 230 240 290 300 310 320 330 340 390 810".split()
    ),
    "workType": {f"{i:03d}" for i in range(10, 390, 10) if i not in (260, 370)} | {"390", "900", "1000"},
    "workRole": {"10", "20"},
    "idCardType": {f"{i:02d}" for i in range(1, 18)},
    "direction": {"01", "02"},
    "type": {"0", "1"},
    "attendType": {f"{i:03d}" for i in range(1, 12)},
    "contractPeriodType": {"0", "1"},
    "category": {f"{i:02d}" for i in range(1, 13)} | {"99"},
    "prjStatus": {"001", "002", "003", "004", "005"},
    "isBackPay": {"0", "1"},  # 是否
    "isTeamLeader": {"0", "1"},
    "hasBadMedicalHistory": {"0", "1"},
    "politicsType": {f"{i:02d}" for i in range(1, 14)},  # 3.5
    "cultureLevelType": {f"{i:02d}" for i in range(1, 9)} | {"99"},  # 3.6
    "maritalStatus": {"01", "02", "03", "04"},
    "propertyNum": {"001", "002", "003", "004", "005", "006", "099"},  # 3.11 建设性质
    "capitalCurrencyType": {"CNY", "USD"},
    "unit": {"80", "81", "82"},  # 计量单位
    # 3.14: as the ID card writes it (GB/T 3304's names without 族), and 其他 / 外国血统中国籍人士.
    "nation": set(
        "汉 蒙古 回 藏 维吾尔 苗 彝 壮 布依 朝鲜 满 侗 瑶 白 土家 哈尼 哈萨克 傣 黎 傈僳 佤 畲 高山 拉祜 水 东乡 "
        "纳西 景颇 柯尔克孜 土 达斡尔 仫佬 羌 布朗 撒拉 毛南 仡佬 锡伯 阿昌 普米 塔吉克 怒 乌孜别克 俄罗斯 鄂温克 "
        "德昂 保安 裕固 京 塔塔尔 独龙 鄂伦春 赫哲 门巴 珞巴 基诺 其他 外国血统中国籍人士".split()
    ),
    # 3.13 银行代码: 3-digit 行别代码 (the full table is ~90 rows; the format is what is known)
    "payRollBankCode": {f"{i:03d}" for i in range(100, 1000)},
    "payBankCode": {f"{i:03d}" for i in range(100, 1000)},
    "trainingTypeCode": {"003001", "003002", "003003", "003004"},  # 项目培训类型
    "isPass": {"0", "1"},
}
LENGTHS = {
    "projectCode": 32,
    "corpCode": 18,
    "corpName": 200,
    "name": 200,
    "teamName": 100,
    "workerName": 50,
    "address": 200,
    "remark": 200,
    "description": 1000,
    "linkMan": 50,
    "linkPhone": 50,
    "areaCode": 6,
    "cellPhone": 20,
    "pmName": 50,
    "nation": 10,
}
SECRET_FIELDS = (
    "idCardNumber",
    "pmIDCardNumber",
    "teamLeaderIDNumber",
    "responsiblePersonIDNumber",
    "payRollBankCardNumber",
    "payBankCardNumber",
)
REQUIRED = {
    "Corp.Upload": ["corpCode", "corpName"],
    "Project.Add": [
        "projectCode",
        "name",
        "category",
        "areaCode",
        "contractorCorpCode",
        "buildCorpCode",
        "prjStatus",
    ],
    "ProjectSubContractor.Add": ["projectCode", "corpCode", "corpName", "corpType", "entryTime"],
    "Team.Add": ["projectCode", "corpCode", "corpName", "teamName", "entryTime"],
    "ProjectWorker.Add": ["projectCode", "corpCode", "teamSysNo", "workerList"],
    "ProjectWorker.Add/item": [
        "workerName",
        "idCardType",
        "idCardNumber",
        "workType",
        "workRole",
        "cellPhone",
        "headImage",
    ],
    "WorkerEntryExit.Add": ["projectCode", "corpCode", "teamSysNo", "workerList"],
    "WorkerEntryExit.Add/item": ["idCardType", "idCardNumber", "date", "type"],
    "WorkerAttendance.Add": ["projectCode", "teamSysNo", "dataList"],
    "WorkerAttendance.Add/item": ["idCardType", "idCardNumber", "date", "direction"],
    "WorkerContract.Add": ["projectCode", "contractList"],
    "WorkerContract.Add/item": ["corpCode", "idCardType", "idCardNumber", "contractPeriodType", "startDate"],
    "ProjectTraining.Add": [
        "projectCode",
        "trainingDate",
        "trainingDuration",
        "trainingName",
        "trainingTypeCode",
        "workerList",
    ],
    "ProjectTraining.Add/item": ["idCardType", "idCardNumber", "isPass"],
    "PersonalCertifications.Add": ["projectCode", "certificationList"],
    "PersonalCertifications.Add/item": [
        "idCardType",
        "idCardNumber",
        "certificationType",
        "certificationCode",
        "grantOrg",
        "firstIssueDate",
    ],
    "Payroll.Add": ["projectCode", "corpCode", "corpName", "teamSysNo", "payMonth", "detailList"],
    "Payroll.Add/item": [
        "idCardType",
        "idCardNumber",
        "payRollBankCardNumber",
        "payRollBankCode",
        "payRollBankName",
        "payBankCardNumber",
        "payBankCode",
        "payBankName",
        "totalPayAmount",
        "actualAmount",
        "isBackPay",
        "balanceDate",
        "thirdPayRollCode",
    ],
}
IMAGES = ("headImage", "positiveIDCardImage", "negativeIDCardImage")
IMAGE_LIMIT = 50 * 1024
# The update methods take what their Add takes (Team.Update also the teamSysNo; Project.PartUpdate
# only the project code and what changes).
REQUIRED["Team.Update"] = [*REQUIRED["Team.Add"], "teamSysNo"]
REQUIRED["ProjectWorker.Update"] = REQUIRED["ProjectWorker.Add"]
REQUIRED["ProjectWorker.Update/item"] = REQUIRED["ProjectWorker.Add/item"]
REQUIRED["ProjectSubContractor.Update"] = REQUIRED["ProjectSubContractor.Add"]
REQUIRED["Project.PartUpdate"] = ["projectCode"]
LISTS = {
    "ProjectWorker.Add": "workerList",
    "ProjectWorker.Update": "workerList",
    "WorkerEntryExit.Add": "workerList",
    "WorkerAttendance.Add": "dataList",
    "WorkerContract.Add": "contractList",
    "ProjectTraining.Add": "workerList",
    "PersonalCertifications.Add": "certificationList",
    "Payroll.Add": "detailList",
}


class Refusal(Exception):
    pass


class Flaky(Exception):
    """A fault of the province itself (the request is not looked at)."""


def valid_id_number(number: str) -> bool:
    if len(number) != 18 or not number[:17].isdigit():
        return False
    return (
        number[17]
        == "10X98765432"[sum(int(d) * w for d, w in zip(number[:17], ID_WEIGHTS, strict=True)) % 11]
    )


def check_image(value, where: str, name: str) -> None:
    """jpg/jpeg/png, as a data URI or bare base64, at most 50 KB (the platform's own messages)."""
    text = str(value)
    if text.startswith("data:"):
        text = text.partition(",")[2]
    try:
        raw = base64.b64decode(text, validate=True)
        with Image.open(io.BytesIO(raw)) as picture:
            kind = picture.format
    except (binascii.Error, ValueError, UnidentifiedImageError, OSError):
        raise Refusal(f"{where}[{name}]格式无效,目前仅支持:jpg,jpeg,png") from None
    if kind not in ("JPEG", "PNG"):
        raise Refusal(f"{where}[{name}]格式无效,目前仅支持:jpg,jpeg,png")
    if len(raw) > IMAGE_LIMIT:
        raise Refusal(f"{where}[{name}]大小超过限制50KB!")
