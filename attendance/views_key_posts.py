"""【导出到岗表】 of 关键岗位到岗 (attendance.key_posts)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect

from jmzhgd.core import audit
from jmzhgd.core.access import project_for
from jmzhgd.core.actor import Actor
from jmzhgd.jobs.views import deliver

from .key_posts import KEY_POSTS_EXPORT
from .key_posts import key_posts_export as prepare


@login_required
def key_posts_export(request, project_id):
    project = project_for(request, project_id)
    try:
        prepared = prepare(project, request.GET)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
        return redirect("projects:overview", project_id=project.pk)
    audit.record(
        Actor.from_request(request),
        "attendance.key_posts_export",
        project,
        project=project,
        summary=f"导出{prepared.label}",
    )
    return deliver(request, project, KEY_POSTS_EXPORT, prepared)
