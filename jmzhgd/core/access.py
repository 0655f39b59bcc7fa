"""Scoping (docs/architecture.md pattern 1): one helper resolves the project and the caller's right to it.

Every project page lives under /projects/<project_id>/… and starts with `project_for(request, id)`
(the declared list pages of jmzhgd.core.list_views do it for their lists). A project the caller may not see is a 404, never
a 403, so other projects' ids cannot be probed. Objects inside the project are then fetched from the
model's `visible_to(user)` queryset *and* filtered by that project, so an id of another project's
object under the caller's own project id is a 404 too (`get_in_project`).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from .models import project_model


def can_write_project(user, project) -> bool:
    """Project data is written by the project's own account (and by admins through any page)."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return user.is_project_user and user.project_id == project.pk


def project_for(request: HttpRequest, project_id, *, write: bool = False):
    """The project `project_id` if the caller may see it (404 otherwise).

    With write=True the caller must also be allowed to change it: a supervisor who can see the
    project but only reads it gets 403 (they know the project exists; writing is what is refused).
    """
    project = get_object_or_404(project_model().objects.visible_to(request.user), pk=project_id)
    if write and not can_write_project(request.user, project):
        raise PermissionDenied("监管方只能查看项目数据，不能修改。")
    return project


def get_in_project(queryset: models.QuerySet, project, user=None, **lookup):
    """An object of `queryset` that belongs to `project` (and is visible to `user`), else 404."""
    if user is not None and hasattr(queryset, "visible_to"):
        queryset = queryset.visible_to(user)
    return get_object_or_404(queryset.filter(project=project), **lookup)


def require_supervisor(user) -> None:
    """Supervisor-only pages: anyone else gets 404 (the page does not exist for them)."""
    if not (user.is_authenticated and (user.is_supervisor or user.is_superuser)):
        raise Http404
