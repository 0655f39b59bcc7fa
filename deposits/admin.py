from django.contrib import admin

from .models import Deposit, DepositEvent


class DepositEventInline(admin.TabularInline):
    model = DepositEvent
    extra = 0
    can_delete = False
    readonly_fields = [f.name for f in DepositEvent._meta.fields]

    def has_add_permission(self, request, obj=None):
        return False  # events are recorded through the register's actions, which audit them


@admin.register(Deposit)
class DepositAdmin(admin.ModelAdmin):
    list_display = ("contractor_name", "district", "form", "amount", "balance", "status")
    list_filter = ("district", "status", "form")
    search_fields = ("contractor_name", "contractor_code")
    readonly_fields = [f.name for f in Deposit._meta.fields]
    inlines = [DepositEventInline]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
