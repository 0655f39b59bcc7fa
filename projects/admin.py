from django.contrib import admin

from .models import ConstructionPermit, Declaration, DeclarationAttachment, Project


class PermitInline(admin.TabularInline):
    model = ConstructionPermit
    extra = 0


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "district", "category", "status", "created_at"]
    list_filter = ["status", "district", "category", "nature"]
    search_fields = ["code", "name", "builder_name", "contractor_name"]
    inlines = [PermitInline]


@admin.register(ConstructionPermit)
class ConstructionPermitAdmin(admin.ModelAdmin):
    list_display = ["number", "project", "scope_name", "issued_on"]
    search_fields = ["number", "project__name", "project__code"]
    list_select_related = ["project"]


class AttachmentInline(admin.TabularInline):
    model = DeclarationAttachment
    extra = 0
    fields = ["original_name", "size", "uploaded_at"]
    readonly_fields = fields  # files are opened from the review page, which checks access


@admin.register(Declaration)
class DeclarationAdmin(admin.ModelAdmin):
    list_display = ["number", "name", "district", "status", "created_at", "reviewed_at"]
    list_filter = ["status", "district"]
    search_fields = ["number", "name", "builder_name", "builder_code"]
    readonly_fields = [
        "number",
        "status",
        "reviewed_by",
        "reviewed_at",
        "project",
        "submitted_ip",
        "created_at",
    ]
    inlines = [AttachmentInline]


@admin.register(DeclarationAttachment)
class DeclarationAttachmentAdmin(admin.ModelAdmin):
    list_display = ["original_name", "declaration", "size", "uploaded_at"]
    search_fields = ["original_name", "declaration__number"]
    readonly_fields = ["declaration", "file", "original_name", "size", "uploaded_at"]
