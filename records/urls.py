from django.urls import path

from . import views

app_name = "records"

urlpatterns = [
    path("records/holds/", views.hold_list, name="holds"),
    path("records/holds/<int:hold_id>/end/", views.hold_end, name="hold_end"),
    path("records/retention/", views.retention_report, name="retention"),
    path("projects/<int:project_id>/dossier/", views.dossier_request, name="dossier"),
]
