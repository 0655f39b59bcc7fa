from django.urls import path

from . import views

app_name = "alerts"

urlpatterns = [
    path("alerts/", views.center, name="center"),
    path("projects/<int:project_id>/alerts/", views.project_list, name="project_list"),
    path("projects/<int:project_id>/alerts/<int:alert_id>/", views.detail, name="detail"),
    path("projects/<int:project_id>/alerts/<int:alert_id>/handle/", views.handle, name="handle"),
]
