from django.contrib import admin

from .models import AuditLog, ManagementPost, RateCounter, WorkType


class ReadOnlyAdmin(admin.ModelAdmin):
    """Written only by the platform's actions (with their checks and audit): readable here."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(WorkType)
class WorkTypeAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "is_active", "sort_order"]
    list_filter = ["is_active"]
    search_fields = ["code", "name"]
    list_editable = ["is_active", "sort_order"]


@admin.register(ManagementPost)
class ManagementPostAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "corp_type_labels", "is_active", "sort_order"]
    list_filter = ["is_active"]
    search_fields = ["code", "name"]

    @admin.display(description="适用参建单位类型")
    def corp_type_labels(self, obj):
        return obj.corp_type_labels


@admin.register(AuditLog)
class AuditLogAdmin(admin.ModelAdmin):
    """Read-only: the audit log is written by the actions, never edited."""

    list_display = ["created_at", "actor_label", "ip", "action", "summary", "object_repr", "project"]
    list_filter = ["action", "created_at"]
    search_fields = ["actor_label", "summary", "object_repr", "action"]
    date_hierarchy = "created_at"
    list_select_related = ["project"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(RateCounter)
class RateCounterAdmin(admin.ModelAdmin):
    list_display = ["key", "window_start", "count"]
    search_fields = ["key"]
