"""花名册 pages: the list, its export, exit and batch exit, and the person detail (SPEC §7)."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig

from jmzhgd.core import audit
from jmzhgd.core.access import can_write_project, get_in_project, project_for
from jmzhgd.core.actor import Actor
from jmzhgd.core.files import serve_private_file
from jmzhgd.jobs.views import deliver

from .exports import ROSTER, roster_filter
from .exports import roster_export as roster_export_of
from .filters import RosterFilter
from .forms import ExitForm, parse_ids
from .models import Person, RosterEntry
from .services import exit_roster_entries
from .tables import RosterTable

PERSON_IMAGES = {"photo": "photo", "front": "id_front_image", "back": "id_back_image"}


def _filtered(request, project) -> RosterFilter:
    return roster_filter(request.GET, project)


@login_required
def roster(request, project_id):
    """项目人员花名册."""
    project = project_for(request, project_id)
    filterset = _filtered(request, project)
    can_write = can_write_project(request.user, project)
    table = RosterTable(filterset.qs, can_write=can_write, order_by="-entry_date")
    RequestConfig(request, paginate={"per_page": settings.PAGE_SIZE}).configure(table)
    return render(
        request,
        "workforce/roster.html",
        {"project": project, "filter": filterset, "table": table, "can_write": can_write},
    )


@login_required
def roster_export(request, project_id):
    """导出花名册 (the list's filters apply); a large one becomes a job (【我的导出】)."""
    project = project_for(request, project_id)
    prepared = roster_export_of(project, request.GET)
    # Full ID numbers only on explicit request; everyone who may read the project may reveal them on
    # the person page, and this bulk reveal is audited as such.
    full_ids = request.GET.get("full_ids") == "1"
    audit.record(
        Actor.from_request(request),
        "person.reveal_id" if full_ids else "roster.export",
        project,
        project=project,
        summary=f"导出花名册（{prepared.rows} 条{'，含完整证件号码' if full_ids else ''}）",
        after={"filters": {k: v for k, v in request.GET.items() if v}},
    )
    return deliver(request, project, ROSTER, prepared)


@login_required
def exit_entry(request, project_id, entry_id):
    """【退场】 one roster entry."""
    project = project_for(request, project_id, write=True)
    entry = get_in_project(
        RosterEntry.objects.select_related("person", "team", "unit__enterprise"), project, pk=entry_id
    )
    if not entry.is_on_site:
        messages.info(request, f"{entry.person.name} 已于 {entry.exit_date:%Y-%m-%d} 退场。")
        return redirect("workforce:roster", project_id=project.pk)
    form = ExitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            exit_roster_entries(
                Actor.from_request(request),
                RosterEntry.objects.filter(pk=entry.pk),
                form.cleaned_data["exit_date"],
            )
        except ValidationError as exc:
            form.add_error("exit_date", exc)
        else:
            messages.success(request, f"{entry.person.name} 已退场。")
            return redirect("workforce:roster", project_id=project.pk)
    return render(request, "workforce/exit.html", {"project": project, "entries": [entry], "form": form})


@login_required
def batch_exit(request, project_id):
    """【批量退场】: the roster posts the chosen entries here; the second post carries the exit date.

    Opened by GET (a reload, a bookmark, the login redirect after an expired session) nothing is chosen,
    so it goes back to the roster with a hint instead of a blank 405 page.
    """
    project = project_for(request, project_id, write=True)
    try:
        ids = parse_ids(request.POST.getlist("ids"))
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
        return redirect("workforce:roster", project_id=project.pk)
    entries = RosterEntry.objects.filter(project=project, pk__in=ids).on_site()
    chosen = list(entries.select_related("person", "team", "unit__enterprise").order_by("person__name"))
    if not chosen:
        messages.warning(request, "请先在花名册中勾选要退场的在场人员。")
        return redirect("workforce:roster", project_id=project.pk)
    form = ExitForm(request.POST if "exit_date" in request.POST else None)
    if form.is_bound and form.is_valid():
        try:
            count = exit_roster_entries(Actor.from_request(request), entries, form.cleaned_data["exit_date"])
        except ValidationError as exc:
            form.add_error("exit_date", exc)
        else:
            messages.success(request, f"已批量退场 {count} 人。")
            return redirect("workforce:roster", project_id=project.pk)
    return render(
        request, "workforce/exit.html", {"project": project, "entries": chosen, "form": form, "batch": True}
    )


def person_in_project(project, person_id) -> Person:
    """A person who has or had a roster entry in `project`; anyone else is a 404 here."""
    person = get_object_or_404(Person, pk=person_id)
    if not RosterEntry.objects.filter(project=project, person=person).exists():
        raise Http404
    return person


@login_required
def person_detail(request, project_id, person_id, *, revealed: str | None = None):
    project = project_for(request, project_id)
    person = person_in_project(project, person_id)
    from attendance.models import DailySummary
    from contracts.models import Contract

    since = timezone.localdate() - timedelta(days=29)
    context = {
        "project": project,
        "person": person,
        "revealed": revealed,
        "can_write": can_write_project(request.user, project),
        "history": RosterEntry.objects.visible_to(request.user)
        .filter(person=person)
        .select_related("project", "unit__enterprise", "team", "work_type", "post")
        .order_by("-entry_date", "-id"),
        "contracts": Contract.objects.filter(project=project, person=person)
        .select_related("unit__enterprise")
        .order_by("-start_date", "-id"),
        "attendance": DailySummary.objects.filter(
            project=project, person=person, work_date__gte=since
        ).order_by("-work_date"),
        "since": since,
    }
    return render(request, "workforce/person_detail.html", context)


@login_required
@require_POST
def person_reveal(request, project_id, person_id):
    """【查看完整号码】: for whoever may read the project (its account, supervisors in scope); audited."""
    project = project_for(request, project_id)
    person = person_in_project(project, person_id)
    audit.record(
        Actor.from_request(request),
        "person.reveal_id",
        person,
        project=project,
        summary=f"查看完整证件号码：{person}",
    )
    response = person_detail(request, project_id, person_id, revealed=person.id_number)
    response["Cache-Control"] = "no-store"
    return response


@login_required
def person_image(request, project_id, person_id, image_kind):
    """A person's photo or ID-card image, only for those who may read the project that has the person."""
    project = project_for(request, project_id)
    person = person_in_project(project, person_id)
    field = PERSON_IMAGES.get(image_kind)
    if field is None:
        raise Http404
    return serve_private_file(getattr(person, field))
