"""数据对接 URLs: the page for whoever may see the project, its download for supervisors; 【重新推送】 for its own account."""

from __future__ import annotations

from tests import factories

from ..spec import PROJECT_PAGE, Expect

EXPECTATIONS = {
    "exchange:page": PROJECT_PAGE,
    # Supervisors only (the standard's payload holds phones in clear); without PROVINCE_AES_KEY the
    # download explains itself and returns to the page.
    "exchange:export": Expect(own=404, supervisor=(200, 302)),
    "exchange:repush": Expect(method="POST", supervisor=403, own=(302,)),
}


def _refused_record(project):
    from exchange.models import OutboundRecord, RecordStatus

    team = factories.TeamFactory(unit__project=project)
    return OutboundRecord.objects.create(
        project=project, method="Team.Add", rank=40, object_key=str(team.pk), status=RecordStatus.REFUSED
    ).pk


KWARGS = {"record_id": _refused_record}
