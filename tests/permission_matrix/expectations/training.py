"""项目培训 URLs. The builder creates a training with one attendee inside the given project."""

from __future__ import annotations

from datetime import date

from tests import factories

from ..spec import PROJECT_ACTION, PROJECT_FORM, PROJECT_PAGE, Expect

EXPECTATIONS = {
    "training:list": PROJECT_PAGE,
    "training:export": PROJECT_PAGE,
    "training:create": PROJECT_FORM,
    "training:detail": PROJECT_PAGE,
    "training:edit": PROJECT_FORM,
    # A training with an attendee is not deleted: the own account is sent back to it (302).
    "training:delete": Expect(method="POST", supervisor=403, own=(302,)),
    "training:attendees": PROJECT_ACTION,
    "training:sign_in_scan": PROJECT_PAGE,
    # A person's certificates: his on-site project's account and supervisors (docs/architecture.md pattern 10).
    "training:certificate_create": PROJECT_PAGE,
    # 录入证书 by ID number (before the entry): the project's own account only.
    "training:certificate_add": PROJECT_FORM,
    "training:certificate_edit": PROJECT_PAGE,
    "training:certificate_scan": PROJECT_PAGE,
}


def _training(project):
    from django.core.files.base import ContentFile

    from training.models import Training, TrainingAttendee

    training = Training(project=project, name="三级安全教育", training_date=date(2026, 3, 5), hours="2.0")
    training.sign_in_scan.save("sign-in.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=False)
    training.save()
    entry = factories.RosterEntryFactory(team__unit__project=project)
    TrainingAttendee.objects.create(training=training, person=entry.person)
    return training.pk


def _certificate(project):
    from django.core.files.base import ContentFile

    from training.models import PersonalCertification

    entry = factories.RosterEntryFactory(team__unit__project=project)
    certificate = PersonalCertification(
        person=entry.person,
        certificate_type="01",
        number="粤A012026000001",
        issuer="广东省住房和城乡建设厅",
        issue_date=date(2025, 1, 1),
        valid_until=date(2031, 1, 1),
    )
    certificate.scan.save("cert.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=False)
    certificate.save()
    return certificate.pk


KWARGS = {"training_id": _training, "certificate_id": _certificate}
