from django.urls import path

from . import views

app_name = "jobs"

urlpatterns = [
    path("exports/", views.export_list, name="export_list"),
    path("exports/<int:export_id>/status/", views.export_status, name="export_status"),
    path("exports/<int:export_id>/cancel/", views.export_cancel, name="export_cancel"),
    path("exports/<int:export_id>/retry/", views.export_retry, name="export_retry"),
    path("exports/<int:export_id>/download/", views.export_download, name="export_download"),
]
