from django.urls import path

from . import views_fence as views
from . import views_fence_offline as offline

# 移动考勤 (docs/geofence.md): the phone punch page (and what it needs offline), punches outside the fence, 考勤员 accounts.
urlpatterns: list = [
    path("projects/<int:project_id>/attendance/fence/punch/", views.fence_punch, name="fence_punch"),
    path(
        "projects/<int:project_id>/attendance/fence/punch/workers/",
        views.fence_punch_workers,
        name="fence_punch_workers",
    ),
    path(
        "projects/<int:project_id>/attendance/fence/punch/submit/",
        views.fence_punch_submit,
        name="fence_punch_submit",
    ),
    # The punch page offline (docs/geofence.md "Offline"): its service worker, manifest, and roster.
    path(
        "projects/<int:project_id>/attendance/fence/punch/sw.js",
        offline.fence_punch_service_worker,
        name="fence_punch_sw",
    ),
    path(
        "projects/<int:project_id>/attendance/fence/punch/manifest.webmanifest",
        offline.fence_punch_manifest,
        name="fence_punch_manifest",
    ),
    path(
        "projects/<int:project_id>/attendance/fence/punch/roster/",
        offline.fence_punch_roster,
        name="fence_punch_roster",
    ),
    path("projects/<int:project_id>/attendance/fence/", views.fence_anomalies, name="fence_anomalies"),
    path(
        "projects/<int:project_id>/attendance/fence/<int:fence_punch_id>/accept/",
        views.fence_accept,
        name="fence_accept",
    ),
    path(
        "projects/<int:project_id>/attendance/fence/<int:fence_punch_id>/reject/",
        views.fence_reject,
        name="fence_reject",
    ),
    path(
        "projects/<int:project_id>/attendance/fence/<int:fence_punch_id>/photo/",
        views.fence_photo,
        name="fence_photo",
    ),
    path("projects/<int:project_id>/attendance/attendants/", views.attendants, name="attendants"),
    path(
        "projects/<int:project_id>/attendance/attendants/<int:attendant_id>/disable/",
        views.attendant_disable,
        name="attendant_disable",
    ),
]
