"""The manual-upload file: a project's records as the standard's JSON, in the standard's order, with
ID and card numbers AES-encrypted as in a sent request (docs/domain.md §2.1)."""

from __future__ import annotations

import json

from django.http import HttpResponse
from django.utils import timezone

from jmzhgd.core import audit

from .client import ProvinceClient
from .crypto import key_problem
from .mapping import MAPPERS
from .models import OutboundRecord, RecordStatus
from .services import build_batches, context_for

CHUNK = 2000


class ExportUnavailable(Exception):
    pass


def export_document(project, client: ProvinceClient) -> dict:
    ctx = context_for(project, client)
    requests = []
    for mapper in MAPPERS:
        keyed = (
            OutboundRecord.objects.filter(project=project, method=mapper.method)
            .exclude(status=RecordStatus.INVALID)
            .order_by("id")
        )
        keys = list(keyed.values_list("object_key", flat=True))
        for start in range(0, len(keys), CHUNK):
            objects = mapper.load(project, keys[start : start + CHUNK])
            pairs = [(key, obj) for key, obj in objects.items()]
            for _records, data in build_batches(mapper, pairs, ctx, mapper.method):
                if isinstance(data, dict):
                    requests.append({"method": mapper.method, "data": data})
    return {"projectCode": project.code, "version": "1.0", "requests": requests}


def json_response(actor, project) -> HttpResponse:
    client = ProvinceClient.with_credentials(project)
    if client is None:
        raise ExportUnavailable("本项目尚未录入省平台对接凭据（appid 与密钥），无法生成对接文件。")
    problem = key_problem(client.field_key)
    if problem:
        raise ExportUnavailable(f"本项目的省平台 AES 密钥{problem}，无法生成对接文件。")
    document = export_document(project, client)
    audit.record(
        actor,
        "exchange.export",
        project,
        project=project,
        summary=f"导出数据对接文件（{len(document['requests'])} 个请求）",
    )
    response = HttpResponse(
        json.dumps(document, ensure_ascii=False, indent=1), content_type="application/json; charset=utf-8"
    )
    name = f"{project.code}-exchange-{timezone.localdate():%Y%m%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
