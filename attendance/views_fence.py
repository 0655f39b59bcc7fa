"""移动考勤 pages (docs/geofence.md): the phone punch page of a 考勤员 (or the project's account), the
project's list of punches outside the fence with 认可 / 驳回, and its 考勤员 accounts.
Thin views: scope, parse, call the action (attendance.fence_punches, attendance.attendants), render."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from jmzhgd.core.access import can_write_project, get_in_project, project_for
from jmzhgd.core.actor import Actor
from jmzhgd.core.files import serve_private_file
from jmzhgd.core.pii import id_digest
from projects.models import Project
from workforce.models import RosterEntry

from .attendants import attendants_of, disable_attendant, issue_attendant
from .fence_punches import FenceConflict, accept_fence_punch, reject_fence_punch, submit_fence_punch
from .models import FenceCheck, FencePunch, FenceReview
from .summaries import SHANGHAI
from .views_reports import _tabs

PAGE_SIZE = 50
WORKER_RESULTS = 10
MAX_BODY_BYTES = 8 * 1024 * 1024  # one punch with its compressed photo


def _punch_project(request, project_id: int) -> Project:
    """The project a punch may be sent for: a 考勤员's own, or one the caller may write (404/403)."""
    user = request.user
    if user.is_authenticated and user.is_attendant:
        if user.project_id != project_id:
            raise Http404
        return get_object_or_404(Project, pk=project_id)
    return project_for(request, project_id, write=True)


@login_required
@never_cache
def fence_punch(request, project_id):
    """【移动考勤】 on a phone: pick the worker, take a photo, send with the position."""
    project = _punch_project(request, project_id)
    return render(
        request,
        "attendance/fence_punch.html",
        {"project": project, "has_fence": bool(project.site_fences), "fence_count": len(project.site_fences)},
    )


@login_required
def fence_punch_workers(request, project_id):
    """Workers on the roster today matching a name or a whole ID number (JSON for the punch page)."""
    project = _punch_project(request, project_id)
    query = (request.GET.get("q") or "").replace("\x00", "").strip()[:30]  # PostgreSQL refuses NUL
    if not query:
        return JsonResponse({"results": [], "message": "请输入姓名或身份证号。"})
    today = timezone.now().astimezone(SHANGHAI).date()
    entries = RosterEntry.objects.filter(project=project).during(today, today)
    if len(query) >= 15:
        entries = entries.filter(person__id_number_digest=id_digest(query.upper()))
    else:
        entries = entries.filter(person__name__contains=query)
    rows = entries.select_related("person", "team").order_by("person__name", "id")[:WORKER_RESULTS]
    results = [
        {
            "entryId": e.pk,
            "name": e.person.name,
            "idMasked": e.person.id_number_masked,
            "team": e.team.name if e.team_id else "",
        }
        for e in rows
    ]
    return JsonResponse({"results": results, "message": "" if results else "今天在场的人员中没有找到。"})


@login_required
@require_POST
def fence_punch_submit(request, project_id):
    """One punch record as JSON, sent by the page's offline queue (attendance/fence_punch.js); answers JSON."""
    project = _punch_project(request, project_id)
    if len(request.body) > MAX_BODY_BYTES:
        return JsonResponse({"message": "照片过大，请重新拍摄。"}, status=413)
    try:
        record = json.loads(request.body)
    except ValueError:
        return JsonResponse({"message": "请求格式不正确。"}, status=400)
    if not isinstance(record, dict):
        return JsonResponse({"message": "请求格式不正确。"}, status=400)
    try:
        outcome = submit_fence_punch(Actor.from_request(request), project, record)
    except FenceConflict as exc:
        return JsonResponse({"message": exc.message}, status=409)
    except ValidationError as exc:
        return JsonResponse({"message": "；".join(exc.messages)}, status=400)
    return JsonResponse(outcome.as_json())


@login_required
def fence_anomalies(request, project_id):
    """围栏外考勤: the punches outside the fence (or with a poor accuracy) to accept or reject."""
    project = project_for(request, project_id)
    review = request.GET.get("review") or FenceReview.PENDING
    if review not in FenceReview.values or review == FenceReview.COUNTED:
        review = FenceReview.PENDING
    rows = (
        FencePunch.objects.visible_to(request.user)
        .filter(project=project, review=review)
        .select_related("person", "roster_entry__team", "reviewed_by")
        .order_by("-punched_at", "-id")
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "attendance/fence_anomalies.html",
        {
            "project": project,
            "tabs": _tabs(project, "fence"),
            "page": page,
            "review": review,
            "reviews": [(v, label) for v, label in FenceReview.choices if v != FenceReview.COUNTED],
            "checks": dict(FenceCheck.choices),
            "can_write": _can_write(request, project),
        },
    )


def _can_write(request, project) -> bool:
    return can_write_project(request.user, project)


def _decide(request, project_id, fence_punch_id, action, done: str):
    project = project_for(request, project_id, write=True)
    punch = get_in_project(
        FencePunch.objects.select_related("person"), project, request.user, pk=fence_punch_id
    )
    try:
        action(Actor.from_request(request), punch, request.POST.get("reason", ""))
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, f"{punch.person.name} 的移动考勤{done}。")
    return redirect("attendance:fence_anomalies", project_id=project.pk)


@login_required
@require_POST
def fence_accept(request, project_id, fence_punch_id):
    return _decide(request, project_id, fence_punch_id, accept_fence_punch, "已认可，计入考勤")


@login_required
@require_POST
def fence_reject(request, project_id, fence_punch_id):
    return _decide(request, project_id, fence_punch_id, reject_fence_punch, "已驳回，不计入考勤")


@login_required
def fence_photo(request, project_id, fence_punch_id):
    project = project_for(request, project_id)
    punch = get_in_project(FencePunch.objects, project, request.user, pk=fence_punch_id)
    return serve_private_file(punch.photo)


@login_required
@never_cache
def attendants(request, project_id):
    """考勤员账号: issue a phone account for 移动考勤 (password shown once) or disable one."""
    project = project_for(request, project_id, write=request.method == "POST")
    issued = None
    if request.method == "POST":
        try:
            user, password = issue_attendant(
                Actor.from_request(request),
                project,
                request.POST.get("real_name", ""),
                request.POST.get("phone", ""),
            )
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            issued = {"username": user.username, "password": password}
    return render(
        request,
        "attendance/attendants.html",
        {
            "project": project,
            "tabs": _tabs(project, "fence"),
            "accounts": attendants_of(project),
            "issued": issued,
            "can_write": _can_write(request, project),
        },
    )


@login_required
@require_POST
def attendant_disable(request, project_id, attendant_id):
    project = project_for(request, project_id, write=True)
    user = get_object_or_404(attendants_of(project), pk=attendant_id)
    try:
        disable_attendant(Actor.from_request(request), user)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, f"已停用考勤员账号 {user.username}。")
    return redirect("attendance:attendants", project_id=project.pk)
