from django.contrib import admin

from .models import LegalHold


@admin.register(LegalHold)
class LegalHoldAdmin(admin.ModelAdmin):
    """Read-only: holds are set and ended on the 法律保全 page, where the reason is asked and audited."""

    list_display = ("project", "reason", "set_at", "ended_at")
    list_select_related = ("project",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
