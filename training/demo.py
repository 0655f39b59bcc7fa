"""Demo trainings and certificates for the on-site workers of the demo projects (docs/entry-checks.md):
a 三级安全教育 for most of each team at its entry, one 不合格, a few workers left untrained; certificates
for the special trades, some expiring within 30 days, one expired while on site and one past its 复审.

Runs after the workforce seeder; a project that already has trainings is left alone (idempotent).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from .certificates import CertificateKind, CertificateStatus, CertificateType
from .models import PersonalCertification, Training, TrainingAttendee, TrainingType, WorkTypeCertificate

UNTRAINED_PER_PROJECT = 2


def _certificate(person, kind: str, today, rng, number: int, **dates) -> PersonalCertification:
    issued = today - timedelta(days=rng.randint(400, 900))
    values = {
        "valid_until": issued + timedelta(days=365 * 6),
        "review_date": today + timedelta(days=rng.randint(60, 600)),
        **dates,
    }
    return PersonalCertification(
        person=person,
        kind=CertificateKind.CONSTRUCTION_SPECIAL,
        certificate_type=kind,
        number=f"粤A{kind}{issued:%Y}{number:06d}",
        issuer="广东省住房和城乡建设厅",
        issue_date=min(issued, values["valid_until"]),
        status=CertificateStatus.VALID,
        **values,
    )


def seed(demo) -> None:
    from workforce.models import RosterEntry

    today = timezone.localdate()
    rules = dict(WorkTypeCertificate.objects.values_list("work_type_id", "certificate_type"))
    for project in demo.shared.get("projects", []):
        if Training.objects.filter(project=project).exists():
            continue
        entries = list(
            RosterEntry.objects.filter(project=project, exit_date__isnull=True)
            .select_related("person", "team")
            .order_by("id")
        )
        by_team = defaultdict(list)
        for entry in entries[UNTRAINED_PER_PROJECT:]:  # the first few are left for 在场无安全培训
            by_team[entry.team].append(entry)
        attendees = []
        for team, members in by_team.items():
            day = min(min(e.entry_date for e in members), today)
            training = Training.objects.create(
                project=project,
                training_type=TrainingType.ENTRY,
                name=f"三级安全教育（{team.name}）",
                training_date=day,
                hours=Decimal("8.0"),
                trainer="项目安全负责人",
                organisation=project.name,
                place="项目部会议室",
                description="公司级、项目级、班组级安全教育，考核合格后上岗。",
            )
            for index, entry in enumerate(members):
                attendees.append(TrainingAttendee(training=training, person=entry.person, passed=index != 1))
        TrainingAttendee.objects.bulk_create(attendees)
        Training.objects.create(
            project=project,
            training_type=TrainingType.SKILL,
            name="高处作业安全技能培训",
            training_date=today - timedelta(days=7),
            hours=Decimal("4.0"),
            trainer="安全员",
            place="施工现场",
        )

        certificates = []
        special = [e for e in entries if e.work_type_id in rules]
        for index, entry in enumerate(special):
            kind = rules[entry.work_type_id]
            if index == 0:  # expired while on site
                dates = {"valid_until": today - timedelta(days=5)}
            elif index == 1:  # past its 复审
                dates = {"review_date": today - timedelta(days=10)}
            elif index % 4 == 2:  # expiring within 30 days
                dates = {"valid_until": today + timedelta(days=demo.rng.randint(5, 28))}
            elif index % 7 == 6:  # left without a certificate
                continue
            else:
                dates = {}
            certificates.append(_certificate(entry.person, kind, today, demo.rng, entry.pk, **dates))
        if not special and entries:  # a demo without special trades still shows the pages
            person = entries[-1].person
            certificates.append(
                _certificate(
                    person,
                    CertificateType.ELECTRICIAN,
                    today,
                    demo.rng,
                    1,
                    valid_until=today + timedelta(days=20),
                )
            )
        PersonalCertification.objects.bulk_create(certificates)
        demo.write(f"  培训与证书：{project.name} 培训 {len(by_team) + 1} 场，证书 {len(certificates)} 本")
