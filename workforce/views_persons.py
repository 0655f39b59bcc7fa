"""人员库 form (add and correct a person) and the mobile 采集 page (docs/requirements.md §7.7)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from jmzhgd.core.access import project_for
from jmzhgd.core.actor import Actor

from .collection import enter_then_update
from .forms import CollectionForm, EntryDetailsForm, PersonForm
from .models import PersonSource
from .person_rights import PersonChangeRefused
from .services import EntryRefused, enter_persons, upsert_person
from .views import person_in_project
from .views_entry import select_person


def _add_errors(form, exc: ValidationError) -> None:
    for field, errors in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def _save(request, form, project, source, *, raise_refusal=False):
    """upsert_person with the form's data; its errors land on the form's fields. None if refused.

    With `raise_refusal`, PersonChangeRefused (a person this project may not change) is raised for
    the caller to answer: the person can still be entered."""
    try:
        return upsert_person(Actor.from_request(request), form.person_data(), source=source, project=project)
    except ValidationError as exc:
        if raise_refusal and isinstance(exc, PersonChangeRefused):
            raise
        _add_errors(form, exc)
        return None


@login_required
def person_create(request, project_id):
    """人员库: add a person (an existing identity is corrected instead), then choose them for entry."""
    project = project_for(request, project_id, write=True)
    form = PersonForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            saved = _save(request, form, project, PersonSource.WEB, raise_refusal=True)
        except PersonChangeRefused as refused:
            # Nothing of him changes, but he can still be entered (docs/requirements.md §7; docs/architecture.md pattern 10).
            select_person(request, project, refused.person.pk)
            messages.warning(request, f"{refused.person}：{'；'.join(refused.messages)} 已选入进场名单。")
            return redirect("workforce:enter", project_id=project.pk)
        if saved is not None:
            person, created = saved
            select_person(request, project, person.pk)
            messages.success(
                request,
                f"{'已加入人员库' if created else '人员库中已有此人，信息已更新'}：{person}。已选入进场名单。",
            )
            return redirect("workforce:enter", project_id=project.pk)
    return render(request, "workforce/person_form.html", {"project": project, "form": form})


@login_required
def person_edit(request, project_id, person_id):
    """Correct a person of this project's roster; the identity (证件类型 + 证件号码) stays."""
    project = project_for(request, project_id, write=True)
    person = person_in_project(project, person_id)
    form = PersonForm(request.POST or None, request.FILES or None, person=person)
    if request.method == "POST" and form.is_valid() and _save(request, form, project, PersonSource.WEB):
        messages.success(request, f"已保存：{person.name}")
        return redirect("workforce:person_detail", project_id=project.pk, person_id=person.pk)
    return render(request, "workforce/person_form.html", {"project": project, "form": form, "person": person})


@login_required
def collect(request, project_id):
    """采集 on a phone: ID fields, camera shots of the ID card and face; optionally enter the roster."""
    project = project_for(request, project_id, write=True)
    post = request.POST if request.method == "POST" else None
    form = CollectionForm(post, request.FILES or None)
    enter = bool(post and post.get("enter"))
    entry_form = EntryDetailsForm(project, post if enter else None, prefix="entry")
    if post is not None and form.is_valid() and (not enter or entry_form.is_valid()):
        try:
            saved = _save(request, form, project, PersonSource.COLLECTION, raise_refusal=enter)
        except PersonChangeRefused as refused:
            saved = None
            done = _enter_then_update(request, project, refused.person, form, entry_form)
            if done:
                messages.success(request, f"采集成功：{done}，已进场。")
                return redirect("workforce:collect", project_id=project.pk)
        if saved is not None:
            person = saved[0]
            if not enter:
                messages.success(request, f"采集成功：{person}，已保存到人员库。")
                return redirect("workforce:collect", project_id=project.pk)
            try:
                enter_persons(
                    Actor.from_request(request),
                    project,
                    entry_form.requests_for([person]),
                    confirm_warnings=bool(post.get("confirm_warnings")),
                )
            except EntryRefused as exc:
                # The person stays in the 人员库 (photos included): a corrected resubmission only enters.
                messages.warning(
                    request,
                    f"已保存到人员库：{person}。进场未成功，请处理以下问题后重新提交（照片无需重拍）。",
                )
                _show_entry_refusal(entry_form, exc)
            else:
                messages.success(request, f"采集成功：{person}，已进场。")
                return redirect("workforce:collect", project_id=project.pk)
    return render(
        request,
        "workforce/collect.html",
        {"project": project, "form": form, "entry_form": entry_form, "enter": enter},
    )


def _show_entry_refusal(entry_form, exc: EntryRefused) -> None:
    for message in exc.check.error_messages() or exc.check.warning_messages():
        entry_form.add_error(None, message)
    if exc.check.ok:
        entry_form.add_error(None, "请核实以上提示，勾选“确认进场”后再提交。")


def _enter_then_update(request, project, person, form, entry_form):
    """采集 with entry of a person this project may not change yet: entered first, then changed as
    a person of its roster, all or nothing (workforce.collection). The person, or None if refused."""
    try:
        person, _ = enter_then_update(
            Actor.from_request(request),
            project,
            person,
            form.person_data(),
            source=PersonSource.COLLECTION,
            requests_for=lambda p: entry_form.requests_for([p]),
            confirm_warnings=bool(request.POST.get("confirm_warnings")),
        )
    except EntryRefused as exc:
        messages.warning(request, f"{person}：进场未成功，人员信息也未修改，请处理以下问题后重新提交。")
        _show_entry_refusal(entry_form, exc)
    except ValidationError as exc:
        _add_errors(form, exc)
    else:
        return person
    return None
