"""参建单位 pages (docs/requirements.md §6.1) under /projects/<project_id>/units/."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from jmzhgd.core.access import can_write_project, get_in_project, project_for
from jmzhgd.core.actor import Actor
from jmzhgd.core.list_views import ProjectListView
from jmzhgd.core.pii import decrypt, encrypt

from . import services
from .filters import UnitFilter
from .forms import UnitAddForm, UnitDetailsForm
from .models import Enterprise, ParticipatingUnit, Team
from .tables import UnitTable
from .views import with_query
from .views_common import date_step, reenter_step

DRAFT_FIELDS = [
    "enterprise",
    "corp_type",
    "entry_date",
    "pm_name",
    "pm_id_number",
    "pm_phone",
    "wage_bank_name",
    "wage_bank_account",
]
LIBRARY_MATCHES = 20
DETAIL_WORKERS = 200


class UnitListView(ProjectListView):
    template_name = "enterprises/unit_list.html"
    title = "参建单位"
    filterset_class = UnitFilter
    table_class = UnitTable
    export_action = "unit.export"

    def get_queryset(self):
        units = ParticipatingUnit.objects.visible_to(self.request.user).filter(project=self.project)
        return units.with_counts().order_by("exit_date", "corp_type", "pk")


unit_list = UnitListView.as_view()
unit_export = UnitListView.export_view()


# --- 【添加参建单位】 with a draft that survives searching and registering an enterprise -------------


def _draft_key(project) -> str:
    return f"enterprises.unit_draft.{project.pk}"


def _save_draft(request, project, values: dict) -> None:
    draft = {name: values.get(name, "") for name in DRAFT_FIELDS}
    if draft["pm_id_number"]:  # never an ID number in clear in the session store
        draft["pm_id_number"] = encrypt(draft["pm_id_number"])
    request.session[_draft_key(project)] = draft


def _load_draft(request, project) -> dict:
    draft = dict(request.session.get(_draft_key(project), {}))
    if draft.get("pm_id_number"):
        draft["pm_id_number"] = decrypt(draft["pm_id_number"])
    return draft


@login_required
def unit_add(request, project_id):
    project = project_for(request, project_id, write=True)
    list_warnings, list_errors = [], []
    add_url = reverse("enterprises:unit_add", args=[project.pk])
    if request.method == "POST":
        intent, picked = request.POST.get("intent", "save"), request.POST.get("pick")
        if picked or intent in ("search", "register"):
            values = request.POST.dict()
            if picked:
                values["enterprise"] = picked
            _save_draft(request, project, values)
            if intent == "register":
                return redirect(with_query(reverse("enterprises:register"), next=add_url))
            query = request.POST.get("q", "").strip()
            return redirect(with_query(add_url, q=query) if query and not picked else add_url)
        form = UnitAddForm(request.POST)
        if form.is_valid():
            data = dict(form.cleaned_data)
            enterprise, corp_type, entry_date = (
                data.pop("enterprise"),
                data.pop("corp_type"),
                data.pop("entry_date"),
            )
            # Blank optional details never wipe what a re-entering unit already has on file.
            details = {key: value for key, value in data.items() if value not in ("", None)}
            try:
                unit = services.enter_unit(
                    Actor.from_request(request),
                    project,
                    enterprise,
                    corp_type,
                    entry_date,
                    confirm_warnings=request.POST.get("confirm_warnings") == "1",
                    **details,
                )
            except services.UnitEntryRefused as exc:
                list_warnings, list_errors = exc.warnings, exc.errors
                for message in list_errors or list_warnings:
                    form.add_error(None, message)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                request.session.pop(_draft_key(project), None)
                for warning in unit.entry_warnings:
                    messages.warning(request, f"已确认：{warning}")
                messages.success(request, f"参建单位“{unit}”已进场，已自动生成管理人员班组。")
                return redirect("enterprises:unit_detail", project_id=project.pk, unit_id=unit.pk)
        chosen = form.data.get("enterprise")
    else:
        draft = _load_draft(request, project)
        if request.GET.get("enterprise"):
            draft["enterprise"] = request.GET["enterprise"]
            _save_draft(request, project, draft)
        form = UnitAddForm(initial={k: v for k, v in draft.items() if v})
        chosen = draft.get("enterprise")
    query = request.GET.get("q", "").strip()
    matches = []
    if query:
        matches = Enterprise.objects.filter(
            Q(name__icontains=query) | Q(credit_code__icontains=query.upper())
        )[:LIBRARY_MATCHES]
    context = {
        "project": project,
        "form": form,
        "query": query,
        "matches": matches,
        "chosen": Enterprise.objects.filter(pk=chosen).first() if str(chosen or "").isdigit() else None,
        "confirm_lists": bool(list_warnings and not list_errors),
    }
    return render(request, "enterprises/unit_add.html", context)


# --- one unit ----------------------------------------------------------------------------------------


@login_required
def unit_detail(request, project_id, unit_id):
    project = project_for(request, project_id)
    unit = get_in_project(
        ParticipatingUnit.objects.select_related("enterprise"), project, request.user, pk=unit_id
    )
    teams = Team.objects.filter(unit=unit).with_counts().order_by("exit_date", "pk")
    workers = (
        unit.roster.all()  # workforce's RosterEntry.unit, read through the ORM (README "Floors")
        .select_related("person", "team", "work_type", "post")
        .order_by("exit_date", "-entry_date", "pk")
    )
    context = {
        "project": project,
        "unit": unit,
        "stays": unit.stays.all(),
        "teams": teams,
        "workers": workers[:DETAIL_WORKERS],
        "worker_count": workers.count(),
        "workers_shown": DETAIL_WORKERS,
        "has_workers": workers.exists(),
        "can_write": can_write_project(request.user, project),
    }
    return render(request, "enterprises/unit_detail.html", context)


@login_required
def unit_edit(request, project_id, unit_id):
    project = project_for(request, project_id, write=True)
    unit = get_in_project(
        ParticipatingUnit.objects.select_related("enterprise"), project, request.user, pk=unit_id
    )
    form = UnitDetailsForm(request.POST or None, instance=unit)
    if request.method == "POST" and form.is_valid():
        changes = {name: form.cleaned_data[name] for name in form.changed_data if name in form.cleaned_data}
        services.update_unit(Actor.from_request(request), unit, changes)
        messages.success(request, "参建单位信息已保存。")
        return redirect("enterprises:unit_detail", project_id=project.pk, unit_id=unit.pk)
    return render(request, "enterprises/unit_form.html", {"project": project, "unit": unit, "form": form})


@login_required
def unit_exit(request, project_id, unit_id):
    """【退场】: shows what is still on site and exits it together with the unit."""
    project = project_for(request, project_id, write=True)
    unit = get_in_project(
        ParticipatingUnit.objects.select_related("enterprise"), project, request.user, pk=unit_id
    )
    detail_url = reverse("enterprises:unit_detail", args=[project.pk, unit.pk])
    if not unit.is_on_site:
        messages.error(request, f"参建单位“{unit.enterprise.name}”已退场。")
        return redirect(detail_url)
    teams, workers = services.unit_on_site_counts(unit)

    def run(day):
        team_count, worker_count = services.exit_unit(Actor.from_request(request), unit, day)
        return f"参建单位“{unit}”已退场，{team_count} 个班组、{worker_count} 名人员随同退场。"

    context = {"project": project, "unit": unit, "teams_on_site": teams, "workers_on_site": workers}
    return date_step(
        request,
        template="enterprises/unit_exit.html",
        context=context,
        label="退场日期",
        run=run,
        done_url=detail_url,
    )


@login_required
def unit_reenter(request, project_id, unit_id):
    """再次进场 of an exited unit: a new stay, the earlier ones kept and shown."""
    project = project_for(request, project_id, write=True)
    unit = get_in_project(
        ParticipatingUnit.objects.select_related("enterprise"), project, request.user, pk=unit_id
    )
    detail_url = reverse("enterprises:unit_detail", args=[project.pk, unit.pk])
    if unit.is_on_site:
        messages.error(request, f"参建单位“{unit.enterprise.name}”仍在场。")
        return redirect(detail_url)

    def run(day):
        confirmed = request.POST.get("confirm_warnings") == "1"
        entered = services.reenter_unit(Actor.from_request(request), unit, day, confirm_warnings=confirmed)
        for warning in entered.entry_warnings:
            messages.warning(request, f"已确认：{warning}")
        return f"参建单位“{unit}”已再次进场，管理人员班组随同进场。"

    context = {
        "project": project,
        "unit": unit,
        "title": "参建单位再次进场",
        "subject": str(unit),
        "confirmable": True,
    }
    return reenter_step(request, context=context, run=run, done_url=detail_url)


@login_required
@require_POST
def unit_delete(request, project_id, unit_id):
    """【删除】 only while the unit never had a worker: "只能退场，不能删除" otherwise."""
    project = project_for(request, project_id, write=True)
    unit = get_in_project(
        ParticipatingUnit.objects.select_related("enterprise"), project, request.user, pk=unit_id
    )
    label = str(unit)
    try:
        services.delete_unit(Actor.from_request(request), unit)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
        return redirect("enterprises:unit_detail", project_id=project.pk, unit_id=unit.pk)
    messages.success(request, f"参建单位“{label}”已删除（企业仍保留在企业库中）。")
    return redirect("enterprises:unit_list", project_id=project.pk)
