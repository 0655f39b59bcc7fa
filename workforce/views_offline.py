"""The offline 采集 app (docs/offline-collection.md): its manifest, its service worker and the
endpoint its queue sends records to. The page itself is views_persons.collect."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.urls import reverse
from django.views.decorators.http import require_POST

from jmzhgd.core import offline_app
from jmzhgd.core.access import project_for
from jmzhgd.core.actor import Actor

from .collection import upsert_and_enter
from .forms import CollectionForm, EntryDetailsForm
from .models import PersonSource
from .offline_collection import (
    RecordConflict,
    content_hash,
    file_digest,
    parse_record_id,
    submit_record,
)
from .services import EntryRefused
from .services.face import face_match_for, face_match_payload, result_message
from .views_persons import PHOTO_WANTED

LOGIN_MESSAGE = "登录已过期，请重新登录后上传（待上传的记录保存在本机，不会丢失）。"
# What the app keeps for use without a connection besides the platform's own (BASE_ASSETS) and the
# page, cached as it is opened.
APP_ASSETS = ["workforce/entry_fields.js", "workforce/collect_app.js"]


class Refused(Exception):
    def __init__(self, body: dict):
        super().__init__(body.get("message", ""))
        self.body = body


def _refused(code: str, errors: dict[str, list[str]]) -> Refused:
    sentences = (m if m.endswith(("。", "？", "！")) else m + "。" for ms in errors.values() for m in ms)
    message = "".join(sentences)
    return Refused({"code": code, "message": message, "errors": errors})


def _form_errors(*forms) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for form in forms:
        for name, messages in form.errors.items():
            key = "__all__" if name == "__all__" else form.add_prefix(name)
            errors.setdefault(key, []).extend(str(m) for m in messages)
    return errors


def _save(request, project):
    """The 采集 page's save (all or nothing): (the answer's body, the person). Raises Refused."""
    form = CollectionForm(request.POST, request.FILES)
    enter = bool(request.POST.get("enter"))
    entry_form = EntryDetailsForm(project, request.POST if enter else None, prefix="entry")
    if not form.is_valid() or (enter and not entry_form.is_valid()):
        raise _refused("invalid", _form_errors(form, *([entry_form] if enter else [])))
    try:
        saved, entries = upsert_and_enter(
            Actor.from_request(request),
            project,
            form.person_data(),
            source=PersonSource.COLLECTION,
            requests_for=(lambda p: entry_form.requests_for([p])) if enter else None,
            confirm_warnings=bool(request.POST.get("confirm_warnings")),
        )
    except EntryRefused as exc:
        if exc.check.ok:
            raise _refused(
                "entry_needs_confirmation",
                {"__all__": [*exc.messages, "请核实以上提示，勾选“确认进场”后再提交。"]},
            ) from None
        raise _refused("entry_refused", {"__all__": exc.messages}) from None
    except ValidationError as exc:
        raise _refused("invalid", {k: list(v) for k, v in exc.message_dict.items()}) from None
    person = saved.person
    if saved.proposal is not None:
        message = f"{person}：{saved.message}" + ("已进场。" if entries else "")
    else:
        message = f"采集成功：{person}，" + ("已进场。" if entries else "已保存到人员库。")
    if not person.photo:
        message += PHOTO_WANTED.format(person=person)
    # 人证比对 of what was just saved, as the 采集 form does (docs/face-match.md).
    match = face_match_for(Actor.from_request(request), project, person)
    if match is not None:
        message += result_message(match)
    body = {
        "personId": person.pk,
        "name": person.name,
        "idNumberMasked": person.id_number_masked,
        "entered": bool(entries),
        "proposalId": saved.proposal.pk if saved.proposal else None,
        "message": message,
        "faceMatch": face_match_payload(match) if match is not None else None,
    }
    return body, person


@require_POST
def collect_record(request, project_id):
    """One record of the offline queue: the 采集 form's fields and photos plus `record_id`."""
    if not request.user.is_authenticated:
        return JsonResponse({"code": "login_required", "message": LOGIN_MESSAGE}, status=401)
    project = project_for(request, project_id, write=True)
    record_id = parse_record_id(request.POST.get("record_id", ""))
    if record_id is None:
        return JsonResponse(
            {"code": "invalid", "message": "记录编号无效，请在采集页面重新保存。"}, status=400
        )
    fields = [
        (name, value)
        for name, values in request.POST.lists()
        if name not in ("csrfmiddlewaretoken", "record_id")
        for value in values
    ]
    digest = content_hash(fields, [(name, file_digest(upload)) for name, upload in request.FILES.items()])
    try:
        answer = submit_record(project, record_id, digest, lambda: _save(request, project), user=request.user)
    except RecordConflict as exc:
        return JsonResponse({"code": "conflict", "message": exc.message}, status=409)
    except Refused as exc:
        return JsonResponse(exc.body, status=422)
    response = JsonResponse({"recordId": str(record_id), **answer.body})
    if answer.replayed:
        response["Idempotent-Replayed"] = "true"
    return response


@login_required
def collect_manifest(request, project_id):
    """The web app manifest: the 采集 page installs as an app on the phone's home screen."""
    project = project_for(request, project_id, write=True)
    page = reverse("workforce:collect", kwargs={"project_id": project.pk})
    return offline_app.manifest(name=f"人员采集 · {project.name}", short_name="人员采集", page=page)


@login_required
def collect_service_worker(request, project_id):
    """The service worker, served under the page's own path so its scope is the 采集 page."""
    project = project_for(request, project_id, write=True)
    return offline_app.service_worker(
        request,
        name=f"collect-{project.pk}",
        page=reverse("workforce:collect", kwargs={"project_id": project.pk}),
        assets=APP_ASSETS,
        network_first=[reverse("workforce:entry_options", kwargs={"project_id": project.pk})],
    )
