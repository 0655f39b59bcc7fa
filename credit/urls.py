from django.urls import path

from . import views, views_project

app_name = "credit"

P = "projects/<int:project_id>/credit/"

urlpatterns = [
    path("credit/", views.supervise, name="supervise"),
    path("credit/new/", views.create, name="create"),
    path("credit/<int:credit_record_id>/", views.detail, name="detail"),
    path("credit/<int:credit_record_id>/decide/", views.decide, name="decide"),
    path("credit/<int:credit_record_id>/end/", views.end, name="end"),
    path("credit/<int:credit_record_id>/answer/", views.answer, name="answer"),
    path("credit/<int:credit_record_id>/object/", views.object_for, name="object_for"),
    path("credit/<int:credit_record_id>/evidence/", views.evidence, name="evidence"),
    path(P, views_project.project_list, name="project_list"),
    path(P + "propose/", views_project.propose, name="propose"),
    path(P + "<int:credit_record_id>/", views_project.project_detail, name="project_detail"),
    path(P + "<int:credit_record_id>/object/", views_project.project_object, name="project_object"),
    path(P + "<int:credit_record_id>/evidence/", views_project.project_evidence, name="project_evidence"),
]
