from django.urls import path

from . import views

app_name = "contracts"

urlpatterns = [
    path("projects/<int:project_id>/contracts/", views.contract_list, name="list"),
    path("projects/<int:project_id>/contracts/export/", views.contract_export, name="export"),
    path("projects/<int:project_id>/contracts/entries/<int:entry_id>/", views.entry_contract, name="entry"),
    path("projects/<int:project_id>/contracts/<int:contract_id>/renew/", views.renew, name="renew"),
    path("projects/<int:project_id>/contracts/scans/<int:scan_id>/", views.scan_file, name="scan"),
    path(
        "projects/<int:project_id>/contracts/scans/<int:scan_id>/thumbnail/",
        views.scan_thumbnail,
        name="scan_thumbnail",
    ),
    path(
        "projects/<int:project_id>/contracts/scans/<int:scan_id>/view/", views.scan_viewer, name="scan_view"
    ),
    path(
        "projects/<int:project_id>/contracts/scans/<int:scan_id>/remove/",
        views.scan_remove,
        name="scan_remove",
    ),
]
