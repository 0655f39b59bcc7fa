from django.urls import path

from . import views

app_name = "jobs"

urlpatterns = [
    path("exports/", views.export_list, name="export_list"),
    path("exports/<int:export_id>/status/", views.export_status, name="export_status"),
    path("exports/<int:export_id>/download/", views.export_download, name="export_download"),
]
