"""考勤接口 (docs/requirements.md §10): punch batches and device heartbeats, signed requests only."""

from __future__ import annotations

import json
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.utils import timezone
from ninja import Router, Schema
from pydantic import BaseModel, Field

from jmzhgd.api.auth import SIGNED, client_project_id
from jmzhgd.api.errors import ApiError, not_found
from jmzhgd.api.schemas import ERRORS

from .devices import device_for_upload
from .fence_punches import FenceConflict, submit_fence_punch
from .ingest import ingest_punches
from .models import Device, PunchSource

router = Router(tags=["考勤"])


# The punch models are plain pydantic models, not ninja Schemas: a Schema validates every item
# through ninja's attribute-access wrapper (for ORM objects), which cost more than the insert of a
# 100-punch batch. Nothing here is read from a model instance.
class PunchIn(BaseModel):
    recordId: str | None = Field(
        None,
        max_length=64,
        description="设备的记录号（同一设备同一考勤日期内唯一，与 deviceSn、日期一起用于去重；不提供 deviceSn 时按 人员+时间+方向 去重）",
    )
    idCardType: str | None = Field(None, max_length=2, description="证件类型代码，默认 01 居民身份证")
    idCardNumber: str = Field(..., max_length=30, description="证件号码")
    name: str | None = Field(None, max_length=50, description="姓名（可选，仅用于异常考勤核对）")
    time: str = Field(
        ..., max_length=40, description="打卡时间，北京时间 YYYY-MM-DD HH:MM:SS，或带时区的 ISO 8601"
    )
    direction: str = Field(..., max_length=2, description="方向：01 入场，02 出场")
    attendType: str | None = Field(None, max_length=3, description="通行方式代码，默认 001 人脸识别")
    image: str | None = Field(
        None, description="抓拍照片，JPG/PNG 的 base64（可带 data:image/...;base64, 前缀）"
    )
    lng: float | None = Field(None, description="经度（WGS-84）")
    lat: float | None = Field(None, description="纬度（WGS-84）")


class PunchBatchIn(BaseModel):
    deviceSn: str | None = Field(
        None,
        max_length=64,
        description="设备序列号（须已在平台【考勤设备】登记到本项目）；不经设备上传可省略",
    )
    records: list[PunchIn] = Field(..., min_length=1, description="考勤记录，每批 1–500 条")


class ItemResultOut(BaseModel):
    index: int = Field(..., description="该条在 records 中的序号（从 0 开始）")
    status: str = Field(
        ...,
        description="created 已保存；duplicate 重复上传（已确认，不是错误）；anomaly 已保存为异常考勤；error 未保存",
    )
    code: str
    message: str
    field: str | None = None


class PunchBatchOut(BaseModel):
    created: int
    duplicate: int
    anomaly: int
    error: int
    results: list[ItemResultOut]


class HeartbeatOut(Schema):
    deviceSn: str
    name: str
    direction: str = Field(..., description="设备方向：01 入场，02 出场，空为双向")
    serverTime: str = Field(..., description="服务器时间（北京时间），可用于校准设备时钟")


def _project_device(project_id: int, serial: str) -> Device:
    # A NUL can be no serial number, and PostgreSQL refuses it even in a query (DataError, a 500).
    device = None if "\x00" in serial else device_for_upload(project_id, serial)
    if device is None:
        raise not_found("设备未在本项目登记，请先在平台【考勤设备】页面添加。", "deviceSn")
    if not device.is_active:
        raise ApiError(403, "device_inactive", "该设备已停用，请在平台【考勤设备】页面启用。", "deviceSn")
    return device


@router.post(
    "/projects/{int:project_id}/punches",
    auth=SIGNED,
    response={200: PunchBatchOut, **ERRORS},
    summary="批量上传考勤记录",
    description=(
        "每批最多 500 条，逐条返回结果。重复上传的记录（同一设备同一天同一 recordId，或同一人同一时间同一方向）"
        "返回 duplicate，不会重复保存；不在项目花名册的人员保存为异常考勤（anomaly）；"
        "打卡时间晚于服务器时间 5 分钟以上、方向或证件号码不正确的记录返回 error，不保存。"
    ),
)
def upload_punches(request, project_id: int, payload: PunchBatchIn):
    project_id = client_project_id(request, project_id)
    limit = settings.API_MAX_BATCH_ITEMS
    if len(payload.records) > limit:
        raise ApiError(413, "batch_too_large", f"每批最多 {limit} 条考勤记录。", "records")
    device = _project_device(project_id, payload.deviceSn) if payload.deviceSn else None
    outcome = ingest_punches(
        request.auth.actor,
        project_id,
        # Each validated item's own field values (pydantic keeps them in __dict__; PunchIn has only
        # plain fields), read and never changed: model_dump() copied all 100 items again.
        [item.__dict__ for item in payload.records],
        device=device,
        source=PunchSource.DEVICE if device is not None else PunchSource.API,
    )
    # Written out directly rather than validated against PunchBatchOut (which still documents it):
    # checking 500 results we have just built ourselves cost about a millisecond per batch.
    return HttpResponse(batch_json(outcome), content_type="application/json; charset=utf-8")


def batch_json(outcome) -> str:
    """The PunchBatchOut JSON of an outcome. A batch's results repeat a handful of answers ("已保存。"
    nearly every time), so each answer is encoded once per worker and only the index is written
    per item: encoding 100 result objects was a visible share of an upload."""
    items = ",".join(
        f'{{"index":{r.index},{_answer_json(r.status, r.code, r.message, r.field)}' for r in outcome.results
    )
    return f'{json.dumps(outcome.summary)[:-1]}, "results": [{items}]}}'


@lru_cache(maxsize=1024)
def _answer_json(status: str, code: str, message: str, field: str | None) -> str:
    """`"status": …, "code": …, "message": …, "field": …}`: an item's answer after its index."""
    return json.dumps(
        {"status": status, "code": code, "message": message, "field": field}, ensure_ascii=False
    )[1:]


class FencePunchIn(BaseModel):
    uuid: str = Field(
        ..., max_length=36, description="记录ID（UUID，由设备生成；同一记录重发返回相同结果，不会重复保存）"
    )
    idCardType: str | None = Field(None, max_length=2, description="证件类型代码，默认 01 居民身份证")
    idCardNumber: str = Field(..., max_length=30, description="证件号码（须在本项目花名册中）")
    time: str = Field(
        ..., max_length=40, description="打卡时间，北京时间 YYYY-MM-DD HH:MM:SS，或带时区的 ISO 8601"
    )
    direction: str = Field(..., max_length=2, description="方向：01 入场，02 出场")
    lng: float = Field(..., description="经度（WGS-84）")
    lat: float = Field(..., description="纬度（WGS-84）")
    accuracy: float = Field(..., description="定位精度（米，手机定位报告的水平精度）")
    image: str = Field(..., description="现场照片，JPG/PNG 的 base64（可带 data:image/...;base64, 前缀）")


class FencePunchBatchIn(BaseModel):
    records: list[FencePunchIn] = Field(..., min_length=1, description="移动考勤记录，每批 1–50 条")


class FenceItemOut(BaseModel):
    index: int
    status: str = Field(
        ...,
        description="counted 在围栏内，已计入考勤；pending 围栏外或定位精度不足，已保存为异常考勤待项目处理；"
        "conflict 该记录ID已用于另一条记录，未保存；error 未保存",
    )
    replayed: bool = Field(False, description="true 表示该记录此前已收到，本次未重复保存")
    distance: int | None = Field(None, description="距最近围栏的距离（米），围栏内为 0")
    message: str


class FencePunchBatchOut(BaseModel):
    results: list[FenceItemOut]


FENCE_BATCH_LIMIT = 50


@router.post(
    "/projects/{int:project_id}/fence-punches",
    auth=SIGNED,
    response={200: FencePunchBatchOut, **ERRORS},
    summary="上传移动考勤（电子围栏）",
    description=(
        "没有门禁的工程用手机或移动终端打卡：每条带定位和精度。在项目电子围栏内（考虑定位精度）的记录计入考勤；"
        "围栏外、定位精度差于平台设置或项目未设置围栏的记录保存为异常考勤，由项目人员认可或驳回。"
        "每条记录的 uuid 由设备生成：同一记录重发返回相同结果，不重复保存；同一 uuid 的不同内容返回 conflict。"
    ),
)
def upload_fence_punches(request, project_id: int, payload: FencePunchBatchIn):
    from projects.models import Project

    project = Project.objects.get(pk=client_project_id(request, project_id))
    if len(payload.records) > FENCE_BATCH_LIMIT:
        raise ApiError(413, "batch_too_large", f"每批最多 {FENCE_BATCH_LIMIT} 条移动考勤记录。", "records")
    results = []
    for index, item in enumerate(payload.records):
        try:
            answer = submit_fence_punch(request.auth.actor, project, item.model_dump()).as_json()
        except FenceConflict as exc:
            results.append({"index": index, "status": "conflict", "message": exc.message})
        except ValidationError as exc:
            results.append({"index": index, "status": "error", "message": "；".join(exc.messages)})
        else:
            results.append(
                {
                    "index": index,
                    "status": answer["status"],
                    "replayed": answer["replayed"],
                    "distance": answer["distance"],
                    "message": answer["message"],
                }
            )
    return {"results": results}


@router.post(
    "/projects/{int:project_id}/devices/{device_sn}/heartbeat",
    auth=SIGNED,
    response={200: HeartbeatOut, **ERRORS},
    summary="设备心跳",
    description="设备定时调用（建议每 1–5 分钟），平台据此显示设备【最后在线】时间。设备须已登记到本项目。",
)
def heartbeat(request, project_id: int, device_sn: str):
    device = _project_device(client_project_id(request, project_id), device_sn)
    now = timezone.now()
    Device.objects.filter(pk=device.pk).update(last_seen_at=now)
    return {
        "deviceSn": device.serial_number,
        "name": device.name,
        "direction": device.direction,
        "serverTime": timezone.localtime(now).strftime("%Y-%m-%d %H:%M:%S"),
    }
