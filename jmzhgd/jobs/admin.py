"""Admin view of 【我的导出】 records: for looking up a user's export and why it failed. Read-only: an
export is changed by its job only and deleted, with its file, by `purge_exports`."""

from django.contrib import admin

from .models import Export, WorkerHeartbeat


@admin.register(Export)
class ExportAdmin(admin.ModelAdmin):
    list_display = ["created_at", "user", "project", "label", "state", "done_rows", "total_rows", "attempts"]
    list_filter = ["state", "exporter"]
    search_fields = ["label", "user__username", "project__name"]
    list_select_related = ["user", "project"]
    readonly_fields = [f.name for f in Export._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(admin.ModelAdmin):
    """Which `db_worker` processes are alive, what they run, and whether they can write the media
    directory (docs/deploy.md "Monitoring"). Written by the workers only."""

    list_display = ["host", "pid", "seen_at", "job", "media_error", "started_at", "worker_id"]
    readonly_fields = [f.name for f in WorkerHeartbeat._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
