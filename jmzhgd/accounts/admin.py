from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .models import User


@admin.register(User)
class PlatformUserAdmin(UserAdmin):
    list_display = ["username", "real_name", "role", "project", "district_labels", "is_active", "last_login"]
    list_filter = ["role", "is_active", "must_change_password", "is_superuser"]
    search_fields = ["username", "real_name", "phone", "project__name", "project__code"]
    autocomplete_fields = ["project"]
    fieldsets = [
        *UserAdmin.fieldsets,
        (
            "平台角色",
            {"fields": ["role", "real_name", "phone", "project", "districts", "must_change_password"]},
        ),
    ]
    add_fieldsets = [
        *UserAdmin.add_fieldsets,
        (
            "平台角色",
            {"fields": ["role", "real_name", "phone", "project", "districts", "must_change_password"]},
        ),
    ]
