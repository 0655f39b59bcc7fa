"""The person API's request and answer schemas (docs/requirements.md §10): the national ProjectWorker
field names, mapped to the person's fields of workforce.services.upsert_person."""

from __future__ import annotations

from typing import Annotated

from ninja import Schema
from pydantic import Field

from jmzhgd.api.schemas import name_text

# API field (national ProjectWorker names) → Person field of workforce.services.upsert_person.
PERSON_FIELDS = {
    "workerName": "name",
    "idCardType": "id_type",
    "idCardNumber": "id_number",
    "nation": "nation",
    "address": "address",
    "grantOrg": "issuing_authority",
    "startDate": "id_valid_from",
    "expiryDate": "id_valid_to",
    "cellPhone": "phone",
    "cultureLevelType": "culture_level",
    "politicsType": "politics_type",
    "maritalStatus": "marital_status",
    "hasBadMedicalHistory": "has_major_medical_history",
    "urgentLinkMan": "urgent_contact_name",
    "urgentLinkManPhone": "urgent_contact_phone",
    "payRollBankName": "bank_name",
    "payRollBankCardNumber": "bank_card_number",
    "headImage": "photo",
    "positiveIDCardImage": "id_front_image",
    "negativeIDCardImage": "id_back_image",
}
API_FIELD = {model: api for api, model in PERSON_FIELDS.items()}
IMAGE_LABELS = {
    "headImage": "头像",
    "positiveIDCardImage": "身份证正面照",
    "negativeIDCardImage": "身份证反面照",
}


class EntryIn(Schema):
    teamId: int | None = Field(None, description="班组ID（与 corpCode + teamName 二选一）")
    corpCode: str | None = Field(None, max_length=18, description="参建单位统一社会信用代码")
    teamName: Annotated[str | None, name_text("班组名称")] = Field(
        None, max_length=100, description="班组名称"
    )
    category: str | None = Field(
        None,
        max_length=16,
        description="人员类别：worker 建筑工人、other 其他人员、manager 管理人员；默认按班组类型",
    )
    workType: str | None = Field(None, max_length=8, description="工种代码（建筑工人、其他人员必填）")
    postCode: str | None = Field(None, max_length=8, description="岗位代码（管理人员必填）")
    entryDate: str | None = Field(None, max_length=10, description="进场日期 YYYY-MM-DD，默认今天")
    isTeamLeader: bool = Field(False, description="是否班组长")
    confirmWarnings: bool = Field(
        False, description="确认警告（证件过期、超过年龄上限、在其他项目在场）后仍进场"
    )


class PersonIn(Schema):
    workerName: Annotated[str | None, name_text("姓名")] = Field(
        None, max_length=50, description="姓名（新人员必填）"
    )
    idCardType: str | None = Field(None, max_length=2, description="证件类型代码，默认 01 居民身份证")
    idCardNumber: str = Field(..., max_length=30, description="证件号码（按证件号码新增或更新）")
    nation: str | None = Field(None, max_length=10, description="民族代码或名称，如 01 或 汉族")
    address: str | None = Field(None, max_length=200, description="住址")
    grantOrg: str | None = Field(None, max_length=100, description="发证机关")
    startDate: str | None = Field(None, max_length=10, description="证件有效期起 YYYY-MM-DD")
    expiryDate: str | None = Field(None, max_length=10, description="证件有效期止 YYYY-MM-DD，长期可省略")
    cellPhone: str | None = Field(None, max_length=20, description="手机号")
    cultureLevelType: str | None = Field(None, max_length=10, description="文化程度代码")
    politicsType: str | None = Field(None, max_length=10, description="政治面貌代码")
    maritalStatus: str | None = Field(None, max_length=10, description="婚姻状况代码")
    hasBadMedicalHistory: bool | None = Field(None, description="是否有重大病史")
    urgentLinkMan: Annotated[str | None, name_text("紧急联系人")] = Field(
        None, max_length=50, description="紧急联系人"
    )
    urgentLinkManPhone: str | None = Field(None, max_length=20, description="紧急联系人电话")
    payRollBankName: Annotated[str | None, name_text("工资卡开户行")] = Field(
        None, max_length=100, description="工资卡开户行"
    )
    payRollBankCardNumber: str | None = Field(None, max_length=30, description="工资卡号")
    headImage: str | None = Field(None, description="头像，JPG/PNG 的 base64")
    positiveIDCardImage: str | None = Field(None, description="身份证正面照，JPG/PNG 的 base64")
    negativeIDCardImage: str | None = Field(None, description="身份证反面照，JPG/PNG 的 base64")
    idCardRead: bool = Field(
        False,
        description=(
            "数据来自身份证读卡器（含证件芯片照片）：办理进场时，证件上的信息（姓名、民族、住址、发证机关、"
            "有效期、证件照片）可更新人员库；头像和手机号仍按修改申请处理"
        ),
    )
    entry: EntryIn | None = Field(None, description="同时办理进场（可选）")


class FaceMatchOut(Schema):
    method: str = Field(..., description="比对方式：manual 人工核对；local 本平台服务器上的人脸模型")
    score: float | None = Field(None, description="相似度（0～1）；人工核对或未检测到人脸时为 null")
    threshold: float | None = Field(None, description="判定阈值；相似度不低于阈值为比对通过")
    status: str = Field(
        ...,
        description="passed 比对通过；pending 待人工确认；confirmed 已确认是本人；rejected 已确认不是本人",
    )
    message: str = Field(..., description="比对说明（中文）")


class PersonOut(Schema):
    personId: int
    created: bool = Field(..., description="true 新增人员；false 更新已有人员")
    idCardNumberMasked: str
    rosterEntryId: int | None = Field(None, description="办理进场时的花名册记录ID")
    proposalId: int | None = Field(
        None,
        description="有值表示部分信息本项目无权直接修改，已作为修改申请提交，待其维护项目或监管部门处理",
    )
    message: str = Field("", description="处理说明（中文）；有修改申请时说明哪些信息未直接修改")
    faceMatch: FaceMatchOut | None = Field(
        None,
        description="人证比对（头像与身份证正面照/读卡器证件照片都有时）：待人工确认的，须在平台【人证比对】中确认后才能在平台办理进场",
    )


class RosterItemOut(Schema):
    rosterEntryId: int
    personId: int
    name: str
    idCardType: str
    idCardNumber: str | None = Field(
        None,
        description="完整证件号码：只返回给签名接口凭证（设备按号码上报考勤）；采集APP令牌为 null",
    )
    idCardNumberMasked: str = Field(..., description="脱敏证件号码（前4位和后4位）")
    gender: str
    unitName: str
    corpCode: str
    teamId: int
    teamName: str
    category: str
    workTypeOrPost: str
    isTeamLeader: bool
    entryDate: str
    exitDate: str | None = Field(None, description="退场日期；有值表示已离场，设备应删除该人员")
    onSite: bool
    photoUrl: str | None = Field(None, description="头像下载地址（需同样签名或令牌访问）")
    updatedAt: str


class RosterPageOut(Schema):
    page: int
    pageSize: int
    total: int
    serverTime: str = Field(..., description="服务器时间；下次增量同步可作为 changedSince")
    items: list[RosterItemOut]


class RosterQuery(Schema):
    page: int = Field(1, ge=1, le=100000, description="页码，从 1 开始")
    pageSize: int = Field(100, ge=1, le=500, description="每页条数，最多 500")
    changedSince: str | None = Field(
        None,
        max_length=40,
        description="增量同步：只返回此时间之后有变化的记录（含已离场的），格式 YYYY-MM-DD HH:MM:SS 或 ISO 8601",
    )
