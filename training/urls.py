from django.urls import path

from . import views, views_certificates

app_name = "training"

P = "projects/<int:project_id>/trainings/"

urlpatterns = [
    path(P, views.training_list, name="list"),
    path(P + "export/", views.training_export, name="export"),
    path(P + "new/", views.training_create, name="create"),
    path(P + "<int:training_id>/", views.training_detail, name="detail"),
    path(P + "<int:training_id>/edit/", views.training_edit, name="edit"),
    path(P + "<int:training_id>/delete/", views.training_delete, name="delete"),
    path(P + "<int:training_id>/attendees/", views.training_attendees, name="attendees"),
    path(P + "<int:training_id>/sign-in-scan/", views.sign_in_scan, name="sign_in_scan"),
]

urlpatterns += [
    path(
        "projects/<int:project_id>/certificates/new/",
        views_certificates.certificate_add,
        name="certificate_add",
    ),
    path(
        "projects/<int:project_id>/persons/<int:person_id>/certificates/new/",
        views_certificates.certificate_create,
        name="certificate_create",
    ),
    path(
        "projects/<int:project_id>/certificates/<int:certificate_id>/edit/",
        views_certificates.certificate_edit,
        name="certificate_edit",
    ),
    path(
        "projects/<int:project_id>/certificates/<int:certificate_id>/scan/",
        views_certificates.certificate_scan,
        name="certificate_scan",
    ),
]
