from django.urls import path

from . import views

app_name = "deposits"

D = "wages/deposits/<int:deposit_id>/"

urlpatterns = [
    path("wages/deposits/", views.CoverageView.as_view(), name="coverage"),
    path("wages/deposits/export/", views.CoverageView.export_view(), name="export"),
    path("wages/deposits/new/", views.deposit_create, name="create"),
    path(D, views.deposit_detail, name="detail"),
    path(D + "edit/", views.deposit_edit, name="edit"),
    path(D + "events/new/", views.event_create, name="event"),
    path(D + "document/", views.deposit_document, name="document"),
    path(D + "events/<int:event_id>/document/", views.event_document, name="event_document"),
    path("projects/<int:project_id>/wages/deposit/", views.project_deposit, name="project"),
]
