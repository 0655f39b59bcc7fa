"""WorkerAttendance.Add (docs/domain.md §2.2): a team's punches in batches (`dataList`).

Punches are append-only facts, so they are queued without a fingerprint; only matched punches (a
worker on the roster) go: an 异常考勤 belongs to nobody the province knows.
"""

from __future__ import annotations

from attendance.models import Punch
from workforce.models import Person

from .base import Mapper, local_datetime


def sendable_punches(project):
    return Punch.objects.filter(project=project, is_anomaly=False, roster_entry__isnull=False)


class AttendanceMapper(Mapper):
    method = "WorkerAttendance.Add"
    rank = 70
    label = "考勤"
    list_name = "dataList"
    batch_size = 500
    append_only = True
    required = {"idCardType": "证件类型", "idCardNumber": "证件号码", "date": "打卡时间", "direction": "方向"}

    def changed(self, project, since):
        rows = sendable_punches(project)
        if since is not None:
            rows = rows.filter(received_at__gt=since)
        for pk, name, moment, direction in rows.values_list("pk", "name_as_sent", "punched_at", "direction"):
            yield str(pk), f"{name} {local_datetime(moment)} {'入场' if direction == '01' else '出场'}"

    def load(self, project, keys):
        rows = (
            sendable_punches(project)
            .filter(pk__in=list(keys))
            .select_related("roster_entry__project")
            .only(
                "pk",
                "punched_at",
                "direction",
                "attend_type",
                "lng",
                "lat",
                "name_as_sent",
                "roster_entry__team_id",
                "roster_entry__person_id",
                "roster_entry__project__code",
            )
        )
        punches = list(rows)
        # One person row per worker, not per punch: a month holds each worker ~60 times.
        persons = Person.objects.in_bulk({p.roster_entry.person_id for p in punches})
        for punch in punches:
            punch.roster_entry.person = persons[punch.roster_entry.person_id]
        return {str(p.pk): p for p in punches}

    def describe(self, obj):
        return f"{obj.name_as_sent} {local_datetime(obj.punched_at)}"

    def requires(self, obj):
        return [("ProjectWorker.Add", str(obj.roster_entry_id))]

    def header(self, obj, ctx):
        return {
            "projectCode": obj.roster_entry.project.code,
            "teamSysNo": ctx.team_no(obj.roster_entry.team_id),
        }

    def item(self, obj, ctx):
        person = obj.roster_entry.person
        item = {
            "idCardType": person.id_type,
            "idCardNumber": ctx.secret(person.id_number),
            "date": local_datetime(obj.punched_at),
            "direction": obj.direction,
            "attendType": obj.attend_type,
        }
        if obj.lng is not None and obj.lat is not None:
            item.update(lng=str(obj.lng), lat=str(obj.lat))
        return item
