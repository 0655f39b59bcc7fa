"""数据对接 page (/projects/<id>/exchange/): counts, the records, 【重新推送】 and the JSON export."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from jmzhgd.core.access import can_write_project, get_in_project, project_for, require_supervisor
from jmzhgd.core.actor import Actor
from jmzhgd.core.list_views import ProjectListView

from . import credentials, exports, services
from .forms import CredentialForm
from .models import OutboundRecord, ProvinceCredential, RecordStatus
from .tables import OutboundRecordTable

# The page's four counts; 推送中 counts as queued, 本地校验未通过 as refused (both need the project's eye).
SUMMARY = [
    ("queued", "待推送", (RecordStatus.QUEUED, RecordStatus.SENDING)),
    ("sent", "已推送待回执", (RecordStatus.SENT,)),
    ("accepted", "省平台已接收", (RecordStatus.ACCEPTED,)),
    ("refused", "退回/校验未通过", (RecordStatus.REFUSED, RecordStatus.INVALID)),
]


def connection_state(project) -> tuple[str, str]:
    """(state, the one line the page shows) for the clerk and the supervisor alike."""
    if not (settings.PROVINCE_SYNC_ENABLED and settings.PROVINCE_ENDPOINT):
        return (
            "off",
            "未配置省平台：本平台未启用省平台数据对接，不会向省平台推送任何数据（下列记录仅在本地排队）。",
        )
    credential = ProvinceCredential.objects.filter(project=project).first()
    if credential is None:
        return (
            "no_credential",
            "本项目尚未录入省平台对接凭据（appid 与密钥），数据不会推送；请监管部门在本页录入。",
        )
    return "on", f"已接入省平台：appid {credential.appid}（密钥已加密保存），数据按国家数据标准自动推送。"


class ExchangePageView(ProjectListView):
    """省平台对接: the project's records by status (one chip per group), newest first."""

    template_name = "exchange/page.html"
    title = "省平台对接"
    table_class = OutboundRecordTable

    def get_queryset(self):
        return OutboundRecord.objects.visible_to(self.request.user).filter(project=self.project)

    def get_filterset(self):
        return None  # the status chips filter the rows (get_table)

    def get_table(self, filterset):
        records = self.get_queryset()
        chosen = next(
            (statuses for key, _, statuses in SUMMARY if key == self.request.GET.get("status")), None
        )
        if chosen:
            records = records.filter(status__in=chosen)
        return self.table_class(
            records.order_by("-updated_at", "-id"),
            project=self.project,
            can_write=can_write_project(self.request.user, self.project),
        )

    def extra_context(self) -> dict:
        counts = dict(self.get_queryset().order_by().values_list("status").annotate(n=Count("id")))
        summary = [
            {"key": key, "label": label, "n": sum(counts.get(s, 0) for s in statuses)}
            for key, label, statuses in SUMMARY
        ]
        state, state_line = connection_state(self.project)
        user = self.request.user
        return {
            "summary": summary,
            "state": state,
            "state_line": state_line,
            "can_enter_credentials": user.is_supervisor or user.is_superuser,
        }


exchange_page = ExchangePageView.as_view()


@login_required
def credential(request, project_id):
    """【录入对接凭据】: a supervisor enters the project's appid and secret (never shown again)."""
    require_supervisor(request.user)
    project = project_for(request, project_id)
    current = ProvinceCredential.objects.filter(project=project).first()
    form = CredentialForm(request.POST or None, initial={"appid": current.appid if current else project.code})
    if request.method == "POST" and form.is_valid():
        try:
            credentials.set_credential(
                Actor.from_request(request), project, form.cleaned_data["appid"], form.cleaned_data["secret"]
            )
        except ValidationError as exc:
            form.add_error("secret", exc.messages[0])
        else:
            messages.success(request, "已保存本项目的省平台对接凭据。")
            return redirect("exchange:page", project_id=project.pk)
    return render(request, "exchange/credential.html", {"project": project, "form": form, "current": current})


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
