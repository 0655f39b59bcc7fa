from django.urls import path

from . import views, views_contracts, views_sign

app_name = "selfservice"

urlpatterns = [
    path("worker/", views.lookup, name="lookup"),
    path("worker/report/", views.report, name="report"),
    path("worker/objection/", views.objection, name="objection"),
    path("worker/sign/<str:token>/", views_sign.identity, name="sign"),
    path("worker/sign/<str:token>/code/", views_sign.code, name="sign_code"),
    path("worker/sign/<str:token>/line/", views_sign.line, name="sign_line"),
    path("worker/contracts/", views_contracts.identity, name="contracts"),
    path("worker/contracts/code/", views_contracts.code, name="contracts_code"),
    path("worker/contracts/mine/", views_contracts.mine, name="my_contracts"),
    path("worker/contracts/<int:contract_id>/sign/", views_contracts.sign, name="contract_sign"),
    path("worker/contracts/<int:contract_id>/pdf/", views_contracts.download, name="contract_pdf"),
    path("projects/<int:project_id>/worker-poster/", views.poster, name="poster"),
]
