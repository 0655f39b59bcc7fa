"""Admin view of the one-time codes sent (docs/sms.md): for looking up when a code was sent and how
often it was mistyped. Read-only: neither the phone nor the code is stored, only their digests."""

from django.contrib import admin

from .models import VerificationCode


@admin.register(VerificationCode)
class VerificationCodeAdmin(admin.ModelAdmin):
    list_display = ["created_at", "purpose", "ip", "expires_at", "used_at", "attempts"]
    list_filter = ["purpose"]
    search_fields = ["purpose"]
    readonly_fields = [f.name for f in VerificationCode._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
