from django.urls import path

from . import views_key_posts
from . import views_reports as views

# 项目月考勤, 考勤明细, 异常考勤 (docs/requirements.md §8).
urlpatterns: list = [
    path("projects/<int:project_id>/attendance/", views.month, name="month"),
    path("projects/<int:project_id>/attendance/month/export/", views.month_export, name="month_export"),
    path("projects/<int:project_id>/attendance/details/", views.details, name="details"),
    path("projects/<int:project_id>/attendance/details/export/", views.details_export, name="details_export"),
    path(
        "projects/<int:project_id>/attendance/punches/<int:punch_id>/photo/",
        views.punch_photo,
        name="punch_photo",
    ),
    path("projects/<int:project_id>/attendance/anomalies/", views.anomalies, name="anomalies"),
    path(
        "projects/<int:project_id>/attendance/key-posts/export/",
        views_key_posts.key_posts_export,
        name="key_posts_export",
    ),
    path(
        "projects/<int:project_id>/attendance/anomalies/<int:punch_id>/resolve/",
        views.anomaly_resolve,
        name="anomaly_resolve",
    ),
    path(
        "projects/<int:project_id>/attendance/anomalies/<int:punch_id>/dismiss/",
        views.anomaly_dismiss,
        name="anomaly_dismiss",
    ),
]
