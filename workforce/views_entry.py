"""【人员进场】 wizard (docs/requirements.md §7): step 1 chooses persons from the 人员库, step 2 says where they go.

The selection is kept in the session, per project, so it survives paging, searching and the
browser's back button (step 1 is never cached, so going back shows the selection as it is now).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache

from enterprises.models import ParticipatingUnit
from jmzhgd.core.access import get_in_project, project_for
from jmzhgd.core.actor import Actor

from .filters import PersonPickFilter
from .forms import EntryDetailsForm, parse_ids, post_choices, team_choices
from .models import Person, RosterEntry
from .services import EntryRefused, enter_persons, on_site_elsewhere
from .services.face import blocking_message, face_matches_blocking_entry

MAX_SELECTION = 500


def _key(project) -> str:
    return f"entry_selection_{project.pk}"


def get_selection(request, project) -> list[int]:
    return list(request.session.get(_key(project), []))


def set_selection(request, project, ids) -> None:
    request.session[_key(project)] = list(dict.fromkeys(ids))[:MAX_SELECTION]


def select_person(request, project, person_id: int) -> None:
    """Put a person into the wizard's selection (the 人员库 form does this after adding someone)."""
    set_selection(request, project, [*get_selection(request, project), person_id])


@never_cache
@login_required
def enter_select(request, project_id):
    """Step 1: search the 人员库 and tick persons; the ticks of every page are remembered."""
    project = project_for(request, project_id, write=True)
    selection = get_selection(request, project)
    if request.method == "POST":
        try:
            shown = set(parse_ids(request.POST.getlist("shown")))
            ticked = set(parse_ids(request.POST.getlist("ids")))
            removed = set(parse_ids(request.POST.getlist("remove")))
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
            return redirect(request.get_full_path())
        selection = [pk for pk in selection if pk not in shown and pk not in removed]
        selection += [pk for pk in ticked if pk not in removed]
        if "clear" in request.POST:
            selection = []
        if len(set(selection)) > MAX_SELECTION:
            messages.warning(
                request, f"一次最多选择 {MAX_SELECTION} 人，超出的人员未选入；更多人员请用【批量人员进场】。"
            )
        set_selection(request, project, selection)
        if "next" in request.POST:
            if not selection:
                messages.warning(request, "请至少选择一名人员。")
            else:
                return redirect("workforce:enter_details", project_id=project.pk)
        query = {
            k: v for k, v in (("q", request.POST.get("q", "")), ("page", request.POST.get("goto", ""))) if v
        }
        url = reverse("workforce:enter", kwargs={"project_id": project.pk})
        return redirect(f"{url}?{urlencode(query)}" if query else url)

    on_site = RosterEntry.objects.filter(project=project).on_site().values("person_id")
    filterset = PersonPickFilter(request.GET, queryset=Person.objects.order_by("name", "id"))
    page = Paginator(filterset.qs, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    on_site_ids = set(on_site.filter(person_id__in=[p.pk for p in page]).values_list("person_id", flat=True))
    chosen = list(Person.objects.filter(pk__in=selection).order_by("name", "id"))
    # Warned on ticking, before step 2 asks for confirmation (check_entries warns again there).
    elsewhere = on_site_elsewhere(project, [p.pk for p in page] + [p.pk for p in chosen])
    for person in [*page, *chosen]:
        person.elsewhere = elsewhere.get(person.pk, "")
    return render(
        request,
        "workforce/enter_select.html",
        {
            "project": project,
            "filter": filterset,
            "page_obj": page,
            "on_site_ids": on_site_ids,
            "selection": set(selection),
            "chosen": chosen,
            "q": request.GET.get("q", ""),
        },
    )


@login_required
def enter_details(request, project_id):
    """Step 2: unit → team → 工种/岗位 and the entry date, for everyone chosen; all or none enter."""
    project = project_for(request, project_id, write=True)
    persons = list(Person.objects.filter(pk__in=get_selection(request, project)).order_by("name", "id"))
    if not persons:
        messages.warning(request, "请先选择要进场的人员。")
        return redirect("workforce:enter", project_id=project.pk)
    form = EntryDetailsForm(project, request.POST if request.method == "POST" else None)
    refusal, face_held = None, []
    if request.method == "POST" and "refresh" not in request.POST and form.is_valid():
        # 人证比对 (docs/face-match.md): a photo that does not match its ID card waits for the clerk's word.
        held = face_matches_blocking_entry(Actor.from_request(request), project, persons)
        face_held = [{"match": m, "message": blocking_message(m)} for m in held]
    if request.method == "POST" and "refresh" not in request.POST and form.is_valid() and not face_held:
        try:
            leaders = {int(v) for v in request.POST.getlist("leaders") if v.isdigit()}
            entries = enter_persons(
                Actor.from_request(request),
                project,
                form.requests_for(persons, leaders),
                confirm_warnings=bool(request.POST.get("confirm_warnings")),
            )
        except EntryRefused as exc:
            refusal = exc.check
        else:
            set_selection(request, project, [])
            messages.success(request, f"已成功进场 {len(entries)} 人。")
            return redirect("workforce:roster", project_id=project.pk)
    return render(
        request,
        "workforce/enter_details.html",
        {"project": project, "form": form, "persons": persons, "refusal": refusal, "face_held": face_held},
    )


@login_required
def entry_options(request, project_id):
    """JSON for step 2's dependent selects: the unit's teams for a category and the 岗位 of its type."""
    project = project_for(request, project_id)
    try:
        unit = get_in_project(ParticipatingUnit.objects.all(), project, pk=int(request.GET.get("unit", "")))
    except ValueError:
        return JsonResponse({"teams": [], "posts": []})
    category = request.GET.get("category", "")
    return JsonResponse(
        {
            "teams": [{"id": t.pk, "name": t.name} for t in team_choices(project, unit, category)],
            "posts": [{"id": p.pk, "name": p.name} for p in post_choices(unit)],
        }
    )
