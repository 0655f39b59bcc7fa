from django.contrib import admin

from .models import CreditRecord, Objection


@admin.register(CreditRecord)
class CreditRecordAdmin(admin.ModelAdmin):
    list_display = ("start_date", "kind", "person", "enterprise", "issuer", "end_date", "status")
    list_filter = ("kind", "status")
    raw_id_fields = ("person", "enterprise", "project", "proposed_by", "created_by")


@admin.register(Objection)
class ObjectionAdmin(admin.ModelAdmin):
    list_display = ("record", "filed_at", "filed_via", "status")
    raw_id_fields = ("record", "filed_by", "answered_by")
