"""花名册 actions: exit and batch exit, and the person images (docs/requirements.md §7); the list, its export and
the person page read contracts and attendance too, so they are on the top floor (jmzhgd.portal.roster)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render

from jmzhgd.core.access import get_in_project, project_for
from jmzhgd.core.actor import Actor
from jmzhgd.core.files import serve_private_file

from .forms import ExitForm, parse_ids
from .models import Person, RosterEntry
from .services import exit_roster_entries

PERSON_IMAGES = {"photo": "photo", "front": "id_front_image", "back": "id_back_image"}


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
def person_image(request, project_id, person_id, image_kind):
    """A person's photo or ID-card image, only for those who may read the project that has the person."""
    project = project_for(request, project_id)
    person = person_in_project(project, person_id)
    field = PERSON_IMAGES.get(image_kind)
    if field is None:
        raise Http404
    return serve_private_file(getattr(person, field))
