from django.urls import path

from . import views

app_name = "exchange"

urlpatterns = [
    path("projects/<int:project_id>/exchange/", views.exchange_page, name="page"),
    path("projects/<int:project_id>/exchange/export/", views.export, name="export"),
    path("projects/<int:project_id>/exchange/credential/", views.credential, name="credential"),
    path("projects/<int:project_id>/exchange/records/<int:record_id>/repush/", views.repush, name="repush"),
]
