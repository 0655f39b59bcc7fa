from django.urls import path

from . import views, views_sign

app_name = "selfservice"

urlpatterns = [
    path("worker/", views.lookup, name="lookup"),
    path("worker/report/", views.report, name="report"),
    path("worker/objection/", views.objection, name="objection"),
    path("worker/sign/<str:token>/", views_sign.identity, name="sign"),
    path("worker/sign/<str:token>/code/", views_sign.code, name="sign_code"),
    path("worker/sign/<str:token>/line/", views_sign.line, name="sign_line"),
    path("projects/<int:project_id>/worker-poster/", views.poster, name="poster"),
]
