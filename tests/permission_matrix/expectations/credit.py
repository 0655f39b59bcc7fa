"""诚信 URLs. The builder lists an enterprise that is a unit of the given project (with an evidence
scan): the project sees it under its own id, another project does not (404)."""

from django.core.files.base import ContentFile

from tests import factories

from ..spec import LOGIN, PROJECT_ACTION, PROJECT_FORM, PROJECT_PAGE, SUPERVISOR_PAGE, Expect

# A supervisor's action on a record: answered with a redirect back to it; anyone else 404.
SUPERVISOR_ACTION = Expect(method="POST", anonymous=LOGIN, other=404, own=404, supervisor=(302,))

EXPECTATIONS = {
    "credit:supervise": SUPERVISOR_PAGE,
    "credit:create": SUPERVISOR_PAGE,
    "credit:detail": SUPERVISOR_PAGE,
    "credit:evidence": SUPERVISOR_PAGE,
    "credit:decide": SUPERVISOR_ACTION,
    "credit:end": SUPERVISOR_ACTION,
    "credit:answer": SUPERVISOR_ACTION,
    "credit:object_for": SUPERVISOR_ACTION,
    "credit:project_list": PROJECT_PAGE,
    "credit:propose": PROJECT_FORM,
    "credit:project_detail": PROJECT_PAGE,
    "credit:project_evidence": PROJECT_PAGE,
    "credit:project_object": PROJECT_ACTION,
}


def _record(project):
    from datetime import date

    from credit.models import CreditRecord

    unit = factories.UnitFactory(project=project)
    record = CreditRecord(
        kind="blacklist",
        enterprise=unit.enterprise,
        start_date=date(2026, 1, 5),
        end_date=date(2029, 1, 4),
        issuer="江门市住房和城乡建设局",
        description="违法分包",
    )
    record.evidence.save("decision.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=False)
    record.save()
    return record.pk


KWARGS = {"credit_record_id": _record}
