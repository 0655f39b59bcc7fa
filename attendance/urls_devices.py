from django.urls import path

from . import views_devices as views

# 考勤设备 pages (docs/requirements.md §8).
urlpatterns: list = [
    path("projects/<int:project_id>/attendance/devices/", views.device_list, name="device_list"),
    path("projects/<int:project_id>/attendance/devices/new/", views.device_create, name="device_create"),
    path(
        "projects/<int:project_id>/attendance/devices/<int:device_id>/edit/",
        views.device_edit,
        name="device_edit",
    ),
    path(
        "projects/<int:project_id>/attendance/devices/<int:device_id>/deactivate/",
        views.device_deactivate,
        name="device_deactivate",
    ),
]
