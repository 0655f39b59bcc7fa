from django.contrib import admin

from .models import Project


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "district", "category", "status", "created_at"]
    list_filter = ["status", "district", "category", "nature"]
    search_fields = ["code", "name", "builder_name", "contractor_name"]
