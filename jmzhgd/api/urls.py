from django.urls import path

from . import views

app_name = "api_credentials"

urlpatterns = [
    path("api-credentials/", views.credential_list, name="list"),
    path("api-credentials/new/", views.credential_create, name="create"),
    path("api-credentials/<int:credential_id>/revoke/", views.credential_revoke, name="revoke"),
    path("projects/<int:project_id>/api-credentials/", views.project_credential_list, name="project_list"),
    path(
        "projects/<int:project_id>/api-credentials/new/",
        views.project_credential_create,
        name="project_create",
    ),
    path(
        "projects/<int:project_id>/api-credentials/<int:credential_id>/revoke/",
        views.project_credential_revoke,
        name="project_revoke",
    ),
]
