from django.urls import path

from . import downloads, views
from .docs import CLIENT_PATH, SAMPLE_REQUEST_PATH

app_name = "api_credentials"

urlpatterns = [
    # Linked from 接口文档 (jmzhgd.api.docs), which names these paths in its text.
    path(CLIENT_PATH, downloads.client_download, name="client_download"),
    path(SAMPLE_REQUEST_PATH, downloads.sample_request, name="sample_request"),
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
