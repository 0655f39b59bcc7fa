"""班组 pages (docs/requirements.md §6.3) under /projects/<project_id>/teams/."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from jmzhgd.core.access import can_write_project, get_in_project, project_for
from jmzhgd.core.actor import Actor
from jmzhgd.core.list_views import ProjectListView

from . import services
from .filters import TeamFilter
from .forms import TeamForm
from .models import Team
from .tables import TeamTable
from .views_common import date_step, reenter_step
from .views_units import DETAIL_WORKERS


class TeamListView(ProjectListView):
    template_name = "enterprises/team_list.html"
    title = "项目班组"
    filterset_class = TeamFilter
    table_class = TeamTable
    export_action = "team.export"

    def get_queryset(self):
        teams = Team.objects.visible_to(self.request.user).filter(project=self.project)
        return teams.with_counts().order_by("exit_date", "unit", "pk")

    def filterset_kwargs(self) -> dict:
        return {"project": self.project}


def _team(request, project, team_id) -> Team:
    return get_in_project(Team.objects.select_related("unit__enterprise"), project, request.user, pk=team_id)


def _refused(request, project, team, exc: ValidationError):
    # A 管理人员班组's detail page states its lock in a note; the same sentence as an error would
    # be shown twice.
    if exc.messages[0] != services.MANAGEMENT_TEAM_LOCKED:
        messages.error(request, exc.messages[0])
    return redirect("enterprises:team_detail", project_id=project.pk, team_id=team.pk)


def _team_step(request, project_id, team_id, *, on_site: bool):
    """For 退场 (on_site=True) and 再次进场: (project, team, detail url, a refusal response or None)."""
    project = project_for(request, project_id, write=True)
    team = _team(request, project, team_id)
    detail_url = reverse("enterprises:team_detail", args=[project.pk, team.pk])
    try:
        services.refuse_management_team(team)
    except ValidationError as exc:
        return project, team, detail_url, _refused(request, project, team, exc)
    if team.is_on_site != on_site:
        messages.error(request, f"班组“{team.name}”{'已退场' if on_site else '仍在场'}。")
        return project, team, detail_url, redirect(detail_url)
    return project, team, detail_url, None


team_list = TeamListView.as_view()
team_export = TeamListView.export_view()


@login_required
def team_add(request, project_id):
    """【添加班组】: a 建筑工人班组 or 其他人员班组 of a unit on site."""
    project = project_for(request, project_id, write=True)
    initial = {"unit": request.GET.get("unit")} if request.GET.get("unit", "").isdigit() else {}
    form = TeamForm(request.POST or None, project=project, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        unit, name, team_type, entry_date = (data.pop(k) for k in ("unit", "name", "team_type", "entry_date"))
        try:
            team = services.add_team(Actor.from_request(request), unit, name, team_type, entry_date, **data)
        except ValidationError as exc:
            form.add_error("name" if "名称" in exc.messages[0] else None, exc)
        else:
            messages.success(request, f"班组“{team.name}”已进场。")
            return redirect("enterprises:team_detail", project_id=project.pk, team_id=team.pk)
    return render(request, "enterprises/team_form.html", {"project": project, "form": form})


@login_required
def team_detail(request, project_id, team_id):
    project = project_for(request, project_id)
    team = _team(request, project, team_id)
    workers = (
        team.roster.all()  # workforce's RosterEntry.team, read through the ORM (README "Floors")
        .select_related("person", "work_type", "post")
        .order_by("exit_date", "-entry_date", "pk")
    )
    context = {
        "project": project,
        "team": team,
        "workers": workers[:DETAIL_WORKERS],
        "worker_count": workers.count(),
        "workers_shown": DETAIL_WORKERS,
        "has_workers": workers.exists(),
        "can_write": can_write_project(request.user, project),
        "management_note": services.MANAGEMENT_TEAM_LOCKED,
    }
    return render(request, "enterprises/team_detail.html", context)


@login_required
def team_edit(request, project_id, team_id):
    """【编辑】 normal teams only (a crafted request for a 管理人员班组 is refused by the action)."""
    project = project_for(request, project_id, write=True)
    team = _team(request, project, team_id)
    try:
        services.refuse_management_team(team)
    except ValidationError as exc:
        return _refused(request, project, team, exc)
    form = TeamForm(request.POST or None, instance=team)
    if request.method == "POST" and form.is_valid():
        changes = {name: form.cleaned_data[name] for name in form.changed_data if name in form.cleaned_data}
        try:
            services.update_team(Actor.from_request(request), team, changes)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "班组信息已保存。")
            return redirect("enterprises:team_detail", project_id=project.pk, team_id=team.pk)
    return render(request, "enterprises/team_form.html", {"project": project, "form": form, "team": team})


@login_required
def team_exit(request, project_id, team_id):
    """【退场】: exits the team's workers in the same step."""
    project, team, detail_url, refusal = _team_step(request, project_id, team_id, on_site=True)
    if refusal:
        return refusal

    def run(day):
        workers = services.exit_team(Actor.from_request(request), team, day)
        return f"班组“{team.name}”已退场，{workers} 名人员随同退场。"

    context = {
        "project": project,
        "team": team,
        "workers_on_site": team.roster.on_site().count(),
    }
    return date_step(
        request,
        template="enterprises/team_exit.html",
        context=context,
        label="退场日期",
        run=run,
        done_url=detail_url,
    )


@login_required
def team_reenter(request, project_id, team_id):
    project, team, detail_url, refusal = _team_step(request, project_id, team_id, on_site=False)
    if refusal:
        return refusal

    def run(day):
        services.reenter_team(Actor.from_request(request), team, day)
        return f"班组“{team.name}”已再次进场。"

    context = {"project": project, "team": team, "title": "班组再次进场", "subject": team.name}
    return reenter_step(request, context=context, run=run, done_url=detail_url)


@login_required
@require_POST
def team_delete(request, project_id, team_id):
    """【删除】 only a normal team that never had a worker."""
    project = project_for(request, project_id, write=True)
    team = _team(request, project, team_id)
    name = team.name
    try:
        services.delete_team(Actor.from_request(request), team)
    except ValidationError as exc:
        return _refused(request, project, team, exc)
    messages.success(request, f"班组“{name}”已删除。")
    return redirect("enterprises:team_list", project_id=project.pk)
