"""预警中心 (supervisors), a project's alert list, the alert detail with its 处理 form."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_POST

from jmzhgd.core.access import get_in_project, project_for
from jmzhgd.core.actor import Actor
from jmzhgd.core.codes import District
from jmzhgd.core.list_views import ProjectListView, SupervisorListView
from jmzhgd.core.models import AuditLog
from jmzhgd.db.routers import reads_from_replica

from . import services
from .counts import pending_counts
from .filters import PENDING, AlertFilter, ProjectAlertFilter
from .forms import HandleForm
from .links import wage_sheets
from .models import Alert
from .registry import describe, rule_choices
from .tables import AlertTable, ProjectAlertTable, age_days, state_badge


def _with_pending_default(request):
    """The page opens on what waits for someone; 全部状态 is one click away."""
    data = request.GET.copy()
    if "state" not in data:
        data["state"] = PENDING
    return data


def _known_count(filterset, counts) -> int | None:
    """The table's total from the pending counts when the filter asks for the pending alerts of a
    rule and/or district at most (the page's default and its count links). A project search or an
    age filter selects by what the counts do not hold, and other states are not counted there: those
    return None, and the paginator counts the filtered alerts as before."""
    filterset.is_valid()  # cleaned_data then holds what the filter applies (invalid fields are skipped)
    data = filterset.form.cleaned_data
    if data.get("state") != PENDING or data.get("project", "").strip() or data.get("age"):
        return None
    return counts.of(rule=data.get("rule") or None, district=data.get("district") or None)


@method_decorator(reads_from_replica, name="dispatch")
class AlertCenterView(SupervisorListView):
    """预警中心: counts per district and per rule, and the filterable table."""

    template_name = "alerts/center.html"
    title = "预警中心"
    filterset_class = AlertFilter
    table_class = AlertTable

    def get_queryset(self):
        return Alert.objects.visible_to(self.request.user).select_related("project")

    def get_filterset(self):
        self.counts = pending_counts(self.request.user)
        data = _with_pending_default(self.request)
        return self.filterset_class(data, queryset=self.get_queryset(), user=self.request.user)

    def get_table(self, filterset):
        return self.table_class(filterset.qs.order_by("-first_seen_at", "-id"))

    def known_count(self, filterset) -> int | None:
        return _known_count(filterset, self.counts)

    def extra_context(self) -> dict:
        user, counts = self.request.user, self.counts
        districts = District.choices
        if not user.is_superuser and user.districts:
            districts = [c for c in districts if c[0] in user.districts]
        return {
            "by_district": [(value, label, counts.by_district.get(value, 0)) for value, label in districts],
            "by_rule": [(value, label, counts.by_rule.get(value, 0)) for value, label in rule_choices()],
            "pending_total": counts.total,
        }


class ProjectAlertListView(ProjectListView):
    """A project's own alerts (linked from 项目总览)."""

    template_name = "alerts/project_list.html"
    title = "项目预警"
    filterset_class = ProjectAlertFilter
    table_class = ProjectAlertTable
    get_table = AlertCenterView.get_table

    def get_queryset(self):
        return Alert.objects.visible_to(self.request.user).filter(project=self.project)

    def get_filterset(self):
        return self.filterset_class(_with_pending_default(self.request), queryset=self.get_queryset())


center = AlertCenterView.as_view()
project_list = ProjectAlertListView.as_view()


def _detail(request, project, alert, form, status=200):
    history = AuditLog.objects.filter(
        project=project, object_type=Alert._meta.label, object_id=str(alert.pk)
    ).order_by("-created_at", "-id")[:20]
    return render(
        request,
        "alerts/detail.html",
        {
            "project": project,
            "alert": alert,
            "state_badge": state_badge(alert),
            "age": age_days(alert),
            "description": describe(alert.rule),
            "form": form,
            "history": history,
            "sheets": wage_sheets(alert),
        },
        status=status,
    )


def _alert_for(request, project_id, alert_id):
    project = project_for(request, project_id)
    return project, get_in_project(
        Alert.objects.select_related("handled_by"), project, request.user, pk=alert_id
    )


@login_required
def detail(request, project_id, alert_id):
    project, alert = _alert_for(request, project_id, alert_id)
    states = services.allowed_states(request.user, alert)
    form = HandleForm(states=states, initial={"state": alert.state, "note": alert.note}) if states else None
    return _detail(request, project, alert, form)


@login_required
@require_POST
def handle(request, project_id, alert_id):
    """【处理】: change the state (note required for 已处理 / 已忽略); audited."""
    project, alert = _alert_for(request, project_id, alert_id)
    states = services.allowed_states(request.user, alert)
    if not states:
        return _detail(request, project, alert, None, status=403)
    form = HandleForm(request.POST, states=states)
    if form.is_valid():
        try:
            services.handle_alert(
                Actor.from_request(request), alert, form.cleaned_data["state"], form.cleaned_data["note"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "预警处理状态已更新。")
            return redirect("alerts:detail", project_id=project.pk, alert_id=alert.pk)
    return _detail(request, project, alert, form, status=400)
