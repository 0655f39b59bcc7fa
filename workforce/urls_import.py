"""【批量人员进场】 URLs, appended to workforce.urls (namespace "workforce")."""

from django.urls import path

from . import views_import

_BASE = "projects/<int:project_id>/roster/import/"

urlpatterns = [
    path(_BASE, views_import.import_start, name="import"),
    path(f"{_BASE}template/", views_import.import_template, name="import_template"),
    path(f"{_BASE}history/", views_import.import_history, name="import_history"),
    path(f"{_BASE}<int:batch_id>/", views_import.import_detail, name="import_detail"),
    path(f"{_BASE}<int:batch_id>/commit/", views_import.import_commit, name="import_commit"),
    path(f"{_BASE}<int:batch_id>/status/", views_import.import_status, name="import_status"),
    path(f"{_BASE}<int:batch_id>/abandon/", views_import.import_abandon, name="import_abandon"),
    path(f"{_BASE}<int:batch_id>/errors/", views_import.import_errors, name="import_errors"),
    path(f"{_BASE}<int:batch_id>/report/", views_import.import_report, name="import_report"),
    path(f"{_BASE}<int:batch_id>/file/", views_import.import_file, name="import_file"),
]
