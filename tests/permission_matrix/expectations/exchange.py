"""数据对接 URLs: the page for whoever may see the project, its download for supervisors; 【重新推送】 for its own account."""

from __future__ import annotations

from tests import factories

from ..spec import PROJECT_PAGE, SUPERVISOR_PAGE, Expect

EXPECTATIONS = {
    "exchange:page": PROJECT_PAGE,
    # Supervisors only (the standard's payload holds phones in clear); without the project's
    # credentials the download explains itself and returns to the page.
    "exchange:export": Expect(own=404, supervisor=(200, 302)),
    # The project's appid and secret: entered by a supervisor who sees the project, by nobody else.
    "exchange:credential": SUPERVISOR_PAGE,
    "exchange:repush": Expect(method="POST", supervisor=403, own=(302,)),
}


def _refused_record(project):
    from exchange.models import OutboundRecord, RecordStatus

    team = factories.TeamFactory(unit__project=project)
    return OutboundRecord.objects.create(
        project=project, method="Team.Add", rank=40, object_key=str(team.pk), status=RecordStatus.REFUSED
    ).pk


KWARGS = {"record_id": _refused_record}
