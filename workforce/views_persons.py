"""人员库 form (add and correct a person) and the mobile 采集 page (docs/requirements.md §7.7)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from jmzhgd.core.access import project_for
from jmzhgd.core.actor import Actor

from .collection import upsert_and_enter
from .forms import CollectionForm, EntryDetailsForm, PersonForm
from .models import PersonSource
from .services import EntryRefused, card_of, enter_persons, existing_person, save_person
from .services.face import face_match_for, result_message
from .views import person_in_project
from .views_entry import select_person


def _add_errors(form, exc: ValidationError) -> None:
    for field, errors in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def _save(request, form, project, source):
    """save_person with the form's data; its errors land on the form's fields. None if invalid."""
    try:
        return save_person(Actor.from_request(request), form.person_data(), source=source, project=project)
    except ValidationError as exc:
        _add_errors(form, exc)
        return None


def _announce(request, saved, done: str, proposed: str = "") -> None:
    """The page's answer: `done` (naming the person as {person}) when what was sent is saved; else
    what was only proposed (workforce.person_rights) and `proposed`, what did happen."""
    if saved.proposal is not None:
        messages.warning(request, f"{saved.person}：{saved.message}{proposed}")
    else:
        messages.success(request, done.format(person=saved.person))


# The province refuses a ProjectWorker without its headImage (docs/deploy.md "数据对接"): 采集 says so
# while the worker stands in front of the clerk, who can take the photo at once.
PHOTO_WANTED = (
    "{person}：缺少人员照片。省平台不接收没有照片的人员（人员照片为必填），请补拍人员照片后再次提交采集。"
)


def _ask_for_photo(request, person) -> None:
    if not person.photo:
        messages.warning(request, PHOTO_WANTED.format(person=person))


def _show_face_match(request, project, person) -> None:
    """人证比对 of what 采集 just saved (docs/face-match.md), when both photos are there."""
    match = face_match_for(Actor.from_request(request), project, person)
    if match is not None:
        level = messages.success if not match.needs_clerk else messages.warning
        level(request, result_message(match))


@login_required
def person_create(request, project_id):
    """人员库: add a person (an existing identity is corrected, or a proposal kept), then choose them
    for entry."""
    project = project_for(request, project_id, write=True)
    form = PersonForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        saved = _save(request, form, project, PersonSource.WEB)
        if saved is not None:
            select_person(request, project, saved.person.pk)
            _announce(
                request, saved, "已加入人员库，已选入进场名单。" if saved.created else "已选入进场名单。"
            )
            return redirect("workforce:enter", project_id=project.pk)
    return render(request, "workforce/person_form.html", {"project": project, "form": form})


@login_required
def person_edit(request, project_id, person_id):
    """Correct a person of this project's roster; the identity (证件类型 + 证件号码) stays. The 工资卡
    is this project's own (workforce.models.PayCard)."""
    project = project_for(request, project_id, write=True)
    person = person_in_project(project, person_id)
    form = PersonForm(
        request.POST or None, request.FILES or None, person=person, card=card_of(project, person)
    )
    if request.method == "POST" and form.is_valid():
        saved = _save(request, form, project, PersonSource.WEB)
        if saved is not None:
            _announce(request, saved, "已保存：{person}。")
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
        if enter and existing_person(form.person_data()) is not None:
            saved = _enter_then_save(request, project, form, entry_form)
            if saved is not None:
                _announce(request, saved, "采集成功：{person}，已进场。", "已进场。")
                _ask_for_photo(request, saved.person)
                _show_face_match(request, project, saved.person)
                return redirect("workforce:collect", project_id=project.pk)
        elif (saved := _save(request, form, project, PersonSource.COLLECTION)) is not None:
            if not enter:
                _announce(request, saved, "采集成功：{person}，已保存到人员库。")
                _ask_for_photo(request, saved.person)
                _show_face_match(request, project, saved.person)
                return redirect("workforce:collect", project_id=project.pk)
            try:
                enter_persons(
                    Actor.from_request(request),
                    project,
                    entry_form.requests_for([saved.person]),
                    confirm_warnings=bool(post.get("confirm_warnings")),
                )
            except EntryRefused as exc:
                # The person stays in the 人员库 (photos included): a corrected resubmission only enters.
                messages.warning(
                    request,
                    f"已保存到人员库：{saved.person}。进场未成功，请处理以下问题后重新提交（照片无需重拍）。",
                )
                _show_entry_refusal(entry_form, exc)
                _show_face_match(request, project, saved.person)
            else:
                _announce(request, saved, "采集成功：{person}，已进场。", "已进场。")
                _ask_for_photo(request, saved.person)
                _show_face_match(request, project, saved.person)
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


def _enter_then_save(request, project, form, entry_form):
    """采集 with entry of a person already in the 人员库: entered first, then saved with the rights the
    new stay gives (workforce.collection), all or nothing. The PersonSaved, or None if refused."""
    try:
        saved, _ = upsert_and_enter(
            Actor.from_request(request),
            project,
            form.person_data(),
            source=PersonSource.COLLECTION,
            requests_for=lambda p: entry_form.requests_for([p]),
            confirm_warnings=bool(request.POST.get("confirm_warnings")),
        )
    except EntryRefused as exc:
        person = existing_person(form.person_data())
        messages.warning(request, f"{person}：进场未成功，人员信息也未修改，请处理以下问题后重新提交。")
        _show_entry_refusal(entry_form, exc)
    except ValidationError as exc:
        _add_errors(form, exc)
    else:
        return saved
    return None
