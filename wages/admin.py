"""Admin views of the wage records, for looking them up. Sheets and rows are the 工资支付台账 that
条例 art. 15 keeps for three years: the admin never deletes them, and changes go through the pages,
where every transition is audited."""

from django.contrib import admin

from .models import MinimumWage, Payroll, PayrollRow, WageAccount


class ReadOnlyMixin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class PayrollRowInline(ReadOnlyMixin, admin.TabularInline):
    model = PayrollRow
    fields = [
        "person",
        "days",
        "work_hours",
        "total_amount",
        "deductions",
        "actual_amount",
        "pay_status",
        "signed",
    ]
    readonly_fields = fields
    extra = 0


@admin.register(Payroll)
class PayrollAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["project", "unit", "team", "pay_month", "status", "balance_date"]
    list_filter = ["status"]
    search_fields = ["project__name", "project__code", "team__name"]
    list_select_related = ["project", "unit__enterprise", "team"]
    inlines = [PayrollRowInline]


@admin.register(WageAccount)
class WageAccountAdmin(admin.ModelAdmin):
    list_display = ["project", "bank_code", "branch_name", "account_number_masked", "pay_day"]
    exclude = ["account_number"]
    readonly_fields = ["project", "account_number_masked"]
    search_fields = ["project__name", "project__code"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(MinimumWage)
class MinimumWageAdmin(admin.ModelAdmin):
    """The province revises the standard every two or three years: add the new row here; the rows a
    sheet was checked against stay as they were."""

    list_display = ["region", "effective_from", "monthly_amount", "hourly_amount", "source"]
    list_filter = ["region"]
