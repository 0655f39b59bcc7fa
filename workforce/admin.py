from django.contrib import admin

from jmzhgd.core.pii import id_digest

from .models import ImportBatch, Person, RosterEntry


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    """ID numbers are shown masked; search by the full number goes through its digest."""

    list_display = ["name", "id_type", "id_number_masked", "gender", "phone", "source", "created_at"]
    list_filter = ["id_type", "gender", "source"]
    search_fields = ["name", "phone"]
    readonly_fields = ["id_number_masked", "bank_card_number_masked"]
    exclude = ["id_number", "bank_card_number"]

    def get_search_results(self, request, queryset, search_term):
        results, distinct = super().get_search_results(request, queryset, search_term)
        if search_term.strip():
            results |= queryset.filter(id_number_digest=id_digest(search_term))
        return results, distinct


@admin.register(RosterEntry)
class RosterEntryAdmin(admin.ModelAdmin):
    list_display = ["person", "project", "unit", "team", "category", "entry_date", "exit_date"]
    list_filter = ["category", "exit_date"]
    search_fields = ["person__name", "project__name", "project__code"]
    autocomplete_fields = ["project", "person", "unit", "team"]
    list_select_related = ["person", "project", "unit__enterprise", "team"]


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    """Import records are history: readable here, written only by the import itself."""

    list_display = [
        "file_name",
        "project",
        "status",
        "total_rows",
        "entered_count",
        "failed_count",
        "created_at",
    ]
    list_filter = ["status"]
    search_fields = ["file_name", "project__name", "project__code"]
    list_select_related = ["project"]
    exclude = ["report"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
