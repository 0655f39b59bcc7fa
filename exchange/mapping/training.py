"""ProjectTraining.Add and PersonalCertifications.Add (docs/domain.md §2.2): a project's training with
the workers who attended it, and the certificates of the workers on the project's roster.

Both refer to workers, so both wait for the worker's ProjectWorker.Add (his latest stay on the
project). The standard names the two records; their field names follow the training model's
(trainingTypeCode, trainingDate, trainingDuration, …) and, for certificates, the standard's naming of
the other records (docs/domain.md §2.2 lists them).
"""

from __future__ import annotations

from django.db.models import CharField, Max, OuterRef, Prefetch, Q, Subquery, Value

from training.models import PersonalCertification, Training, TrainingAttendee
from workforce.models import RosterEntry

from .base import Mapper, as_date, compact


def latest_stays(project, person_ids) -> dict[int, int]:
    """person id -> the id of his latest roster entry on `project` (the ProjectWorker.Add he goes with)."""
    rows = (
        RosterEntry.objects.filter(project=project, person_id__in=set(person_ids))
        .values("person_id")
        .annotate(latest=Max("id"))
    )
    return {row["person_id"]: row["latest"] for row in rows}


class TrainingMapper(Mapper):
    method = "ProjectTraining.Add"
    rank = 75  # after the workers and their contracts, before the wages
    label = "项目培训"
    required = {
        "projectCode": "项目编码",
        "trainingDate": "培训日期",
        "trainingDuration": "培训时长",
        "trainingName": "培训名称",
        "trainingTypeCode": "培训类型",
        "workerList": "参训人员",
    }

    def rows(self, project):
        attendees = Prefetch(
            "attendees",
            queryset=TrainingAttendee.objects.select_related("person").order_by("id"),
        )
        return Training.objects.filter(project=project).select_related("project").prefetch_related(attendees)

    def describe(self, obj):
        return f"{obj.name} {as_date(obj.training_date)}"

    def requires(self, obj):
        stays = latest_stays(obj.project, [a.person_id for a in obj.attendees.all()])
        return [("ProjectWorker.Add", str(stays[pid])) for pid in sorted(stays)]

    def item(self, obj, ctx):
        workers = [
            {
                "workerName": a.person.name,
                "idCardType": a.person.id_type,
                "idCardNumber": ctx.secret(a.person.id_number),
                "isPass": "1" if a.passed else "0",
            }
            for a in obj.attendees.all()
        ]
        return compact(
            {
                "projectCode": obj.project.code,
                "trainingDate": as_date(obj.training_date),
                "trainingDuration": str(obj.hours) if obj.hours is not None else "",
                "trainingName": obj.name,
                "trainingTypeCode": obj.training_type,
                "trainer": obj.trainer,
                "trainingOrg": obj.organisation,
                "trainingAddress": obj.place,
                "description": obj.description,
                "workerList": workers,
            }
        )


class CertificationMapper(Mapper):
    method = "PersonalCertifications.Add"
    rank = 55  # after the worker, beside his entry
    label = "人员证书"
    list_name = "certificationList"
    batch_size = 50
    required = {
        "idCardType": "证件类型",
        "idCardNumber": "证件号码",
        "certificationType": "证书类型",
        "certificationCode": "证书编号",
        "grantOrg": "发证机关",
        "firstIssueDate": "发证日期",
    }

    def rows(self, project):
        on_roster = RosterEntry.objects.filter(project=project).values("person_id")
        latest_stay = (
            RosterEntry.objects.filter(project=project, person_id=OuterRef("person_id")).order_by("-id").values("id")
        )
        return (
            PersonalCertification.objects.filter(person_id__in=on_roster)
            .select_related("person")
            .annotate(
                project_code=Value(project.code, output_field=CharField()),
                stay_id=Subquery(latest_stay[:1]),
            )
        )

    def changed(self, project, since):
        """A certificate changed since `since`, or any certificate of a worker who entered since: the
        province learns of a worker's certificates when it learns of him on this project."""
        rows = self.rows(project)
        if since is not None:
            entered = RosterEntry.objects.filter(project=project, created_at__gt=since).values("person_id")
            rows = rows.filter(Q(updated_at__gt=since) | Q(person_id__in=entered))
        return ((str(row.pk), row) for row in rows)

    def describe(self, obj):
        return f"{obj.person.name} {obj.get_certificate_type_display()} {obj.number}"

    def requires(self, obj):
        # The certificate is the person's: `rows` annotates the project's code and his latest stay on it.
        return [("ProjectWorker.Add", str(obj.stay_id))]

    def header(self, obj, ctx):
        return {"projectCode": obj.project_code}

    def item(self, obj, ctx):
        return compact(
            {
                "workerName": obj.person.name,
                "idCardType": obj.person.id_type,
                "idCardNumber": ctx.secret(obj.person.id_number),
                "certificationKind": obj.kind,
                "certificationType": obj.certificate_type,
                "certificationLevel": obj.grade,
                "certificationCode": obj.number,
                "grantOrg": obj.issuer,
                "firstIssueDate": as_date(obj.issue_date),
                "validDate": as_date(obj.valid_until),
                "reviewDate": as_date(obj.review_date),
                "certificationStatus": obj.status,
            }
        )
