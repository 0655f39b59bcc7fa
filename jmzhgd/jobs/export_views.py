"""The one way a project page exports (docs/architecture.md pattern 5): the exporter registered by
name prepares the file from the page's own filters; `deliver` streams a small one at once and turns
a large one into a job (【我的导出】); and one audit row records who exported what, with the filters.

An export view is a declaration in the app's urls or views:

    month_export = export_view(MONTH, action="attendance.export_month", back="attendance:month")
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect

from jmzhgd.core import audit
from jmzhgd.core.access import project_for
from jmzhgd.core.actor import Actor
from jmzhgd.db.routers import reads_from_replica

from . import registry
from .registry import Prepared
from .views import deliver


def _summary(prepared: Prepared, request) -> str:
    return f"导出{prepared.label}"


def export_view(
    name: str,
    *,
    action: str | Callable[[object], str],
    back: str,
    summary: Callable[[Prepared, object], str] = _summary,
    replica: bool = False,
):
    """A view for /projects/<project_id>/…/export/: the project's own (another project's is a 404);
    filters the exporter refuses go back to `back` with the reason; `action` (or a function of the
    request, for an export that reveals more on request) is the audit row's action; `replica` reads
    from the standby (docs/deploy.md), the audit row after the file being the request's only write."""

    @login_required
    def view(request, project_id):
        project = project_for(request, project_id)
        try:
            prepared = registry.get(name)(project, request.GET, request.user)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
            return redirect(back, project_id=project.pk)
        response = deliver(request, project, name, prepared)
        code = action(request) if callable(action) else action
        _audit(request, project, code, summary(prepared, request))
        return response

    return reads_from_replica(view) if replica else view


def _audit(request, project, action: str, summary: str) -> None:
    audit.record(
        Actor.from_request(request),
        action,
        project,
        project=project,
        summary=summary,
        after={"filters": {k: v for k, v in request.GET.items() if v and k != "page"}},
    )
