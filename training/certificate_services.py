"""人员证书 actions and who may see or change them (docs/architecture.md pattern 10, as for the person himself).

A certificate belongs to the person, a shared record of the 人员库: a project that has him on site,
or a supervisor, adds and changes it; every change is audited in each project that has him on site
(and the acting one). Another project that had him sees only that a valid certificate of a type
exists: not its number, issuer or scan.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from jmzhgd.core import audit
from jmzhgd.core.actor import Actor
from jmzhgd.core.signals import records_changed

from .models import PersonalCertification

CERTIFICATE_FIELDS = (
    "kind",
    "certificate_type",
    "grade",
    "number",
    "issuer",
    "issue_date",
    "valid_until",
    "review_date",
    "status",
)
REFUSED = "只有此人在场的项目或监管部门可以录入、修改其证书。"


def on_site_projects(person) -> list[int]:
    from workforce.models import RosterEntry

    return sorted(
        set(
            RosterEntry.objects.filter(person=person, exit_date__isnull=True).values_list(
                "project_id", flat=True
            )
        )
    )


def may_manage(user, project, person) -> bool:
    """Full view and change: a supervisor (or admin), or the account of a project that has him on site."""
    if not user.is_authenticated:
        return False
    if user.is_superuser or user.is_supervisor:
        return True
    return bool(
        user.is_project_user and user.project_id == project.pk and project.pk in on_site_projects(person)
    )


def may_add(user, project, person) -> bool:
    """Add a certificate: who may manage them, or the project's own account for a person on no site
    at all (he is about to enter: a special trade needs the certificate before the entry)."""
    if may_manage(user, project, person):
        return True
    return bool(
        user.is_authenticated
        and user.is_project_user
        and user.project_id == project.pk
        and not on_site_projects(person)
    )


def _snapshot(certificate: PersonalCertification) -> dict:
    return {
        "kind": certificate.get_kind_display(),
        "certificate_type": certificate.get_certificate_type_display(),
        "grade": certificate.get_grade_display(),
        "number": certificate.number,
        "issuer": certificate.issuer,
        "issue_date": certificate.issue_date,
        "valid_until": certificate.valid_until,
        "review_date": certificate.review_date,
        "status": certificate.get_status_display(),
        "scan": bool(certificate.scan),
    }


def save_certificate(
    actor: Actor,
    person,
    values: dict,
    *,
    project,
    scan=None,
    certificate: PersonalCertification | None = None,
) -> PersonalCertification:
    """Add a certificate to `person` (certificate None) or change one of his, acting from `project`."""
    creating = certificate is None
    allowed = may_add if creating else may_manage
    if actor.user is None or not allowed(actor.user, project, person):
        raise PermissionDenied(REFUSED)
    with transaction.atomic():
        if creating:
            certificate = PersonalCertification(person=person, created_by=actor.user)
            before = None
        else:
            certificate = PersonalCertification.objects.select_for_update().get(
                pk=certificate.pk, person=person
            )
            before = _snapshot(certificate)
        for name in CERTIFICATE_FIELDS:
            if name in values:
                setattr(
                    certificate, name, values[name] if values[name] is not None or name != "grade" else ""
                )
        if scan is not None:
            certificate.scan = scan
            certificate.scan_name = getattr(scan, "original_name", "") or scan.name
        certificate.full_clean(exclude=["person", "created_by", "scan"])
        certificate.save()
        after = _snapshot(certificate)
        old, new = (before, after) if creating else audit.changed(before, after)
        if creating or new:
            projects = list(dict.fromkeys([project.pk, *on_site_projects(person)]))
            audit.record_many(
                [
                    audit.build(
                        actor,
                        "certificate.create" if creating else "certificate.update",
                        certificate,
                        project=project_id,
                        summary=f"{'录入' if creating else '修改'}人员证书：{person}，{certificate}",
                        before=None if creating else old,
                        after=after if creating else new,
                    )
                    for project_id in projects
                ]
            )
            records_changed.send(PersonalCertification, project_ids=on_site_projects(person))
    return certificate


@dataclass
class CertificateLine:
    certificate: PersonalCertification | None  # None: another project's view, type only
    type_label: str
    valid: bool
    valid_until: date | None = None


def person_certificates(
    user, project, person, today: date | None = None
) -> tuple[bool, list[CertificateLine]]:
    """(full view?, lines): everything for those who may manage them, else the valid types only."""
    today = today or timezone.localdate()
    rows = list(PersonalCertification.objects.filter(person=person))
    if may_manage(user, project, person):
        return True, [
            CertificateLine(c, c.get_certificate_type_display(), c.is_valid_on(today), c.valid_until)
            for c in rows
        ]
    types = sorted({c.get_certificate_type_display() for c in rows if c.is_valid_on(today)})
    return False, [CertificateLine(None, label, True) for label in types]
