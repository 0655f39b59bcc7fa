"""移动考勤 offline (docs/geofence.md "Offline"): the punch page's service worker and manifest (the
shared implementation in jmzhgd.core.offline_app) and the on-site roster the page keeps on the phone
to find a worker with no connection."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache

from jmzhgd.core import offline_app
from workforce.models import RosterEntry

from .summaries import SHANGHAI
from .views_fence import _punch_project

# What the page keeps besides the platform's own assets (offline_app.BASE_ASSETS) and itself.
APP_ASSETS = ["attendance/fence_punch.js"]
# The most rows the phone keeps: a large linear work has a few thousand workers on site.
ROSTER_MAX = 5000


def _page(project) -> str:
    return reverse("attendance:fence_punch", kwargs={"project_id": project.pk})


@login_required
def fence_punch_manifest(request, project_id):
    project = _punch_project(request, project_id)
    return offline_app.manifest(name=f"移动考勤 · {project.name}", short_name="移动考勤", page=_page(project))


@login_required
def fence_punch_service_worker(request, project_id):
    """Served under the page's own path, so that its scope is the punch page."""
    project = _punch_project(request, project_id)
    return offline_app.service_worker(
        request, name=f"fence-punch-{project.pk}", page=_page(project), assets=APP_ASSETS
    )


@login_required
@never_cache
def fence_punch_roster(request, project_id):
    """Who is on the project's roster today, as little as the search needs (name, masked ID number,
    team, roster entry), at most ROSTER_MAX rows by name: the page keeps it for finding a worker
    offline. `truncated` says the project has more on site than the phone keeps."""
    project = _punch_project(request, project_id)
    today = timezone.now().astimezone(SHANGHAI).date()
    rows = list(
        RosterEntry.objects.filter(project=project)
        .during(today, today)
        .order_by("person__name", "id")
        .values_list("id", "person__name", "person__id_number_masked", "team__name")[: ROSTER_MAX + 1]
    )
    return JsonResponse(
        {
            "date": today.isoformat(),
            "truncated": len(rows) > ROSTER_MAX,
            "workers": [
                {"entryId": pk, "name": name, "idMasked": masked, "team": team or ""}
                for pk, name, masked, team in rows[:ROSTER_MAX]
            ],
        },
        json_dumps_params={"ensure_ascii": False},
    )
