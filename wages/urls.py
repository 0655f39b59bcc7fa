from django.urls import path

from . import views_account, views_arrears, views_files, views_sheets

app_name = "wages"

P = "projects/<int:project_id>/wages/"
S = P + "<int:payroll_id>/"

urlpatterns = [
    path(P, views_sheets.ledger, name="ledger"),
    path(P + "account/", views_account.account, name="account"),
    path(P + "poster/", views_account.poster, name="poster"),
    path(P + "arrears/", views_arrears.project_arrears, name="project_arrears"),
    path(P + "generate/", views_sheets.generate, name="generate"),
    path(S, views_sheets.detail, name="detail"),
    path(S + "rule/", views_sheets.apply_rule, name="rule"),
    path(S + "submit/", views_sheets.submit, name="submit"),
    path(S + "approve/", views_sheets.approve, name="approve"),
    path(S + "return/", views_sheets.return_payroll, name="return"),
    path(S + "pay/", views_sheets.pay, name="pay"),
    path(S + "confirm/", views_sheets.confirm, name="confirm"),
    path(S + "export/", views_files.export_xlsx, name="export"),
    path(S + "print/", views_files.print_sheet, name="print"),
    path(S + "sealed.pdf", views_files.sealed_pdf, name="sealed_pdf"),
    path(S + "slips/", views_files.slips, name="slips"),
    path(S + "bank-file/", views_files.bank_file, name="bank_file"),
    path(S + "bank-result/", views_files.bank_result, name="bank_result"),
    path(S + "voucher/", views_files.voucher, name="voucher"),
    path(S + "signature/", views_files.signature, name="signature"),
    path("wages/arrears/", views_arrears.city_arrears, name="arrears"),
]
