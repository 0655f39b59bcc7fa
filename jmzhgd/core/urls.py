from django.urls import path

from . import views

app_name = "core"

urlpatterns = [
    path("support/", views.support, name="support"),
    path("audit/", views.audit_log, name="audit_log"),
    path("projects/<int:project_id>/audit/", views.project_audit_log, name="project_audit_log"),
]
