"""Admin views of the API tables: read-only. Credentials are created on the 接口凭证 pages, which show
the secret once; tokens and nonces are written by the API itself."""

from django.contrib import admin

from .models import ApiCredential, ApiNonce, ApiToken


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ApiCredential)
class ApiCredentialAdmin(ReadOnlyAdmin):
    list_display = ["name", "app_key", "created_by", "created_at", "revoked_at", "last_used_at"]
    search_fields = ["name", "app_key"]
    exclude = ["secret_encrypted"]
    filter_horizontal = ["projects"]


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdmin):
    list_display = ["user", "project", "created_at", "expires_at", "ip"]
    exclude = ["token_hash"]


@admin.register(ApiNonce)
class ApiNonceAdmin(ReadOnlyAdmin):
    list_display = ["app_key", "nonce", "timestamp", "created_at"]
