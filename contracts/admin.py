from django.contrib import admin

from .models import Contract, ContractScan


class ContractScanInline(admin.TabularInline):
    model = ContractScan
    extra = 0


@admin.register(Contract)
class ContractAdmin(admin.ModelAdmin):
    list_display = [
        "person",
        "project",
        "unit",
        "contract_type",
        "period_type",
        "start_date",
        "end_date",
        "updated_at",
    ]
    list_filter = ["contract_type", "period_type"]
    search_fields = ["person__name", "project__name", "project__code"]
    autocomplete_fields = ["project", "roster_entry", "person", "unit"]
    list_select_related = ["person", "project", "unit__enterprise"]
    inlines = [ContractScanInline]


@admin.register(ContractScan)
class ContractScanAdmin(admin.ModelAdmin):
    list_display = ["contract", "original_name", "content_type", "page", "uploaded_at"]
    search_fields = ["original_name", "contract__person__name"]
