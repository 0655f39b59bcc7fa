from django.urls import path

from . import views

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
]
