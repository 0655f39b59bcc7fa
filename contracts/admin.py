"""Admin views of contracts: for looking up and correcting records. Contracts and scans are never deleted
(docs/requirements.md §11), and scan pages are added through the contract page, where uploads are checked."""

from django.contrib import admin

from jmzhgd.core.admin import ReadOnlyAdmin

from .models import Contract, ContractScan, ContractSignature


class NoDeleteMixin:
    def has_delete_permission(self, request, obj=None):
        return False


class ContractScanInline(NoDeleteMixin, admin.TabularInline):
    model = ContractScan
    extra = 0
    fields = ["page", "original_name", "content_type", "uploaded_at", "removed_at"]
    readonly_fields = ["page", "original_name", "content_type", "uploaded_at", "removed_at"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Contract)
class ContractAdmin(NoDeleteMixin, admin.ModelAdmin):
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
    autocomplete_fields = ["project", "roster_entry", "person", "unit", "renewal_of"]
    list_select_related = ["person", "project", "unit__enterprise"]
    inlines = [ContractScanInline]


@admin.register(ContractScan)
class ContractScanAdmin(NoDeleteMixin, admin.ModelAdmin):
    list_display = ["contract", "original_name", "content_type", "page", "uploaded_at", "removed_at"]
    list_select_related = ["contract__person"]
    search_fields = ["original_name", "contract__person__name"]
    readonly_fields = ["project", "contract", "file", "thumbnail", "content_type", "page", "uploaded_at"]

    def has_add_permission(self, request):
        return False


@admin.register(ContractSignature)
class ContractSignatureAdmin(ReadOnlyAdmin):
    """The worker's signature on his contract (docs/signatures.md): stored once, never edited."""

    list_display = ["contract", "content_sha256", "signed_at", "ip"]
    search_fields = ["contract__person__name", "contract__project__name", "content_sha256"]
    list_select_related = ["contract__person"]
    exclude = ["content"]
