"""采集人员上传接口 and the on-site roster for device face sync (docs/requirements.md §10, §7.6–§7.7).

Person upload goes through the same actions as the 采集 page and the entry wizard
(workforce.services.upsert_person / enter_persons), so the rules live in one place. Signed
requests and the collection app's bearer token are both accepted here.
"""

from __future__ import annotations

import datetime
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from ninja import Query, Router

from enterprises.models import Team
from jmzhgd.api.auth import SIGNED_OR_TOKEN, client_project
from jmzhgd.api.errors import ApiError, not_found
from jmzhgd.api.images import decode_base64_image
from jmzhgd.api.schemas import ERRORS, parse_client_datetime
from jmzhgd.core.codes import TEAM_TYPE_FOR_CATEGORY, PersonCategory
from jmzhgd.core.files import serve_private_file
from jmzhgd.core.models import ManagementPost, WorkType

from .api_schemas import (
    API_FIELD,
    IMAGE_LABELS,
    PERSON_FIELDS,
    EntryIn,
    PersonIn,
    PersonOut,
    RosterPageOut,
    RosterQuery,
)
from .collection import upsert_and_enter
from .models import Person, PersonSource, RosterEntry
from .services import EntryRefused, EntryRequest
from .services.face import face_match_for, face_match_payload

router = Router(tags=["人员"])

def _refuse(exc: ValidationError, prefix: str = ""):
    if hasattr(exc, "error_dict"):
        field, messages = next(iter(exc.message_dict.items()))
        api_field = API_FIELD.get(field, field)
        return ApiError(422, "invalid", messages[0], f"{prefix}{api_field}" if field != "__all__" else None)
    return ApiError(422, "invalid", exc.messages[0], prefix.rstrip(".") or None)


def _person_data(payload: PersonIn) -> dict:
    data = {}
    for api_name, model_name in PERSON_FIELDS.items():
        value = getattr(payload, api_name)
        if value is None or value == "":
            continue
        if api_name in IMAGE_LABELS:
            try:
                value = decode_base64_image(value, label=IMAGE_LABELS[api_name])
            except ValidationError as exc:
                raise ApiError(422, "bad_image", exc.messages[0], api_name) from None
        data[model_name] = value
    return data


def _entry_request(project, person: Person, entry: EntryIn) -> EntryRequest:
    teams = Team.objects.filter(project=project).select_related("unit__enterprise")
    if entry.teamId is not None:
        team = teams.filter(pk=entry.teamId).first()
        field = "entry.teamId"
    elif entry.corpCode and entry.teamName:
        team = teams.filter(
            unit__enterprise__credit_code=entry.corpCode.strip().upper(), name=entry.teamName.strip()
        ).first()
        field = "entry.teamName"
    else:
        raise ApiError(422, "invalid", "请提供 teamId，或 corpCode 与 teamName。", "entry.teamId")
    if team is None:
        raise not_found("班组不存在或不属于本项目。", field)
    category = entry.category
    if not category:
        category = next(c for c, t in TEAM_TYPE_FOR_CATEGORY.items() if t == team.team_type)
    if category not in PersonCategory.values:
        raise ApiError(422, "invalid", "人员类别应为 worker、other 或 manager。", "entry.category")
    work_type = post = None
    if entry.workType:
        work_type = WorkType.objects.filter(code=entry.workType, is_active=True).first()
        if work_type is None:
            raise ApiError(422, "invalid", f"工种代码“{entry.workType}”不在工种表中。", "entry.workType")
    if entry.postCode:
        post = ManagementPost.objects.filter(code=entry.postCode).first()
        if post is None:
            raise ApiError(422, "invalid", f"岗位代码“{entry.postCode}”不在岗位表中。", "entry.postCode")
    entry_date = timezone.localdate()
    if entry.entryDate:
        try:
            entry_date = parse_date(entry.entryDate)
        except ValueError:
            entry_date = None
        if entry_date is None:
            raise ApiError(422, "invalid", "进场日期格式应为 YYYY-MM-DD。", "entry.entryDate")
    return EntryRequest(
        person=person,
        unit=team.unit,
        team=team,
        category=category,
        work_type=work_type,
        post=post,
        entry_date=entry_date,
        is_team_leader=entry.isTeamLeader,
    )


@router.post(
    "/projects/{int:project_id}/persons",
    auth=SIGNED_OR_TOKEN,
    response={200: PersonOut, **ERRORS},
    summary="采集人员上传（按证件号码新增或更新，可同时进场）",
    description=(
        "按 证件类型 + 证件号码 新增或更新人员库中的人员；照片为 JPG/PNG 的 base64，平台校验并重新编码。"
        "提供 entry 时同时办理进场，规则与平台【人员进场】相同；进场不通过时人员信息也不会保存。"
        "已在其他项目在场的人员，其身份信息（姓名、住址、头像、手机号等）本项目不能直接修改："
        "进场照常办理，不一致的信息作为修改申请提交（返回 proposalId 与 message）。"
        "工资卡（payRollBank*）只记为本项目发放工资所用的卡。"
    ),
)
def upload_person(request, project_id: int, payload: PersonIn):
    project = client_project(request, project_id)
    data = _person_data(payload)
    actor = request.auth.actor

    def requests_for(person: Person) -> list[EntryRequest]:
        return [_entry_request(project, person, payload.entry)]

    try:
        saved, entries = upsert_and_enter(
            actor,
            project,
            data,
            source=PersonSource.API,
            requests_for=requests_for if payload.entry is not None else None,
            confirm_warnings=bool(payload.entry and payload.entry.confirmWarnings),
            card_read=payload.idCardRead and payload.entry is not None,
        )
    except EntryRefused as exc:
        if exc.check.errors:
            raise ApiError(422, "entry_refused", exc.messages[0], "entry") from None
        raise ApiError(
            422,
            "entry_needs_confirmation",
            exc.messages[0] + "（确认后请设置 confirmWarnings=true）",
            "entry.confirmWarnings",
        ) from None
    except ValidationError as exc:
        raise _refuse(exc) from None
    entry_id = entries[0].pk if entries else None
    match = face_match_for(actor, project, saved.person)
    return {
        "personId": saved.person.pk,
        "created": saved.created,
        "idCardNumberMasked": saved.person.id_number_masked,
        "rosterEntryId": entry_id,
        "proposalId": saved.proposal.pk if saved.proposal else None,
        "message": saved.message,
        "faceMatch": match and face_match_payload(match),
    }


def _parse_since(value: str) -> datetime.datetime:
    parsed = parse_client_datetime(value)
    if parsed is None:
        raise ApiError(
            422, "invalid", "changedSince 格式应为 YYYY-MM-DD HH:MM:SS 或 ISO 8601。", "changedSince"
        )
    return parsed


def _local(value: datetime.datetime) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M:%S")


@router.get(
    "/projects/{int:project_id}/roster",
    auth=SIGNED_OR_TOKEN,
    response={200: RosterPageOut, **ERRORS},
    summary="在场人员花名册（设备人脸同步，分页、增量）",
    description=(
        "不带 changedSince 时返回全部在场人员；带 changedSince 时返回此后有变化的花名册记录，"
        "包括已离场的（exitDate 有值，设备应删除其人脸）。按 rosterEntryId 升序分页。"
    ),
)
def roster(request, project_id: int, query: Query[RosterQuery]):
    project = client_project(request, project_id)
    now = timezone.now()
    entries = RosterEntry.objects.filter(project=project)
    if query.changedSince:
        since = _parse_since(query.changedSince)
        entries = entries.filter(Q(updated_at__gte=since) | Q(person__updated_at__gte=since))
    else:
        entries = entries.filter(exit_date__isnull=True)
    total = entries.count()
    start = (query.page - 1) * query.pageSize
    page = entries.select_related("person", "team", "unit__enterprise", "work_type", "post").order_by("pk")[
        start : start + query.pageSize
    ]
    # Devices report punches by ID number, so a signed credential gets the number in full. The app
    # token is the project account itself, whose full numbers are shown only through the audited
    # 查看完整号码; an unaudited copy here would undo that.
    full_numbers = request.auth.token is None
    items = []
    for entry in page:
        person = entry.person
        photo_url = (
            reverse("api-1:person_photo", kwargs={"project_id": project.pk, "person_id": person.pk})
            if person.photo
            else None
        )
        items.append(
            {
                "rosterEntryId": entry.pk,
                "personId": person.pk,
                "name": person.name,
                "idCardType": person.id_type,
                "idCardNumber": person.id_number if full_numbers else None,
                "idCardNumberMasked": person.id_number_masked,
                "gender": person.gender,
                "unitName": entry.unit.enterprise.name,
                "corpCode": entry.unit.enterprise.credit_code,
                "teamId": entry.team_id,
                "teamName": entry.team.name,
                "category": entry.category,
                "workTypeOrPost": entry.role_label,
                "isTeamLeader": entry.is_team_leader,
                "entryDate": entry.entry_date.isoformat(),
                "exitDate": entry.exit_date.isoformat() if entry.exit_date else None,
                "onSite": entry.exit_date is None,
                "photoUrl": photo_url,
                "updatedAt": _local(max(entry.updated_at, person.updated_at)),
            }
        )
    return {
        "page": query.page,
        "pageSize": query.pageSize,
        "total": total,
        "serverTime": _local(now),
        "items": items,
    }


@router.get(
    "/projects/{int:project_id}/persons/{int:person_id}/photo",
    auth=SIGNED_OR_TOKEN,
    response={200: None, **ERRORS},
    url_name="person_photo",
    summary="下载人员头像（设备人脸同步）",
    description="仅限在本项目花名册中的人员；与其他接口一样需要签名或令牌，照片不在公开地址。",
)
def person_photo(request, project_id: int, person_id: int):
    project = client_project(request, project_id)
    person = Person.objects.filter(pk=person_id, roster_entries__project=project).distinct().first()
    if person is None or not person.photo:
        raise not_found("人员不存在、不在本项目花名册或没有头像。", "person_id")
    return serve_private_file(person.photo, download_name=f"{person.pk}{Path(person.photo.name).suffix}")
