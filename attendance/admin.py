from django.contrib import admin

from .models import DailySummary, Device, FencePunch, Punch


@admin.register(Device)
class DeviceAdmin(admin.ModelAdmin):
    list_display = ["serial_number", "name", "vendor", "project", "direction", "is_active", "last_seen_at"]
    list_filter = ["is_active", "direction", "vendor"]
    search_fields = ["serial_number", "name", "vendor", "project__name", "project__code"]
    autocomplete_fields = ["project"]


@admin.register(Punch)
class PunchAdmin(admin.ModelAdmin):
    """Punches are append-only facts: the admin reads them and never edits them."""

    list_display = [
        "punched_at",
        "id_number_masked",
        "name_as_sent",
        "project",
        "direction",
        "device_sn",
        "source",
        "is_anomaly",
    ]
    list_filter = ["direction", "source", "is_anomaly", "anomaly_status", "attend_type"]
    search_fields = ["name_as_sent", "device_sn", "record_id", "project__name"]
    date_hierarchy = "punched_at"
    exclude = ["id_number"]
    list_select_related = ["project"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(DailySummary)
class DailySummaryAdmin(admin.ModelAdmin):
    list_display = [
        "work_date",
        "person",
        "project",
        "first_in",
        "last_out",
        "punch_count",
        "hours",
        "is_present",
    ]
    list_filter = ["is_present", "work_date"]
    search_fields = ["person__name", "project__name"]
    list_select_related = ["person", "project"]
    autocomplete_fields = ["person", "project"]


@admin.register(FencePunch)
class FencePunchAdmin(admin.ModelAdmin):
    """移动考勤 records: read here; accepted or rejected on the project's page, audited."""

    list_display = ["punched_at", "person", "project", "direction", "fence_check", "distance_m", "review"]
    list_filter = ["fence_check", "review", "direction"]
    search_fields = ["person__name", "project__name", "client_uuid"]
    list_select_related = ["person", "project"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
