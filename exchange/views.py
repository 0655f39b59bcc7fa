"""数据对接 page (/projects/<id>/exchange/): counts, the records, 【重新推送】 and the JSON export."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from jmzhgd.core.access import can_write_project, get_in_project, project_for, require_supervisor
from jmzhgd.core.actor import Actor
from jmzhgd.core.tables import paginate_table

from . import exports, services
from .models import OutboundRecord, RecordStatus
from .tables import OutboundRecordTable

# The page's four counts; 推送中 counts as queued, 本地校验未通过 as refused (both need the project's eye).
SUMMARY = [
    ("queued", "待推送", (RecordStatus.QUEUED, RecordStatus.SENDING)),
    ("sent", "已推送待回执", (RecordStatus.SENT,)),
    ("accepted", "省平台已接收", (RecordStatus.ACCEPTED,)),
    ("refused", "退回/校验未通过", (RecordStatus.REFUSED, RecordStatus.INVALID)),
]


@login_required
def exchange_page(request, project_id):
    project = project_for(request, project_id)
    records = OutboundRecord.objects.visible_to(request.user).filter(project=project)
    counts = dict(records.order_by().values_list("status").annotate(n=Count("id")))
    summary = [
        {"key": key, "label": label, "n": sum(counts.get(s, 0) for s in statuses)}
        for key, label, statuses in SUMMARY
    ]
    chosen = next((statuses for key, _, statuses in SUMMARY if key == request.GET.get("status")), None)
    if chosen:
        records = records.filter(status__in=chosen)
    table = OutboundRecordTable(
        records.order_by("-updated_at", "-id"),
        project=project,
        can_write=can_write_project(request.user, project),
    )
    paginate_table(request, table)
    return render(request, "exchange/page.html", {"project": project, "summary": summary, "table": table})


@login_required
@require_POST
def repush(request, project_id, record_id):
    project = project_for(request, project_id, write=True)
    record = get_in_project(OutboundRecord.objects.all(), project, user=request.user, pk=record_id)
    try:
        services.repush(Actor.from_request(request), record)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, f"已重新加入推送队列：{record.label}")
    return redirect("exchange:page", project_id=project.pk)


@login_required
def export(request, project_id):
    """The project's records as the standard's JSON, for a manual upload to the province.

    Supervisors only, and audited: the standard's worker record requires cellPhone and carries the
    emergency contact's phone, in clear (only ID and card numbers are encrypted), so the file is not
    for the project account, which reads phones masked (docs/security.md, "数据对接 file")."""
    require_supervisor(request.user)
    project = project_for(request, project_id)
    try:
        return exports.json_response(Actor.from_request(request), project)
    except exports.ExportUnavailable as exc:
        messages.error(request, str(exc))
        return redirect("exchange:page", project_id=project.pk)
