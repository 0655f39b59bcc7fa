from django.urls import path

from . import views, views_teams, views_units

app_name = "enterprises"

UNIT = "projects/<int:project_id>/units/<int:unit_id>/"
TEAM = "projects/<int:project_id>/teams/<int:team_id>/"

urlpatterns = [
    # 企业库: shared by every project
    path("enterprises/", views.enterprise_list, name="list"),
    path("enterprises/register/", views.enterprise_register, name="register"),
    path("enterprises/<int:enterprise_id>/", views.enterprise_detail, name="detail"),
    path("enterprises/<int:enterprise_id>/edit/", views.enterprise_edit, name="edit"),
    path("enterprises/<int:enterprise_id>/delete/", views.enterprise_delete, name="delete"),
    path("enterprises/<int:enterprise_id>/licence/", views.enterprise_licence, name="licence"),
    # 参建单位
    path("projects/<int:project_id>/units/", views_units.unit_list, name="unit_list"),
    path("projects/<int:project_id>/units/export/", views_units.unit_export, name="unit_export"),
    path("projects/<int:project_id>/units/add/", views_units.unit_add, name="unit_add"),
    path(UNIT, views_units.unit_detail, name="unit_detail"),
    path(UNIT + "edit/", views_units.unit_edit, name="unit_edit"),
    path(UNIT + "exit/", views_units.unit_exit, name="unit_exit"),
    path(UNIT + "reenter/", views_units.unit_reenter, name="unit_reenter"),
    path(UNIT + "delete/", views_units.unit_delete, name="unit_delete"),
    # 班组
    path("projects/<int:project_id>/teams/", views_teams.team_list, name="team_list"),
    path("projects/<int:project_id>/teams/export/", views_teams.team_export, name="team_export"),
    path("projects/<int:project_id>/teams/add/", views_teams.team_add, name="team_add"),
    path(TEAM, views_teams.team_detail, name="team_detail"),
    path(TEAM + "edit/", views_teams.team_edit, name="team_edit"),
    path(TEAM + "exit/", views_teams.team_exit, name="team_exit"),
    path(TEAM + "reenter/", views_teams.team_reenter, name="team_reenter"),
    path(TEAM + "delete/", views_teams.team_delete, name="team_delete"),
]
