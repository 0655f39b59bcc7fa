from django.urls import path

from . import views, views_accounts, views_declaration

app_name = "projects"

urlpatterns = [
    # Public: 项目申报 and 申报进度查询 (linked from the login page).
    path("declare/", views_declaration.declare, name="declare"),
    path("declare/submitted/", views_declaration.declaration_submitted, name="declaration_submitted"),
    path("declare/status/", views_declaration.declaration_status, name="declaration_status"),
    # Supervisor: review queue.
    path("review/", views_declaration.review_list, name="review_list"),
    path("review/<int:declaration_id>/", views_declaration.review_detail, name="review_detail"),
    path("review/<int:declaration_id>/approve/", views_declaration.review_approve, name="review_approve"),
    path("review/<int:declaration_id>/reject/", views_declaration.review_reject, name="review_reject"),
    path(
        "review/<int:declaration_id>/attachments/<int:attachment_id>/",
        views_declaration.declaration_attachment,
        name="declaration_attachment",
    ),
    # Supervisor: project accounts.
    path("project-accounts/", views_accounts.account_list, name="account_list"),
    path("project-accounts/new/", views_accounts.account_create, name="account_create"),
    path("project-accounts/<int:user_id>/notice/", views_accounts.account_notice, name="account_notice"),
    path(
        "project-accounts/<int:user_id>/reset-password/",
        views_accounts.account_reset_password,
        name="account_reset_password",
    ),
    path(
        "project-accounts/<int:user_id>/active/", views_accounts.account_set_active, name="account_set_active"
    ),
    # Supervisor: the geocoder behind 项目定位 (the dashboard and the project list: jmzhgd.portal.urls).
    path("geocode/", views.geocode, name="geocode"),
    # Inside a project (项目总览: jmzhgd.portal.urls).
    path("projects/<int:project_id>/card/", views.card, name="card"),
    path("projects/<int:project_id>/card/edit/", views.edit, name="edit"),
    path("projects/<int:project_id>/card/place-code/", views.place_code, name="place_code"),
    path("projects/<int:project_id>/card/place-code/image/", views.place_code_image, name="place_code_image"),
    path("projects/<int:project_id>/card/location/", views.location, name="location"),
    path("projects/<int:project_id>/card/location/fences/", views.fences, name="fences"),
]
