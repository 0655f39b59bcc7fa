from django.urls import path

from . import views, views_seal

app_name = "core"

urlpatterns = [
    path("support/", views.support, name="support"),
    path("verify-seal/", views_seal.verify_seal, name="verify_seal"),
    path("audit/", views.audit_log, name="audit_log"),
    path("projects/<int:project_id>/audit/", views.project_audit_log, name="project_audit_log"),
]
