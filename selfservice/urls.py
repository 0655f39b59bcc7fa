from django.urls import path

from . import views

app_name = "selfservice"

urlpatterns = [
    path("worker/", views.lookup, name="lookup"),
    path("worker/report/", views.report, name="report"),
    path("projects/<int:project_id>/worker-poster/", views.poster, name="poster"),
]
