from django.contrib import admin

from jmzhgd.core.admin import ReadOnlyAdmin

from .filters import person_search
from .models import (
    CollectedRecord,
    FaceMatch,
    ImportBatch,
    PayCard,
    Person,
    PersonChangeProposal,
    ProjectSiteCount,
    RosterEntry,
)


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    """ID numbers and phones are shown masked and changed on the platform's pages (with
    their validation and audit); search by a whole number goes through its digest (person_search)."""

    list_display = ["name", "id_type", "id_number_masked", "gender", "phone_masked", "source", "created_at"]
    list_filter = ["id_type", "gender", "source"]
    search_fields = ["name"]
    readonly_fields = [
        "id_number_masked",
        "phone_masked",
        "urgent_contact_phone_masked",
        "age",
    ]
    # The birth date is 8 of the number's hidden digits: beside the mask it rebuilds the number, so
    # the admin shows the age, like every page (docs/security.md, "Birth date").
    exclude = ["id_number", "phone", "urgent_contact_phone", "birth_date"]

    @admin.display(description="年龄")
    def age(self, person):
        return person.age

    @admin.display(description="手机号")
    def phone_masked(self, person):
        return person.phone_masked

    @admin.display(description="紧急联系人电话")
    def urgent_contact_phone_masked(self, person):
        return person.urgent_contact_phone_masked

    def get_search_results(self, request, queryset, search_term):
        results, distinct = super().get_search_results(request, queryset, search_term)
        if search_term.strip():
            results |= queryset.filter(person_search(search_term))
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


@admin.register(ProjectSiteCount)
class ProjectSiteCountAdmin(admin.ModelAdmin):
    """Read-only: the counts are kept by database triggers on the roster; `manage.py
    recount_on_site` rebuilds them from the rows after a manual repair."""

    list_display = ["project", "on_site_count"]
    list_select_related = ["project"]
    search_fields = ["project__name", "project__code"]
    ordering = ["-on_site_count"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PayCard)
class PayCardAdmin(ReadOnlyAdmin):
    """Each project's 工资卡 for a worker, masked; changed by that project only (docs/architecture.md pattern 11)."""

    list_display = ["person", "project", "bank_name", "bank_card_number_masked", "updated_at"]
    search_fields = ["person__name", "project__name", "project__code"]
    list_select_related = ["person", "project"]
    exclude = ["bank_card_number"]


@admin.register(PersonChangeProposal)
class PersonChangeProposalAdmin(ReadOnlyAdmin):
    """Proposed changes to a person: decided on the platform's pages, audited on both sides."""

    list_display = ["person", "project", "status", "created_at", "decided_at"]
    list_filter = ["status"]
    search_fields = ["person__name", "project__name"]
    list_select_related = ["person", "project"]
    exclude = ["changes"]


@admin.register(CollectedRecord)
class CollectedRecordAdmin(ReadOnlyAdmin):
    """Records of the offline 采集 app, each accepted once per its phone-made ID (docs/offline-collection.md §3)."""

    list_display = ["record_id", "project", "person", "created_by", "created_at"]
    search_fields = ["record_id", "project__name", "person__name"]
    list_select_related = ["project", "person", "created_by"]
    exclude = ["response"]


@admin.register(FaceMatch)
class FaceMatchAdmin(ReadOnlyAdmin):
    """人证比对 (docs/face-match.md): the score and the clerk's decision are evidence, made on the pages."""

    list_display = ["person", "project", "method", "score", "status", "decided_by", "created_at"]
    list_filter = ["method", "status"]
    search_fields = ["person__name", "project__name", "project__code"]
    list_select_related = ["person", "project", "decided_by"]
