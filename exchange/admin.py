from django.contrib import admin, messages
from django.core.exceptions import ValidationError

from jmzhgd.core.actor import Actor

from . import services
from .models import OutboundRecord, ProvinceCredential, ProvinceRequest, RecordStatus


@admin.register(OutboundRecord)
class OutboundRecordAdmin(admin.ModelAdmin):
    list_display = ["method", "label", "project", "status", "attempts", "message", "updated_at"]
    list_filter = ["status", "method"]
    search_fields = ["label", "message", "project__name", "project__code"]
    list_select_related = ["project"]
    readonly_fields = [f.name for f in OutboundRecord._meta.fields]
    actions = ["repush_refused"]

    def has_add_permission(self, request):
        return False

    @admin.action(description="重新推送选中的退回记录")
    def repush_refused(self, request, queryset):
        done = 0
        for record in queryset.filter(status=RecordStatus.REFUSED):
            try:
                services.repush(Actor.from_request(request), record)
                done += 1
            except ValidationError:
                continue
        self.message_user(request, f"已重新加入推送队列 {done} 条。", messages.SUCCESS)


@admin.register(ProvinceRequest)
class ProvinceRequestAdmin(admin.ModelAdmin):
    list_display = ["method", "serial_code", "project", "status", "polls", "sent_at"]
    list_filter = ["status", "method"]
    search_fields = ["serial_code"]
    readonly_fields = [f.name for f in ProvinceRequest._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(ProvinceCredential)
class ProvinceCredentialAdmin(admin.ModelAdmin):
    """Which projects have credentials; the secret is entered on the project's 数据对接 page (audited)
    and never shown, here either."""

    list_display = ["project", "appid", "updated_at"]
    search_fields = ["appid", "project__name", "project__code"]
    list_select_related = ["project"]
    fields = readonly_fields = ["project", "appid", "updated_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
