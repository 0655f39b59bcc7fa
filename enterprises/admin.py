from django.contrib import admin

from .models import Enterprise, ParticipatingUnit, Team, UnitStay


@admin.register(Enterprise)
class EnterpriseAdmin(admin.ModelAdmin):
    list_display = ["credit_code", "name", "reg_type", "district", "legal_rep", "created_at"]
    list_filter = ["reg_type", "district"]
    search_fields = ["credit_code", "name"]


class UnitStayInline(admin.TabularInline):
    model = UnitStay
    extra = 0


@admin.register(ParticipatingUnit)
class ParticipatingUnitAdmin(admin.ModelAdmin):
    list_display = ["enterprise", "project", "corp_type", "entry_date", "exit_date"]
    list_filter = ["corp_type", "exit_date"]
    search_fields = ["enterprise__name", "enterprise__credit_code", "project__name", "project__code"]
    autocomplete_fields = ["project", "enterprise"]
    readonly_fields = ["pm_id_number_masked"]
    exclude = ["pm_id_number"]
    inlines = [UnitStayInline]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "unit", "project", "team_type", "entry_date", "exit_date"]
    list_filter = ["team_type", "exit_date"]
    search_fields = ["name", "project__name", "unit__enterprise__name"]
    autocomplete_fields = ["project", "unit"]
    readonly_fields = ["leader_id_number_masked", "responsible_id_number_masked"]
    exclude = ["leader_id_number", "responsible_id_number"]
