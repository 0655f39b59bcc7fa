from django.contrib import admin

from .models import WorkTypeCertificate


@admin.register(WorkTypeCertificate)
class WorkTypeCertificateAdmin(admin.ModelAdmin):
    """工种持证要求: the bureau extends it with the 工种 table (docs/architecture.md pattern 8)."""

    list_display = ("work_type", "certificate_type")
    list_select_related = ("work_type",)
