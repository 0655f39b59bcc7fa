from django.urls import path

from . import views

app_name = "projects"

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("projects/", views.project_list, name="list"),
    path("projects/<int:project_id>/", views.overview, name="overview"),
    path("projects/<int:project_id>/card/", views.card, name="card"),
]
