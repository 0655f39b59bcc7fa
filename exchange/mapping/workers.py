"""ProjectWorker.Add and WorkerEntryExit.Add (docs/domain.md §2.2): one roster entry is one worker
in the project; its entry and its exit are two 进退场 records (type 1 / 0)."""

from __future__ import annotations

from django.db.models import Prefetch

from jmzhgd.core.codes import PersonCategory, WorkerRole, nation_payload_name
from workforce.models import PayCard, RosterEntry

from .base import Mapper, as_date, compact

PHOTO_MISSING = "缺少人员照片"

# docs/domain.md §3.15: managers have no national 工种; the standard's list files them under 900 管理人员.
MANAGER_WORK_TYPE = "900"


def roster_rows(project):
    # The 工资卡 is this project's own (workforce.models.PayCard), never another project's.
    own_card = Prefetch(
        "person__pay_cards", queryset=PayCard.objects.filter(project=project), to_attr="own_cards"
    )
    return (
        RosterEntry.objects.filter(project=project)
        .select_related("project", "person", "unit__enterprise", "team", "work_type")
        .prefetch_related(own_card)
    )


def team_header(entry, ctx) -> dict:
    return {
        "projectCode": entry.project.code,
        "corpCode": entry.unit.enterprise.credit_code,
        "corpName": entry.unit.enterprise.name,
        "teamSysNo": ctx.team_no(entry.team_id),
    }


class WorkerMapper(Mapper):
    method = "ProjectWorker.Add"
    rank = 50
    label = "项目人员"
    update_method = "ProjectWorker.Update"
    list_name = "workerList"
    # Each worker carries up to three pictures of ≤ 50 KB: 5 keep a request under ~1 MB.
    batch_size = 5
    # G1 refuses a worker without a mobile number; G8 requires 民族 and 住址; the province refuses a
    # worker without headImage ("[0][headImage]不能为空!", docs/domain.md §2.2).
    required = {
        "headImage": "人员照片",
        "workerName": "姓名",
        "idCardType": "证件类型",
        "idCardNumber": "证件号码",
        "workType": "工种",
        "workRole": "工人类型",
        "cellPhone": "手机号",
        "nation": "民族",
        "address": "住址",
    }

    # The payload is mostly the person's: an edit of the person is a change of the worker.
    changed_by = ("updated_at", "person__updated_at")

    def rows(self, project):
        return roster_rows(project)

    def describe(self, obj):
        return obj.person.name

    def requires(self, obj):
        return [("Team.Add", str(obj.team_id))]

    def missing_message(self, obj, missing):
        if "headImage" not in missing:
            return super().missing_message(obj, missing)
        rest = {k: v for k, v in missing.items() if k != "headImage"}
        message = f"{self.label}【{obj.person.name}】{PHOTO_MISSING}（headImage）：省平台不接收没有照片的人员，请在人员库上传照片"
        if rest:
            message += "；另缺少必填字段：" + "、".join(f"{name}（{key}）" for key, name in rest.items())
        return message

    def header(self, obj, ctx):
        return {**team_header(obj, ctx), "teamName": obj.team.name}

    def item(self, obj, ctx):
        person = obj.person
        card = next(iter(getattr(person, "own_cards", None) or []), None)
        manager = obj.category == PersonCategory.MANAGER
        work_type = MANAGER_WORK_TYPE if manager else (obj.work_type.code if obj.work_type else "")
        return compact(
            {
                "workerName": person.name,
                "isTeamLeader": 1 if obj.is_team_leader else 0,
                "idCardType": person.id_type,
                "idCardNumber": ctx.secret(person.id_number),
                "workType": work_type,
                "workRole": WorkerRole.MANAGER.value if manager else WorkerRole.WORKER.value,
                "nation": nation_payload_name(person.nation),
                "address": person.address,
                "cellPhone": person.phone,
                "politicsType": person.politics_type,
                "cultureLevelType": person.culture_level,
                "maritalStatus": person.marital_status,
                "grantOrg": person.issuing_authority,
                "startDate": as_date(person.id_valid_from),
                "expiryDate": as_date(person.id_valid_to),
                "hasBadMedicalHistory": 1 if person.has_major_medical_history else 0,
                "urgentLinkMan": person.urgent_contact_name,
                "urgentLinkManPhone": person.urgent_contact_phone,
                "payRollBankName": card.bank_name if card else "",
                "payRollBankCardNumber": ctx.secret(card.bank_card_number) if card else "",
                "headImage": ctx.image(person.photo, "人员照片"),
                "positiveIDCardImage": ctx.image(person.id_front_image, "身份证正面照"),
                "negativeIDCardImage": ctx.image(person.id_back_image, "身份证反面照"),
            }
        )


ENTRY, EXIT = "1", "0"  # 进退场 type (docs/domain.md §3.12)


class EntryExitMapper(Mapper):
    method = "WorkerEntryExit.Add"
    rank = 60
    label = "人员进退场"
    list_name = "workerList"
    batch_size = 50
    required = {
        "idCardType": "证件类型",
        "idCardNumber": "证件号码",
        "date": "进退场日期",
        "type": "进退场类型",
    }

    def changed(self, project, since):
        rows = roster_rows(project)
        if since is not None:
            rows = rows.filter(updated_at__gt=since)
        for entry in rows:
            yield f"{ENTRY}:{entry.pk}", (ENTRY, entry)
            if entry.exit_date is not None:
                yield f"{EXIT}:{entry.pk}", (EXIT, entry)

    def load(self, project, keys):
        keys = list(keys)
        entries = {str(e.pk): e for e in roster_rows(project).filter(pk__in=[k.split(":")[1] for k in keys])}
        found = {}
        for key in keys:
            kind, entry_id = key.split(":")
            if entry_id in entries:
                found[key] = (kind, entries[entry_id])
        return found

    def describe(self, obj):
        kind, entry = obj
        day = entry.entry_date if kind == ENTRY else entry.exit_date
        return f"{entry.person.name} {as_date(day)} {'进场' if kind == ENTRY else '退场'}"

    def requires(self, obj):
        kind, entry = obj
        needs = [("ProjectWorker.Add", str(entry.pk))]
        if kind == EXIT:  # dates must be monotonic per worker: the entry goes first
            needs.append((self.method, f"{ENTRY}:{entry.pk}"))
        return needs

    def header(self, obj, ctx):
        return team_header(obj[1], ctx)

    def item(self, obj, ctx):
        kind, entry = obj
        return {
            "idCardType": entry.person.id_type,
            "idCardNumber": ctx.secret(entry.person.id_number),
            "date": as_date(entry.entry_date if kind == ENTRY else entry.exit_date),
            "type": int(kind),
        }
